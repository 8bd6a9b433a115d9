// The markers' state, in one array of doubles: heights, positions, desired positions and their
// increments, five each. Four Float64Arrays were eight places in memory (each typed array and its
// bytes) for every observation to reach, which a proxy of many functions finds cold.
const HEIGHTS = 0;
const POSITIONS = 5;
const DESIRED = 10;
const INCREMENTS = 15;
const STATE = 20;

function ascending(a: number, b: number): number {
  return a - b;
}

/**
 * Streaming estimate of one quantile in constant memory: the P² algorithm (Jain & Chlamtac, 1985).
 * Five markers track the minimum, the quantile, the maximum and two midpoints; each observation moves
 * them by at most one position, adjusting heights with a piecewise-parabolic fit.
 */
export class P2Quantile {
  readonly #p: number;
  readonly #s: number[];
  #count = 0;

  constructor(p: number) {
    if (!(p > 0 && p < 1)) throw new RangeError(`P2Quantile: p must be in (0, 1), got ${p}`);
    this.#p = p;
    const increments = [0, p / 2, p, (1 + p) / 2, 1];
    this.#s = Array.from({ length: STATE }, (_, i) => (i < INCREMENTS ? 0 : (increments[i - INCREMENTS] as number)));
  }

  get count(): number {
    return this.#count;
  }

  /** The current estimate; NaN before the first observation, exact while fewer than five. */
  get value(): number {
    const n = this.#count;
    if (n === 0) return NaN;
    if (n >= 5) return this.#s[HEIGHTS + 2] as number;
    const sorted = this.#s.slice(HEIGHTS, HEIGHTS + n).sort(ascending);
    return sorted[Math.min(n - 1, Math.round((n - 1) * this.#p))] as number;
  }

  observe(x: number): void {
    const s = this.#s;
    if (this.#count < 5) {
      s[HEIGHTS + this.#count++] = x;
      if (this.#count === 5) this.#initialise();
      return;
    }
    this.#count++;
    let k: number;
    if (x < (s[HEIGHTS] as number)) {
      s[HEIGHTS] = x;
      k = 0;
    } else if (x >= (s[HEIGHTS + 4] as number)) {
      s[HEIGHTS + 4] = Math.max(s[HEIGHTS + 4] as number, x);
      k = 3;
    } else {
      k = 0;
      while (k < 3 && x >= (s[HEIGHTS + k + 1] as number)) k++;
    }
    for (let i = k + 1; i < 5; i++) s[POSITIONS + i] = (s[POSITIONS + i] as number) + 1;
    for (let i = 0; i < 5; i++) s[DESIRED + i] = (s[DESIRED + i] as number) + (s[INCREMENTS + i] as number);
    for (let i = 1; i < 4; i++) this.#adjust(i);
  }

  #initialise(): void {
    const s = this.#s;
    const sorted = s.slice(HEIGHTS, HEIGHTS + 5).sort(ascending);
    const p = this.#p;
    const desired = [1, 1 + 2 * p, 1 + 4 * p, 3 + 2 * p, 5];
    for (let i = 0; i < 5; i++) {
      s[HEIGHTS + i] = sorted[i] as number;
      s[POSITIONS + i] = i + 1;
      s[DESIRED + i] = desired[i] as number;
    }
  }

  #adjust(i: number): void {
    const s = this.#s;
    const d = (s[DESIRED + i] as number) - (s[POSITIONS + i] as number);
    const ni = s[POSITIONS + i] as number;
    const nBelow = s[POSITIONS + i - 1] as number;
    const nAbove = s[POSITIONS + i + 1] as number;
    const below = nBelow - ni;
    const above = nAbove - ni;
    if (!((d >= 1 && above > 1) || (d <= -1 && below < -1))) return;
    const step = d >= 1 ? 1 : -1;
    const qi = s[HEIGHTS + i] as number;
    const qBelow = s[HEIGHTS + i - 1] as number;
    const qAbove = s[HEIGHTS + i + 1] as number;
    const parabolic =
      qi + (step / (above - below)) * ((ni - nBelow + step) * ((qAbove - qi) / above) + (nAbove - ni - step) * ((qi - qBelow) / -below));
    if (qBelow < parabolic && parabolic < qAbove) {
      s[HEIGHTS + i] = parabolic;
    } else {
      const neighbour = step === 1 ? i + 1 : i - 1;
      s[HEIGHTS + i] = qi + (step * ((s[HEIGHTS + neighbour] as number) - qi)) / ((s[POSITIONS + neighbour] as number) - ni);
    }
    s[POSITIONS + i] = ni + step;
  }
}
