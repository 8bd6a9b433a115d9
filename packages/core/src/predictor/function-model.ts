import { BoundedValues } from './bounded-values.js';
import { CANDIDATE_COUNT, CANDIDATES, CandidateChoice } from './candidate-choice.js';
import { ClassTable } from './class-table.js';
import type { DurationEstimate } from './duration-estimate.js';
import { DurationFit } from './duration-fit.js';
import { QueryShapes } from './query-shapes.js';
import { REFINEMENT_SLOTS, type RequestClass } from './request-class.js';
import type { RequestFeatures } from './request-features.js';
import type { RequestClassStats, RequestModelStats } from './request-model-stats.js';
import type { PredictionPool } from './prediction-pool.js';
import { RequestPrediction, type PredictionLearner } from './request-prediction.js';
import { RouteTemplates, type TemplateNode } from './route-templates.js';

/** Predictions and durations are taken between 1 ms and about 11.6 days: a sub-millisecond or absurd value means nothing. */
const MAX_MS = 1e9;
const MAX_LOG_MS = Math.log(MAX_MS);
/** Larger sizes than 2^53 bytes are not sizes; they all count as that. */
const MAX_SIZE = 2 ** 53;
/** HTTP methods are short tokens; anything longer is one class of its own. */
const MAX_METHOD_LENGTH = 16;
const LONG_METHOD = 'OTHER';
/** CloudEvent types and operator feature values kept by identity per function; later ones are `*`. */
const MAX_CATEGORIES = 64;
const BYTES_PER_MIB = 1_048_576;
/**
 * The call-to-call variance of log-duration that class estimates are shrunk with, from the function's
 * recent error (for normal errors the mean absolute error is sigma·sqrt(2/π)); before any is known,
 * a spread of 1 (calls of a class within a factor of e of each other), and never below 0.05².
 */
const NOISE_PER_MALE_SQUARED = Math.PI / 2;
const UNKNOWN_NOISE_VARIANCE = 1;
const MIN_NOISE_VARIANCE = 0.0025;
/**
 * Where a prediction keeps what it said: the candidates (level L's mean at 2L, its size fit at
 * 2L + 1), then each level's two size fits (power law at POWER + 2L, linear at POWER + 2L + 1),
 * which the classes are judged on.
 */
const POWER = CANDIDATE_COUNT;

function clampLog(logMs: number): number {
  return logMs > 0 ? (logMs < MAX_LOG_MS ? logMs : MAX_LOG_MS) : 0;
}

/** A duration in ms within [1, MAX_MS]; anything that is not a number >= 1 is 1 ms. */
function clampMs(ms: number): number {
  return ms >= 1 ? (ms < MAX_MS ? ms : MAX_MS) : 1;
}

/** A body size in bytes, NaN when unknown (negative, or not a number). */
function sizeOf(bytes: number): number {
  return bytes >= 0 ? (bytes < MAX_SIZE ? bytes : MAX_SIZE) : NaN;
}

/** Teaches a fit a call at `level`, judging its two size fits first when the size was known. */
function learnFit(fit: DurationFit, level: number, estimates: readonly number[], size: number, logSize: number, ms: number, logMs: number): void {
  if (!Number.isNaN(size)) fit.scoreSizeFits(estimates[POWER + 2 * level] as number, estimates[POWER + 2 * level + 1] as number, logMs);
  fit.observe(size, logSize, ms, logMs);
}

/**
 * Teaches a class a call, scoring its own estimate of the kind that predicted; `used` is the
 * estimate that predicted the call (log ms) and `usedRatio` its ratio to the duration, which a
 * class whose estimate is the same number reuses instead of taking an exponential again.
 */
function learnInto(
  requestClass: RequestClass,
  level: number,
  kind: number,
  estimates: readonly number[],
  size: number,
  logSize: number,
  ms: number,
  logMs: number,
  used: number,
  usedRatio: number,
): void {
  requestClass.samples++;
  const own = estimates[2 * level + kind] as number;
  requestClass.scoreEstimate(own - logMs, own === used ? usedRatio : Math.exp(own - logMs));
  learnFit(requestClass, level, estimates, size, logSize, ms, logMs);
}

/**
 * The request-level predictor of one function. A call's features place it in up to three nested
 * classes (route, then also its CloudEvent type, then also its query's shape and the operator's
 * features); each class's estimate backs off to the one above while young, down to the function's
 * own estimate. Eight candidate predictions (each level by its mean and by its size fit: the power
 * law or the linear fit, whichever has predicted that class better) are made for every call and
 * scored when it completes; the one with the lowest recent error predicts,
 * a more specific one only if it is clearly better. Everything is bounded: templates, distinct
 * values and classes, whatever the requests.
 */
export class FunctionModel implements PredictionLearner {
  readonly #templates = new RouteTemplates();
  readonly #queries = new QueryShapes();
  readonly #ceTypes = new BoundedValues(MAX_CATEGORIES, 'keep-known');
  readonly #extras = new BoundedValues(MAX_CATEGORIES, 'keep-known');
  readonly #classes: ClassTable;
  /**
   * The function's own fit, over all its calls: the size fits of the `function` level. Its error
   * scores the predictions used (the chosen candidate's), in the same block of memory.
   */
  readonly #whole = new DurationFit();
  readonly choice = new CandidateChoice();
  samples = 0;
  // The level above's estimates while predict() walks down the levels.
  #mean = 0;
  #power = 0;
  #linear = 0;
  #exponent = 0;
  #perByte = 0;
  #prefersLinear = false;
  #noiseVariance = UNKNOWN_NOISE_VARIANCE;

  readonly #pool: PredictionPool;

  constructor(
    maxClasses: number,
    pool: PredictionPool,
    /** The function's own estimate (the predictor's), kept here so that learning needs no lookup. */
    readonly estimate: DurationEstimate,
  ) {
    this.#classes = new ClassTable(maxClasses);
    this.#pool = pool;
  }

  setMaxClasses(maxClasses: number): void {
    this.#classes.shrinkTo(maxClasses);
  }

  /** `functionEstimateMs`: the function's plain estimate (or prior), the root every class backs off to. */
  predict(features: RequestFeatures, functionEstimateMs: number): RequestPrediction {
    const method = features.method.length <= MAX_METHOD_LENGTH ? features.method : LONG_METHOD;
    const route = this.#routeOf(this.#templates.templateOf(features.target, features.pathEnd), method);
    const ceType = features.ceType;
    const event = ceType === undefined ? route : this.#refine(route, ceType, 'event');
    let variant = event;
    const hasQuery = features.hasQuery;
    if (hasQuery || features.extra !== undefined) {
      let shape = hasQuery ? this.#queries.keyOf(features.target, features.pathEnd + 1) : '';
      if (features.extra !== undefined) shape += ` [${this.#extras.keyOf(features.extra) as string}]`;
      variant = this.#refine(event, shape, 'variant');
    }

    const size = sizeOf(features.contentLength);
    // Most calls have no body: ln(1 + 0) needs no logarithm.
    const logSize = size === 0 ? 0 : Math.log1p(size);
    const prediction = this.#pool.take() ?? new RequestPrediction(this, route, event, variant);
    prediction.model = this;
    prediction.route = route;
    prediction.event = event;
    prediction.variant = variant;
    prediction.learnt = false;
    const estimates = prediction.estimates;
    const root = Math.log(clampMs(functionEstimateMs));
    this.#mean = root;
    this.#power = root;
    this.#linear = root;
    this.#exponent = 0;
    this.#perByte = 0;
    this.#prefersLinear = false;
    const male = this.#whole.male;
    this.#noiseVariance = Number.isNaN(male) ? UNKNOWN_NOISE_VARIANCE : Math.max(MIN_NOISE_VARIANCE, NOISE_PER_MALE_SQUARED * male * male);
    this.#estimateLevel(this.#whole, 0, size, logSize, estimates);
    this.#estimateLevel(route, 1, size, logSize, estimates);
    if (event !== route) this.#estimateLevel(event, 2, size, logSize, estimates);
    else this.#copyLevel(2, estimates);
    if (variant !== event) this.#estimateLevel(variant, 3, size, logSize, estimates);
    else this.#copyLevel(3, estimates);
    const chosen = this.choice.chosen;
    prediction.size = size;
    prediction.logSize = logSize;
    prediction.candidate = chosen;
    prediction.predictedMs = Math.exp(estimates[chosen] as number);
    return prediction;
  }

  /**
   * Scores every candidate of a completed call against its duration and learns it, then hands the
   * prediction back for reuse. Ignores a non-finite or negative duration, and a prediction already
   * learnt from.
   */
  learn(prediction: RequestPrediction, observedMs: number): void {
    if (prediction.learnt) return;
    prediction.learnt = true;
    if (observedMs >= 0 && observedMs < Infinity) this.#learn(prediction, observedMs);
    this.#pool.give(prediction);
  }

  #learn(prediction: RequestPrediction, observedMs: number): void {
    const ms = clampMs(observedMs);
    const logMs = Math.log(ms);
    const { estimates, size, logSize, route, event, variant } = prediction;
    // A class is scored by its own level's estimate of the kind (mean or size fit) that predicted.
    const kind = prediction.candidate % 2;
    const used = estimates[prediction.candidate] as number;
    const usedRatio = prediction.predictedMs / ms;
    this.samples++;
    this.#whole.scoreEstimate(used - logMs, usedRatio);
    this.choice.score(estimates, logMs);
    learnFit(this.#whole, 0, estimates, size, logSize, ms, logMs);
    learnInto(route, 1, kind, estimates, size, logSize, ms, logMs, used, usedRatio);
    if (event !== route) learnInto(event, 2, kind, estimates, size, logSize, ms, logMs, used, usedRatio);
    if (variant !== event) learnInto(variant, 3, kind, estimates, size, logSize, ms, logMs, used, usedRatio);
  }

  stats(topClasses: number): RequestModelStats {
    const candidate = CANDIDATES[this.choice.chosen] as (typeof CANDIDATES)[number];
    const top = [...this.#classes.classes()].sort((a, b) => b.samples - a.samples || (a.key < b.key ? -1 : 1)).slice(0, topClasses);
    return {
      samples: this.samples,
      candidate: candidate.name,
      features: candidate.features,
      male: this.#whole.male,
      mape: this.#whole.mape,
      candidates: CANDIDATES.map((c, i) => ({ name: c.name, male: this.choice.scored === 0 ? NaN : (this.choice.male[i] as number) })),
      classCount: this.#classes.size,
      evictedClasses: this.#classes.evictions,
      classes: top.map(
        (c): RequestClassStats => ({
          key: c.key,
          level: c.level,
          samples: c.samples,
          estimateMs: c.samples === 0 ? NaN : Math.exp(c.meanLogMs),
          sizeExponent: c.sizeWeight === 0 ? 0 : c.exponent(0),
          msPerMiB: c.sizeWeight === 0 ? 0 : c.perByte(0) * BYTES_PER_MIB,
          sizeFit: c.prefersLinear(false) ? 'linear' : 'power',
          male: c.male,
          mape: c.mape,
        }),
      ),
    };
  }

  /** The route class of a template and method: the template's cached one while it is the same method's. */
  #routeOf(node: TemplateNode, method: string): RequestClass {
    const cached = node.lastRoute;
    if (cached !== undefined && node.lastMethod === method && !cached.evicted) {
      this.#classes.refresh(cached);
      return cached;
    }
    const route = this.#classes.touch(`${method} ${node.template}`, 'route');
    node.lastMethod = method;
    node.lastRoute = route;
    return route;
  }

  /**
   * The finer class of `parent` that `refinement` tells apart: for an `event`, a CloudEvent type;
   * for a `variant`, the query's shape and operator values as a key suffix. Found in the parent's
   * cache when a recent call had the same.
   */
  #refine(parent: RequestClass, refinement: string, level: 'event' | 'variant'): RequestClass {
    const refinements = (parent.refinements ??= []);
    const refinedClasses = (parent.refined ??= []);
    for (let i = 0; i < refinements.length; i++) {
      const cached = refinedClasses[i] as RequestClass;
      if (refinements[i] === refinement && !cached.evicted) {
        this.#classes.refresh(cached);
        return cached;
      }
    }
    const suffix = level === 'event' ? ` ce=${this.#ceTypes.keyOf(refinement) as string}` : refinement;
    const refined = this.#classes.touch(parent.key + suffix, level);
    const slot = refinements.length < REFINEMENT_SLOTS ? refinements.length : parent.nextRefinementSlot;
    refinements[slot] = refinement;
    refinedClasses[slot] = refined;
    parent.nextRefinementSlot = (slot + 1) % REFINEMENT_SLOTS;
    return refined;
  }

  /**
   * One level's estimates, each backed off to the level above's. The function level's mean is the
   * function's own estimate, so that with no feature chosen a call is predicted exactly as one
   * without features. A size fit is the mean when the size is unknown, or when no size spread has
   * been seen at this level or above: then it knows nothing the mean does not.
   */
  #estimateLevel(fit: DurationFit, level: number, size: number, logSize: number, estimates: number[]): void {
    const noise = this.#noiseVariance;
    const mean = level === 0 ? this.#mean : clampLog(fit.mean(this.#mean, noise));
    this.#exponent = fit.exponent(this.#exponent);
    this.#perByte = fit.perByte(this.#perByte);
    this.#prefersLinear = fit.prefersLinear(this.#prefersLinear);
    const sized = !Number.isNaN(size) && (this.#exponent !== 0 || this.#perByte !== 0);
    this.#mean = mean;
    this.#power = sized ? clampLog(fit.powerAt(logSize, this.#exponent, this.#power, noise)) : mean;
    this.#linear = sized ? clampLog(fit.linearAt(size, this.#perByte, this.#linear, noise)) : mean;
    this.#copyLevel(level, estimates);
  }

  /** A level with no class of its own (no CloudEvent type, no query) predicts as the level above. */
  #copyLevel(level: number, estimates: number[]): void {
    estimates[2 * level] = this.#mean;
    estimates[2 * level + 1] = this.#prefersLinear ? this.#linear : this.#power;
    estimates[POWER + 2 * level] = this.#power;
    estimates[POWER + 2 * level + 1] = this.#linear;
  }
}
