import type { RandomState } from '@shortline/sim';
import { invocationFromJson, invocationToJson, type InvocationJson, type LoadInvocation } from './invocation.js';

/** Where a source stands after its last draw, as JSON: enough to continue it in another process. */
export type SourceState =
  | { readonly kind: 'mix'; readonly drawn: number; readonly clockMs: number; readonly random: RandomState }
  /** `random` is the state at the start of `minute` (which is redrawn on restore), or now when no minute is open (-1). */
  | { readonly kind: 'minute-replay'; readonly drawn: number; readonly minute: number; readonly within: number; readonly random: RandomState }
  | { readonly kind: 'trace-replay'; readonly drawn: number };

/** Invocations in the order they are due, drawn one at a time. */
export interface InvocationSource {
  /** The next invocation; undefined once the source has no more. */
  draw(): LoadInvocation | undefined;
  save(): SourceState;
}

/** Where a schedule ends: at a number of invocations or at a time, whichever comes first. */
export interface ScheduleBounds {
  readonly maxInvocations: number;
  /** Invocations due at or after this (ms on the schedule) are not part of it. */
  readonly endMs: number;
}

export const UNBOUNDED: ScheduleBounds = { maxInvocations: Infinity, endMs: Infinity };

/** The schedule in a checkpoint: the first invocation not taken yet (null: none is left), and the source after it. */
export interface StreamCheckpoint {
  readonly next: InvocationJson | null;
  readonly source: SourceState;
}

/**
 * A schedule as the sender consumes it: `peek` the next invocation (drawn when first asked for),
 * `take` it once it is sent. A checkpoint names the invocation peeked but not taken, so that a
 * stopped run continues exactly with it.
 */
export class ScheduleStream {
  readonly #source: InvocationSource;
  readonly #bounds: ScheduleBounds;
  /** Drawn and not taken; undefined: draw on the next peek; null: the schedule has ended. */
  #next: LoadInvocation | null | undefined;

  constructor(source: InvocationSource, bounds: ScheduleBounds, resumeFrom?: StreamCheckpoint) {
    this.#source = source;
    this.#bounds = bounds;
    this.#next = resumeFrom === undefined ? undefined : resumeFrom.next === null ? null : invocationFromJson(resumeFrom.next);
  }

  peek(): LoadInvocation | undefined {
    if (this.#next === undefined) {
      const drawn = this.#source.draw();
      this.#next = drawn !== undefined && drawn.id < this.#bounds.maxInvocations && drawn.scheduledMs < this.#bounds.endMs ? drawn : null;
    }
    return this.#next ?? undefined;
  }

  take(): void {
    if (this.#next !== null) this.#next = undefined;
  }

  checkpoint(): StreamCheckpoint {
    const next = this.peek();
    return { next: next === undefined ? null : invocationToJson(next), source: this.#source.save() };
  }
}
