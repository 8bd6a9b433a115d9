import type { Graph } from './generated-graph.js';

const DAMPING = 0.85;

export interface PageRankResult {
  /** The vertex with the highest rank, and its rank. */
  readonly top: number;
  readonly topRank: number;
  /** Edge visits over all iterations: the work done. */
  readonly edgeVisits: number;
}

/** PageRank by power iteration, `iterations` rounds; a vertex without out-edges spreads its rank evenly. */
export function pageRank(graph: Graph, iterations: number): PageRankResult {
  const n = graph.vertices;
  let rank = new Float64Array(n).fill(1 / n);
  let next = new Float64Array(n);
  let edgeVisits = 0;
  for (let round = 0; round < iterations; round++) {
    let dangling = 0;
    next.fill(0);
    for (let v = 0; v < n; v++) {
      const start = graph.offsets[v] as number;
      const end = graph.offsets[v + 1] as number;
      if (start === end) {
        dangling += rank[v] as number;
        continue;
      }
      const share = (rank[v] as number) / (end - start);
      for (let e = start; e < end; e++) {
        const w = graph.targets[e] as number;
        next[w] = (next[w] as number) + share;
      }
      edgeVisits += end - start;
    }
    const base = (1 - DAMPING) / n + (DAMPING * dangling) / n;
    for (let v = 0; v < n; v++) next[v] = base + DAMPING * (next[v] as number);
    [rank, next] = [next, rank];
  }
  let top = 0;
  for (let v = 1; v < n; v++) if ((rank[v] as number) > (rank[top] as number)) top = v;
  return { top, topRank: rank[top] as number, edgeVisits };
}
