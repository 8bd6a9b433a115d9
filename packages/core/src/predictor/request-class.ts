import { DurationFit } from './duration-fit.js';

/**
 * How specific a class is: `route` (method and route template), `event` (and the CloudEvent type),
 * `variant` (and the query's shape and the operator's features).
 */
export type ClassLevel = 'route' | 'event' | 'variant';

/** Finer classes a class remembers the way to: a route's few report ranges or event types. */
export const REFINEMENT_SLOTS = 8;

/**
 * One learnt request class of a function, linked into its table's recency list. It is the fit of
 * what it learnt (and of how well its own estimate did): one object and one block of doubles, where
 * a fit and an error of its own would be more places in memory for every call to reach.
 */
export class RequestClass extends DurationFit {
  /** Calls learnt from over the class's life (the fit's weight decays; this does not). */
  samples = 0;
  /** Set when the table evicted it: a cache that still holds it must look again. */
  evicted = false;
  /**
   * The finer classes recent calls of this one went to, and what told each apart (its CloudEvent
   * type, or its query's shape), in slots reused round-robin: a cache, so that like calls skip
   * building a key and looking it up (the table stays the owner). Made at the first: the finest
   * classes, the most numerous, never have any.
   */
  refinements: string[] | undefined = undefined;
  refined: RequestClass[] | undefined = undefined;
  /** The slot the next new refinement takes once all REFINEMENT_SLOTS are used. */
  nextRefinementSlot = 0;
  /** The table's lookup count when it last moved to the front of the recency list. */
  movedAt = 0;
  newer: RequestClass | undefined = undefined;
  older: RequestClass | undefined = undefined;

  constructor(
    /** Readable and unique within the function: `GET /users/{n}`, `POST / ce=order.created`. */
    readonly key: string,
    readonly level: ClassLevel,
  ) {
    super();
  }
}
