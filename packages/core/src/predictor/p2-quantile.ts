/**
 * Streaming estimate of one quantile in constant memory: the P² algorithm (Jain & Chlamtac, 1985).
 * Five markers track the minimum, the quantile, the maximum and two midpoints; each observation moves
 * them by at most one position, adjusting heights with a piecewise-parabolic fit.
 */
export class P2Quantile {
  readonly #p: number;
  readonly #heights = new Float64Array(5);
  readonly #positions = new Float64Array(5);
  readonly #desired = new Float64Array(5);
  readonly #increments: Float64Array;
  #count = 0;

  constructor(p: number) {
    if (!(p > 0 && p < 1)) throw new RangeError(`P2Quantile: p must be in (0, 1), got ${p}`);
    this.#p = p;
    this.#increments = Float64Array.of(0, p / 2, p, (1 + p) / 2, 1);
  }

  get count(): number {
    return this.#count;
  }

  /** The current estimate; NaN before the first observation, exact while fewer than five. */
  get value(): number {
    const n = this.#count;
    if (n === 0) return NaN;
    if (n >= 5) return this.#heights[2] as number;
    const sorted = Array.from(this.#heights.subarray(0, n)).sort((a, b) => a - b);
    return sorted[Math.min(n - 1, Math.round((n - 1) * this.#p))] as number;
  }

  observe(x: number): void {
    const q = this.#heights;
    const n = this.#positions;
    if (this.#count < 5) {
      q[this.#count++] = x;
      if (this.#count === 5) this.#initialise();
      return;
    }
    this.#count++;
    let k: number;
    if (x < (q[0] as number)) {
      q[0] = x;
      k = 0;
    } else if (x >= (q[4] as number)) {
      q[4] = Math.max(q[4] as number, x);
      k = 3;
    } else {
      k = 0;
      while (k < 3 && x >= (q[k + 1] as number)) k++;
    }
    for (let i = k + 1; i < 5; i++) n[i] = (n[i] as number) + 1;
    const desired = this.#desired;
    for (let i = 0; i < 5; i++) desired[i] = (desired[i] as number) + (this.#increments[i] as number);
    for (let i = 1; i < 4; i++) this.#adjust(i);
  }

  #initialise(): void {
    this.#heights.sort();
    const p = this.#p;
    this.#positions.set([1, 2, 3, 4, 5]);
    this.#desired.set([1, 1 + 2 * p, 1 + 4 * p, 3 + 2 * p, 5]);
  }

  #adjust(i: number): void {
    const q = this.#heights;
    const n = this.#positions;
    const d = (this.#desired[i] as number) - (n[i] as number);
    const ni = n[i] as number;
    const below = (n[i - 1] as number) - ni;
    const above = (n[i + 1] as number) - ni;
    if (!((d >= 1 && above > 1) || (d <= -1 && below < -1))) return;
    const step = d >= 1 ? 1 : -1;
    const qi = q[i] as number;
    const qBelow = q[i - 1] as number;
    const qAbove = q[i + 1] as number;
    const parabolic =
      qi +
      (step / (above - below)) *
        ((ni - (n[i - 1] as number) + step) * ((qAbove - qi) / above) +
          ((n[i + 1] as number) - ni - step) * ((qi - qBelow) / -below));
    if (qBelow < parabolic && parabolic < qAbove) {
      q[i] = parabolic;
    } else {
      const neighbour = step === 1 ? i + 1 : i - 1;
      q[i] = qi + (step * ((q[neighbour] as number) - qi)) / ((n[neighbour] as number) - ni);
    }
    n[i] = ni + step;
  }
}
