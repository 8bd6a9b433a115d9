import type { RequestFeatureName } from './candidate-choice.js';
import type { ClassLevel } from './request-class.js';

/** One learnt request class, as /debug/queue shows it. */
export interface RequestClassStats {
  /** `GET /users/{n}`, `POST / ce=order.created`, `GET /report ?range=week`. */
  readonly key: string;
  readonly level: ClassLevel;
  readonly samples: number;
  /** The class's own typical duration (geometric mean of recent calls). */
  readonly estimateMs: number;
  /** How its duration grows with body size: d ln(duration) / d ln(1 + bytes); 0 without a size spread. */
  readonly sizeExponent: number;
  /** The other size fit: milliseconds per MiB of body on top of a fixed cost; 0 without a size spread. */
  readonly msPerMiB: number;
  /** The size fit that has predicted this class better (the power law until sizes were seen). */
  readonly sizeFit: 'power' | 'linear';
  /** Mean absolute log error of the class's own estimate over recent calls. */
  readonly male: number;
  /** Mean absolute percentage error of the same, as a fraction. */
  readonly mape: number;
}

/** What a function's request-level predictor has learnt, and how well it predicts. */
export interface RequestModelStats {
  /** Calls learnt from. */
  readonly samples: number;
  /** The candidate predicting now (see CANDIDATES) and the features it uses. */
  readonly candidate: string;
  readonly features: readonly RequestFeatureName[];
  /** Errors of the predictions used, over recent calls. */
  readonly male: number;
  readonly mape: number;
  /** Every candidate's mean absolute log error over recent calls: why `candidate` was chosen. */
  readonly candidates: readonly { readonly name: string; readonly male: number }[];
  readonly classCount: number;
  /** Classes evicted so far to stay within maxClasses. */
  readonly evictedClasses: number;
  /** The classes with the most samples, most first. */
  readonly classes: readonly RequestClassStats[];
}
