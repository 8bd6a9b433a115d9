import { TOP_LEVEL } from './level-stats.js';

/** Weight of the newest call: about the last 32 count, so that a container that lost workers is seen within a second or two. */
const WEIGHT = 1 / 32;
/** Rescale the weights before they grow out of a double's range. */
const RESCALE_ABOVE = 1e200;

/**
 * How calls end against the ones that started before them: for each k, the share of recent calls that
 * ended while at least k older calls still ran. A container that runs calls first come first served on
 * k workers never lets that happen (a call starts only when at most k - 1 older ones still run), so a
 * share above noise rules out "k sequential workers", whatever the trials said. Kept as a histogram
 * with exponentially growing weights (one addition per call), summed only when asked.
 */
export class EndOrder {
  readonly #weights = new Float64Array(TOP_LEVEL + 1);
  #total = 0;
  #next = 1;

  /** A call ended while `olderStillRunning` older calls still ran. */
  record(olderStillRunning: number): void {
    const at = olderStillRunning < TOP_LEVEL ? olderStillRunning : TOP_LEVEL;
    this.#weights[at] = (this.#weights[at] as number) + this.#next;
    this.#total += this.#next;
    this.#next /= 1 - WEIGHT;
    if (this.#next > RESCALE_ABOVE) this.#rescale();
  }

  /** The share of recent calls that ended while at least `k` older calls still ran; 0 before any. */
  shareAtLeast(k: number): number {
    if (this.#total === 0) return 0;
    let sum = 0;
    for (let at = Math.max(0, k); at <= TOP_LEVEL; at++) sum += this.#weights[at] as number;
    return sum / this.#total;
  }

  #rescale(): void {
    const scale = 1 / this.#next;
    for (let at = 0; at <= TOP_LEVEL; at++) this.#weights[at] = (this.#weights[at] as number) * scale;
    this.#total *= scale;
    this.#next = 1;
  }
}
