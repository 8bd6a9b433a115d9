import { DecayingError } from './decaying-error.js';
import { DurationFit } from './duration-fit.js';

/**
 * How specific a class is: `route` (method and route template), `event` (and the CloudEvent type),
 * `variant` (and the query's shape and the operator's features).
 */
export type ClassLevel = 'route' | 'event' | 'variant';

/** One learnt request class of a function, linked into its table's recency list. */
export class RequestClass {
  readonly fit = new DurationFit();
  /** Scores this class's own estimate for the calls that fell in it. */
  readonly error = new DecayingError();
  /** Calls learnt from over the class's life (the fit's weight decays; this does not). */
  samples = 0;
  /** Set when the table evicted it: a cache that still holds it must look again. */
  evicted = false;
  /**
   * The finer class the last call of this one went to, and what told it apart (its CloudEvent
   * type, or its query's shape): a cache, so that a run of like calls skips building a key.
   */
  lastRefinement: string | undefined = undefined;
  lastRefined: RequestClass | undefined = undefined;
  newer: RequestClass | undefined = undefined;
  older: RequestClass | undefined = undefined;

  constructor(
    /** Readable and unique within the function: `GET /users/{n}`, `POST / ce=order.created`. */
    readonly key: string,
    readonly level: ClassLevel,
  ) {}
}
