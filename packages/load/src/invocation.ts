/** A grid point of dataset mode, shared by every call made at it. */
export interface SweepPoint {
  /** The grid's values by parameter name, as they go into the target's placeholders. */
  readonly params: Readonly<Record<string, string>>;
  /** The same as `key=value` pairs joined by `;`: the records' params column. */
  readonly paramsText: string;
  /** How many calls are kept in flight together at this point. */
  readonly concurrency: number;
}

/** One invocation to send, as a schedule or a sweep hands it to the sender. */
export interface LoadInvocation {
  /** Its position in the schedule: unique within a run, resumed parts included. */
  readonly id: number;
  readonly functionName: string;
  /** When it is due, in ms from the start of the schedule. */
  readonly scheduledMs: number;
  /** The duration it stands for (`{ms}`), scaled; NaN when the source has none. */
  readonly durationMs: number;
  /** The size of the request body to send, in bytes; NaN for none. */
  readonly bodyBytes: number;
  readonly sweep?: SweepPoint | undefined;
}

/** An invocation in a checkpoint: JSON has no NaN, so unknown numbers are null. */
export interface InvocationJson {
  readonly id: number;
  readonly functionName: string;
  readonly scheduledMs: number;
  readonly durationMs: number | null;
  readonly bodyBytes: number | null;
}

const orNull = (value: number): number | null => (Number.isNaN(value) ? null : value);
const orNaN = (value: number | null): number => value ?? NaN;

export function invocationToJson(invocation: LoadInvocation): InvocationJson {
  return {
    id: invocation.id,
    functionName: invocation.functionName,
    scheduledMs: invocation.scheduledMs,
    durationMs: orNull(invocation.durationMs),
    bodyBytes: orNull(invocation.bodyBytes),
  };
}

export function invocationFromJson(json: InvocationJson): LoadInvocation {
  return { ...json, durationMs: orNaN(json.durationMs), bodyBytes: orNaN(json.bodyBytes) };
}
