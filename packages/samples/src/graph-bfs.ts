import type { Graph } from './generated-graph.js';

export interface BreadthFirstResult {
  /** Vertices reached from the source, itself included. */
  readonly reached: number;
  /** Edges looked at: the work done. */
  readonly edgesScanned: number;
  /** Levels of the search: the source's eccentricity. */
  readonly depth: number;
}

/** Breadth-first search from `source` over every out-edge. */
export function breadthFirst(graph: Graph, source: number): BreadthFirstResult {
  const level = new Int32Array(graph.vertices).fill(-1);
  const queue = new Uint32Array(graph.vertices);
  let head = 0;
  let tail = 0;
  queue[tail++] = source;
  level[source] = 0;
  let edgesScanned = 0;
  let depth = 0;
  while (head < tail) {
    const v = queue[head++] as number;
    const next = (level[v] as number) + 1;
    for (let e = graph.offsets[v] as number; e < (graph.offsets[v + 1] as number); e++) {
      edgesScanned++;
      const w = graph.targets[e] as number;
      if (level[w] === -1) {
        level[w] = next;
        if (next > depth) depth = next;
        queue[tail++] = w;
      }
    }
  }
  return { reached: tail, edgesScanned, depth };
}
