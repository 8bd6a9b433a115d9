/**
 * The next value of a running mean that gives the newest of `count` samples the weight `weight`, or
 * 1/count while that is larger: it starts as the plain mean of what was seen rather than leaning on
 * its first sample, then forgets at the given pace.
 */
export function nextMean(mean: number, count: number, value: number, weight: number): number {
  return count <= 1 ? value : mean + Math.max(weight, 1 / count) * (value - mean);
}

/** A running mean of one quantity (see nextMean). */
export class RunningMean {
  readonly #weight: number;
  #count = 0;
  #value = 0;

  constructor(weight: number) {
    this.#weight = weight;
  }

  get count(): number {
    return this.#count;
  }

  /** NaN before the first sample. */
  get value(): number {
    return this.#count === 0 ? NaN : this.#value;
  }

  add(sample: number): void {
    this.#value = nextMean(this.#value, ++this.#count, sample, this.#weight);
  }
}
