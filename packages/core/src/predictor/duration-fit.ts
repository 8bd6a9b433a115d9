/**
 * How far back a fit remembers: each new sample weighs 1/FIT_MEMORY once the fit is older than that
 * (exactly the mean before), so a class follows a function that changes within about 50 calls.
 */
export const FIT_MEMORY = 50;
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

export class DurationFit {
  /** Effective samples (decayed) in the mean, at most FIT_MEMORY. */
  weight = 0;
  meanLogMs = 0;
  /** Effective samples with a known size. */
  sizeWeight = 0;
  meanLogSize = 0;
  /** Mean log-duration over those samples. */
  sizedMeanLogMs = 0;
  logSizeSpread = 0;
  logSizeCovariance = 0;
  // Decayed sums of the relative-error least squares: u = 1/d, v = size/d, target 1.
  #uu = 0;
  #uv = 0;
  #vv = 0;
  #u = 0;
  #v = 0;

  /** `size` in bytes and `logSize` = ln(1 + size), both NaN when unknown; `ms` >= 1 and its log. */
  observe(size: number, logSize: number, ms: number, logMs: number): void {
    this.weight = this.weight * KEEP + 1;
    this.meanLogMs += (logMs - this.meanLogMs) / this.weight;
    if (Number.isNaN(logSize)) return;
    const learntSize = this.sizeWeight === 0 || logSize < this.meanLogSize + LINEAR_SIZE_SPAN ? size : Math.exp(this.meanLogSize + LINEAR_SIZE_SPAN);
    this.sizeWeight = this.sizeWeight * KEEP + 1;
    const dx = logSize - this.meanLogSize;
    this.meanLogSize += dx / this.sizeWeight;
    this.sizedMeanLogMs += (logMs - this.sizedMeanLogMs) / this.sizeWeight;
    this.logSizeSpread = this.logSizeSpread * KEEP + dx * (logSize - this.meanLogSize);
    this.logSizeCovariance = this.logSizeCovariance * KEEP + dx * (logMs - this.sizedMeanLogMs);
    const u = 1 / ms;
    const v = learntSize * u;
    this.#uu = this.#uu * KEEP + u * u;
    this.#uv = this.#uv * KEEP + u * v;
    this.#vv = this.#vv * KEEP + v * v;
    this.#u = this.#u * KEEP + u;
    this.#v = this.#v * KEEP + v;
  }

  /**
   * The mean log-duration, backed off towards the parent's while the class is young; `noiseVariance`
   * (> 0) is the function's call-to-call variance of log-duration, as here and below.
   */
  mean(parentLogMs: number, noiseVariance: number): number {
    return shrink(this.weight, this.meanLogMs, parentLogMs, noiseVariance);
  }

  /** The power law's exponent d ln(duration) / d ln(1 + size): ridge regression towards the parent's. */
  exponent(parentExponent: number): number {
    const k = (this.logSizeCovariance + EXPONENT_PRIOR * parentExponent) / (this.logSizeSpread + EXPONENT_PRIOR);
    return k < MIN_EXPONENT ? MIN_EXPONENT : k > MAX_EXPONENT ? MAX_EXPONENT : k;
  }

  /** The power law's log-duration at a log-size, backed off towards the parent's at that size while young. */
  powerAt(logSize: number, exponent: number, parentLogMs: number, noiseVariance: number): number {
    return shrink(this.sizeWeight, this.sizedMeanLogMs + exponent * (logSize - this.meanLogSize), parentLogMs, noiseVariance);
  }

  /** Milliseconds per byte of the linear fit; the parent's while the sizes seen have not spread. */
  perByte(parentPerByte: number): number {
    const determinant = this.#uu * this.#vv - this.#uv * this.#uv;
    if (!(determinant > SINGULAR * this.#uu * this.#vv)) return parentPerByte;
    return (this.#v * this.#uu - this.#u * this.#uv) / determinant;
  }

  /** The linear fit's log-duration at a size given its per-byte cost, backed off towards the parent's while young. */
  linearAt(size: number, perByte: number, parentLogMs: number, noiseVariance: number): number {
    if (this.sizeWeight === 0) return parentLogMs;
    // The fixed cost that fits best given the per-byte one: weighted least squares in one unknown.
    const fixedMs = (this.#u - perByte * this.#uv) / this.#uu;
    const ms = fixedMs + perByte * size;
    return shrink(this.sizeWeight, ms > 1 ? Math.log(ms) : 0, parentLogMs, noiseVariance);
  }
}
