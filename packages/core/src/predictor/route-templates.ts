import type { RequestClass } from './request-class.js';
import { identifierShape, MAX_NAME_LENGTH } from './segment-shape.js';

const SLASH = 47;
/** A position that took too many distinct values: every segment there is this. */
const VARIABLE_SEGMENT = '{*}';
/** What stands for the rest of a path deeper than `maxSegments`, or past the node budget. */
const REST_OF_PATH = '{...}';

/** A position in the learned route tree; `template` is the route up to and including it. */
export class TemplateNode {
  children: Map<string, TemplateNode> | undefined = undefined;
  /** Set once this position took too many distinct segments: all of them lead here. */
  variable: TemplateNode | undefined = undefined;
  /**
   * The route class the last call that ended here went to, and its method: the next call of the
   * same method finds its class without building a key or looking one up (a cache; the class table
   * stays the owner).
   */
  lastMethod: string | undefined = undefined;
  lastRoute: RequestClass | undefined = undefined;
  #rest: TemplateNode | undefined = undefined;

  constructor(readonly template: string) {}

  /** The node standing for everything below this one, when the path may not be followed further. */
  get rest(): TemplateNode {
    return (this.#rest ??= new TemplateNode(`${this.template}/${REST_OF_PATH}`));
  }
}

export interface RouteTemplatesOptions {
  /** Distinct segments a position may take before it counts as a variable (`{*}`). Default 16. */
  readonly valuesPerPosition?: number;
  /** Nodes of the tree at most; beyond, a new branch ends in `{...}`. Default 2048. */
  readonly maxNodes?: number;
  /** Segments followed at most; deeper ones are `{...}`. Default 12. */
  readonly maxSegments?: number;
}

function countNodes(node: TemplateNode): number {
  let count = 1;
  if (node.children !== undefined) for (const child of node.children.values()) count += countNodes(child);
  if (node.variable !== undefined) count += countNodes(node.variable);
  return count;
}

/**
 * Route templates learnt online for one function: `/users/42/orders` and `/users/7/orders` are both
 * `/users/{n}/orders` because the segment looks like an identifier; `/users/alice/orders` joins them
 * as `/users/{*}/orders` once that position has taken more than `valuesPerPosition` distinct
 * segments (learnt, so that slugs and names collapse too). Memory is bounded by `maxNodes`
 * whatever the paths: a position that overflows drops its subtree.
 */
export class RouteTemplates {
  readonly #root = new TemplateNode('');
  readonly #valuesPerPosition: number;
  readonly #maxNodes: number;
  readonly #maxSegments: number;
  #nodes = 1;

  constructor(options: RouteTemplatesOptions = {}) {
    this.#valuesPerPosition = options.valuesPerPosition ?? 16;
    this.#maxNodes = options.maxNodes ?? 2048;
    this.#maxSegments = options.maxSegments ?? 12;
  }

  /** Nodes the tree holds now (rest nodes not counted: at most one per node). */
  get nodes(): number {
    return this.#nodes;
  }

  /** The template node of a path (without its query), learning from it. */
  templateOf(path: string): TemplateNode {
    let node = this.#root;
    let start = path.charCodeAt(0) === SLASH ? 1 : 0;
    for (let depth = 0; ; depth++) {
      if (depth === this.#maxSegments) return node.rest;
      let end = path.indexOf('/', start);
      if (end < 0) end = path.length;
      // A segment too long to be a name is not even sliced out.
      const segment = end - start > MAX_NAME_LENGTH ? '{long}' : path.slice(start, end);
      const child = this.#child(node, segment);
      if (child === undefined) return node.rest;
      node = child;
      if (end >= path.length) return node;
      start = end + 1;
    }
  }

  #child(node: TemplateNode, segment: string): TemplateNode | undefined {
    if (node.variable !== undefined) return node.variable;
    const children = (node.children ??= new Map());
    // The shape first: an identifier is stored under its placeholder, never as itself, and a scan of
    // a short segment costs less than a lookup of it.
    const key = identifierShape(segment) ?? segment;
    const known = children.get(key);
    if (known !== undefined) return known;
    if (children.size >= this.#valuesPerPosition) {
      for (const child of children.values()) this.#nodes -= countNodes(child);
      node.children = undefined;
      node.variable = new TemplateNode(`${node.template}/${VARIABLE_SEGMENT}`);
      this.#nodes++;
      return node.variable;
    }
    if (this.#nodes >= this.#maxNodes) return undefined;
    const child = new TemplateNode(`${node.template}/${key}`);
    children.set(key, child);
    this.#nodes++;
    return child;
  }
}
