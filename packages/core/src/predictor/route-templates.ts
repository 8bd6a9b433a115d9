import type { RequestClass } from './request-class.js';
import { identifierShape } from './segment-shape.js';

const SLASH = 47;
/** A position that took too many distinct values: every segment there is this. */
const VARIABLE_SEGMENT = '{*}';
/** What stands for the rest of a path deeper than `maxSegments`, or past the node budget. */
const REST_OF_PATH = '{...}';

/** A position in the learned route tree; `template` is the route up to and including it. */
export class TemplateNode {
  /**
   * The segments (or placeholders) seen at the next position, at most `valuesPerPosition`: few
   * enough to scan, and a scan compares each in place in the path, where a map would need the
   * segment sliced out and hashed first.
   */
  children: TemplateNode[] | undefined = undefined;
  /**
   * Each child's segment as a small number (segmentCode), at the child's index: the scan reads these
   * side by side and looks at a child only when its code matches, not at every child and its string.
   */
  codes: number[] | undefined = undefined;
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

  constructor(
    readonly template: string,
    /** The segment, or the placeholder, that leads here from the parent. */
    readonly segment: string,
  ) {}

  /** The node standing for everything below this one, when the path may not be followed further. */
  get rest(): TemplateNode {
    return (this.#rest ??= new TemplateNode(`${this.template}/${REST_OF_PATH}`, REST_OF_PATH));
  }
}

/**
 * A segment's length and first character as one small integer: what tells most route names at one
 * position apart. Segments longer than MAX_NAME_LENGTH are never stored, so the length fits.
 */
function segmentCode(text: string, start: number, end: number): number {
  return (end - start) * 65_536 + (end > start ? text.charCodeAt(start) : 0);
}

/** The child of `node` for the segment of `path` from `start` to `end` (`shape`: its placeholder, if it has one). */
function findChild(node: TemplateNode, path: string, start: number, end: number, shape: string | undefined): TemplateNode | undefined {
  const codes = node.codes as number[];
  const code = shape !== undefined ? segmentCode(shape, 0, shape.length) : segmentCode(path, start, end);
  for (let i = 0; i < codes.length; i++) {
    if (codes[i] !== code) continue;
    const child = (node.children as TemplateNode[])[i] as TemplateNode;
    const segment = child.segment;
    if (shape !== undefined ? segment === shape : path.startsWith(segment, start)) return child;
  }
  return undefined;
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
  if (node.children !== undefined) for (const child of node.children) count += countNodes(child);
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
  readonly #root = new TemplateNode('', '');
  readonly #valuesPerPosition: number;
  readonly #maxNodes: number;
  readonly #maxSegments: number;
  #nodes = 1;
  /**
   * Paths whose every segment is a route name of the tree (no identifier, no variable position),
   * by path: a service's fixed routes repeat, and one lookup of the whole path costs less than
   * walking it segment by segment. At most one entry per node; cleared when a position turns
   * variable, since the nodes below it are gone.
   */
  readonly #fixedRoutes = new Map<string, TemplateNode>();

  constructor(options: RouteTemplatesOptions = {}) {
    this.#valuesPerPosition = options.valuesPerPosition ?? 16;
    this.#maxNodes = options.maxNodes ?? 2048;
    this.#maxSegments = options.maxSegments ?? 12;
  }

  /** Nodes the tree holds now (rest nodes not counted: at most one per node). */
  get nodes(): number {
    return this.#nodes;
  }

  /**
   * The template node of the path that `target` holds up to `pathEnd` (a request target read in
   * place: its query, after `pathEnd`, is not looked at), learning from it.
   */
  templateOf(target: string, pathEnd = target.length): TemplateNode {
    // Fixed routes are kept by their path alone: a target with a query walks the tree instead.
    const whole = pathEnd === target.length;
    if (whole) {
      const fixed = this.#fixedRoutes.get(target);
      if (fixed !== undefined) return fixed;
    }
    let node = this.#root;
    let start = pathEnd > 0 && target.charCodeAt(0) === SLASH ? 1 : 0;
    for (let depth = 0; ; depth++) {
      if (depth === this.#maxSegments) return node.rest;
      let end = target.indexOf('/', start);
      if (end < 0 || end > pathEnd) end = pathEnd;
      const child = this.#child(node, target, start, end);
      if (child === undefined) return node.rest;
      node = child;
      if (end >= pathEnd) break;
      start = end + 1;
    }
    // The walk ended on a node of route names exactly when its template spells the path.
    if (whole && node.template === target && this.#fixedRoutes.size < this.#maxNodes) this.#fixedRoutes.set(target, node);
    return node;
  }

  #child(node: TemplateNode, path: string, start: number, end: number): TemplateNode | undefined {
    if (node.variable !== undefined) return node.variable;
    const children = (node.children ??= []);
    const codes = (node.codes ??= []);
    // The shape first: an identifier is stored under its placeholder, never as itself, and a scan of
    // a short segment costs less than a lookup of it.
    const shape = identifierShape(path, start, end);
    const known = findChild(node, path, start, end, shape);
    if (known !== undefined) return known;
    if (children.length >= this.#valuesPerPosition) {
      for (const child of children) this.#nodes -= countNodes(child);
      node.children = undefined;
      node.codes = undefined;
      this.#fixedRoutes.clear();
      node.variable = new TemplateNode(`${node.template}/${VARIABLE_SEGMENT}`, VARIABLE_SEGMENT);
      this.#nodes++;
      return node.variable;
    }
    if (this.#nodes >= this.#maxNodes) return undefined;
    const segment = shape ?? path.slice(start, end);
    const child = new TemplateNode(`${node.template}/${segment}`, segment);
    children.push(child);
    codes.push(segmentCode(segment, 0, segment.length));
    this.#nodes++;
    return child;
  }
}
