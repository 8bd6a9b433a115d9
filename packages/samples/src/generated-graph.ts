/** A directed graph in compressed sparse rows: vertex v's out-edges are targets[offsets[v] .. offsets[v + 1]). */
export interface Graph {
  readonly vertices: number;
  readonly offsets: Uint32Array;
  readonly targets: Uint32Array;
}

/**
 * A random graph of `vertices` vertices with `degree` out-edges each, the same for the same seed
 * (xorshift32): generating it is part of the work, as in SeBS's graph functions, and grows with n.
 */
export function generateGraph(vertices: number, degree: number, seed = 1): Graph {
  const offsets = new Uint32Array(vertices + 1);
  const targets = new Uint32Array(vertices * degree);
  let state = seed >>> 0 || 1;
  for (let v = 0; v < vertices; v++) {
    offsets[v] = v * degree;
    for (let e = 0; e < degree; e++) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      targets[v * degree + e] = (state >>> 0) % vertices;
    }
  }
  offsets[vertices] = vertices * degree;
  return { vertices, offsets, targets };
}
