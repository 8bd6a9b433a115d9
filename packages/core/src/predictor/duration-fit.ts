import { ERROR_STATISTICS, maleOf, mapeOf, scoreError, unscoredError } from './decaying-error.js';

/**
 * How far back a fit remembers: each new sample weighs 1/FIT_MEMORY once the fit is older than that
 * (exactly the mean before), so a class follows a function that changes within about 50 calls.
 */
const FIT_MEMORY = 50;
const KEEP = 1 - 1 / FIT_MEMORY;
/** Most samples' worth of weight a class gives its parent's estimate: with n samples its own counts at least n/(n+1). */
const PARENT_WEIGHT = 1;
/** Squared log-size spread's worth of weight the parent's exponent keeps: a class seen at one size keeps it. */
const EXPONENT_PRIOR = 1;
/** Log-log slopes beyond these are no workload's; they only arise from noise on a narrow size spread. */
const MIN_EXPONENT = -1;
const MAX_EXPONENT = 3;
/** Below this share of its scale the linear fit's determinant means the sizes did not spread. */
const SINGULAR = 1e-9;
/**
 * The linear fit learns a size at most e^4 (about 55) times the class's typical one: in a least
 * squares fit one absurd size would otherwise outweigh thousands of ordinary calls.
 */
const LINEAR_SIZE_SPAN = 4;
/** Scored calls with a size before a class judges its two size fits for itself (else its parent's choice). */
const MIN_SIZE_SCORED = 5;

/**
 * A class's own estimate backed off towards its parent's: normal–normal shrinkage, the parent
 * weighing as many samples as the call-to-call noise variance is a share of the squared distance
 * between the two (at most PARENT_WEIGHT). A class far from its parent, in a function whose calls
 * are steady, trusts its first sample; one near it, or in a noisy function, leans on the parent.
 */
function shrink(weight: number, own: number, parent: number, noiseVariance: number): number {
  if (weight === 0) return parent;
  const distance = own - parent;
  const parentWeight = Math.min(PARENT_WEIGHT, noiseVariance / (distance * distance));
  return (weight * own + parentWeight * parent) / (weight + parentWeight);
}

// Where each decayed statistic sits in a fit's state: one array of doubles (V8 keeps them unboxed, in
// one block next to the array) rather than a dozen number fields, each of which V8 boxes as a heap
// number of its own, or a Float64Array, whose bytes V8 would keep off the heap behind an
// ArrayBuffer. A request class is a fit (RequestClass extends it), and the error of its predictions
// sits in the same block: what one call reads and writes of a class is the class object and this array.
const WEIGHT = 0;
const MEAN_LOG_MS = 1;
const SIZE_WEIGHT = 2;
const MEAN_LOG_SIZE = 3;
const SIZED_MEAN_LOG_MS = 4;
const LOG_SIZE_SPREAD = 5;
const LOG_SIZE_COVARIANCE = 6;
// The relative-error least squares: u = 1/d, v = size/d, target 1.
const UU = 7;
const UV = 8;
const VV = 9;
const U = 10;
const V = 11;
// How well each size fit has predicted this class's calls (mean absolute log error) and over how many.
const POWER_ERROR = 12;
const LINEAR_ERROR = 13;
const SIZE_SCORED = 14;
// How well the predictions made from this fit did (decaying-error.ts): a class's own estimate, or for a
// function's whole fit, the predictions the function used.
const OWN_ERROR = 15;
const STATISTICS = OWN_ERROR + ERROR_STATISTICS;

/** A fresh state, doubles from the start: an array of small integers would move to a new block at its first update. */
function freshStatistics(): number[] {
  return Array.from({ length: STATISTICS }, (_, i) => (i < OWN_ERROR ? 0 : unscoredError(i - OWN_ERROR)));
}

/**
 * What one class (or a whole function) has learnt about its durations, all exponentially weighted
 * with the same memory:
 * - the mean of ln(duration);
 * - over the calls whose size was known, two fits of duration on body size, because real functions
 *   grow both ways: a power law, ln d = a + k·ln(1 + size) (least squares by Welford's update with
 *   forgetting, i.e. recursive least squares with a forgetting factor for one regressor), and a
 *   fixed cost plus a cost per byte, d = c + r·size, fitted on relative error (each call weighted
 *   by 1/d², so that short calls count as much as long ones).
 * A young class backs off to its parent: the mean by sample count, the power law's exponent by how
 * much size spread it has seen, the per-byte cost while the sizes have not spread at all.
 */
export class DurationFit {
  readonly #s: number[] = freshStatistics();

  /** The mean absolute log error of the predictions scored here over recent calls (NaN before any). */
  get male(): number {
    return maleOf(this.#s, OWN_ERROR);
  }

  /** The same as a mean absolute percentage error, a fraction. */
  get mape(): number {
    return mapeOf(this.#s, OWN_ERROR);
  }

  /** Scores a prediction made from this fit for a call: its log ratio to the duration, and the ratio. */
  scoreEstimate(logRatio: number, ratio: number): void {
    scoreError(this.#s, OWN_ERROR, logRatio, ratio);
  }

  /** Effective samples with a known size (decayed). */
  get sizeWeight(): number {
    return this.#s[SIZE_WEIGHT] as number;
  }

  /** The mean of ln(duration) over recent calls. */
  get meanLogMs(): number {
    return this.#s[MEAN_LOG_MS] as number;
  }

  /** `size` in bytes and `logSize` = ln(1 + size), both NaN when unknown; `ms` >= 1 and its log. */
  observe(size: number, logSize: number, ms: number, logMs: number): void {
    const s = this.#s;
    const weight = (s[WEIGHT] as number) * KEEP + 1;
    s[WEIGHT] = weight;
    s[MEAN_LOG_MS] = (s[MEAN_LOG_MS] as number) + (logMs - (s[MEAN_LOG_MS] as number)) / weight;
    if (Number.isNaN(logSize)) return;
    const meanLogSize = s[MEAN_LOG_SIZE] as number;
    const learntSize = s[SIZE_WEIGHT] === 0 || logSize < meanLogSize + LINEAR_SIZE_SPAN ? size : Math.exp(meanLogSize + LINEAR_SIZE_SPAN);
    const sizeWeight = (s[SIZE_WEIGHT] as number) * KEEP + 1;
    s[SIZE_WEIGHT] = sizeWeight;
    const dx = logSize - meanLogSize;
    const newMeanLogSize = meanLogSize + dx / sizeWeight;
    s[MEAN_LOG_SIZE] = newMeanLogSize;
    const sizedMean = (s[SIZED_MEAN_LOG_MS] as number) + (logMs - (s[SIZED_MEAN_LOG_MS] as number)) / sizeWeight;
    s[SIZED_MEAN_LOG_MS] = sizedMean;
    s[LOG_SIZE_SPREAD] = (s[LOG_SIZE_SPREAD] as number) * KEEP + dx * (logSize - newMeanLogSize);
    s[LOG_SIZE_COVARIANCE] = (s[LOG_SIZE_COVARIANCE] as number) * KEEP + dx * (logMs - sizedMean);
    const u = 1 / ms;
    const v = learntSize * u;
    s[UU] = (s[UU] as number) * KEEP + u * u;
    s[UV] = (s[UV] as number) * KEEP + u * v;
    s[VV] = (s[VV] as number) * KEEP + v * v;
    s[U] = (s[U] as number) * KEEP + u;
    s[V] = (s[V] as number) * KEEP + v;
  }

  /**
   * The mean log-duration, backed off towards the parent's while the class is young; `noiseVariance`
   * (> 0) is the function's call-to-call variance of log-duration, as here and below.
   */
  mean(parentLogMs: number, noiseVariance: number): number {
    return shrink(this.#s[WEIGHT] as number, this.#s[MEAN_LOG_MS] as number, parentLogMs, noiseVariance);
  }

  /** The power law's exponent d ln(duration) / d ln(1 + size): ridge regression towards the parent's. */
  exponent(parentExponent: number): number {
    const s = this.#s;
    const k = ((s[LOG_SIZE_COVARIANCE] as number) + EXPONENT_PRIOR * parentExponent) / ((s[LOG_SIZE_SPREAD] as number) + EXPONENT_PRIOR);
    return k < MIN_EXPONENT ? MIN_EXPONENT : k > MAX_EXPONENT ? MAX_EXPONENT : k;
  }

  /** The power law's log-duration at a log-size, backed off towards the parent's at that size while young. */
  powerAt(logSize: number, exponent: number, parentLogMs: number, noiseVariance: number): number {
    const s = this.#s;
    const own = (s[SIZED_MEAN_LOG_MS] as number) + exponent * (logSize - (s[MEAN_LOG_SIZE] as number));
    return shrink(s[SIZE_WEIGHT] as number, own, parentLogMs, noiseVariance);
  }

  /** Scores the two size fits' predictions (log ms) for a call of known size against its log duration. */
  scoreSizeFits(powerLogMs: number, linearLogMs: number, logMs: number): void {
    const s = this.#s;
    const scored = (s[SIZE_SCORED] as number) + 1;
    s[SIZE_SCORED] = scored;
    const weight = scored < FIT_MEMORY ? 1 / scored : 1 / FIT_MEMORY;
    s[POWER_ERROR] = (s[POWER_ERROR] as number) + weight * (Math.abs(powerLogMs - logMs) - (s[POWER_ERROR] as number));
    s[LINEAR_ERROR] = (s[LINEAR_ERROR] as number) + weight * (Math.abs(linearLogMs - logMs) - (s[LINEAR_ERROR] as number));
  }

  /** Whether the linear fit has predicted this class better than the power law; the parent's choice until it has seen enough. */
  prefersLinear(parentPrefersLinear: boolean): boolean {
    const s = this.#s;
    if ((s[SIZE_SCORED] as number) < MIN_SIZE_SCORED) return parentPrefersLinear;
    return (s[LINEAR_ERROR] as number) < (s[POWER_ERROR] as number);
  }

  /** Milliseconds per byte of the linear fit; the parent's while the sizes seen have not spread. */
  perByte(parentPerByte: number): number {
    const s = this.#s;
    const uu = s[UU] as number;
    const uv = s[UV] as number;
    const vv = s[VV] as number;
    const determinant = uu * vv - uv * uv;
    if (!(determinant > SINGULAR * uu * vv)) return parentPerByte;
    return ((s[V] as number) * uu - (s[U] as number) * uv) / determinant;
  }

  /** The linear fit's log-duration at a size given its per-byte cost, backed off towards the parent's while young. */
  linearAt(size: number, perByte: number, parentLogMs: number, noiseVariance: number): number {
    const s = this.#s;
    const sizeWeight = s[SIZE_WEIGHT] as number;
    if (sizeWeight === 0) return parentLogMs;
    // The fixed cost that fits best given the per-byte one: weighted least squares in one unknown.
    const fixedMs = ((s[U] as number) - perByte * (s[UV] as number)) / (s[UU] as number);
    const ms = fixedMs + perByte * size;
    return shrink(sizeWeight, ms > 1 ? Math.log(ms) : 0, parentLogMs, noiseVariance);
  }
}
