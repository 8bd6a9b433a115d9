/**
 * What runs inside one backend, for the simulator: calls are admitted with the work they need (ms of
 * a worker or a core, or of waiting), and the model says when each one finishes. Capacity (workers,
 * cores) may change mid-run. Every model is deterministic: equal times finish in admission order.
 */
export interface ContainerModel {
  readonly kind: ContainerModelKind;
  /** Calls admitted and not finished. */
  readonly running: number;
  /** When the next call finishes; Infinity when none runs. */
  readonly nextCompletionMs: number;
  admit(id: number, workMs: number, now: number): void;
  /** Finishes the call due at nextCompletionMs and returns its id; call only when running > 0. */
  finishNext(): number;
  /** Workers or cores from now on; ignored by an I/O-bound model. */
  setCapacity(capacity: number, now: number): void;
}

/**
 * sequential:K — K workers that take calls first come first served from a backlog (single-threaded
 * Node or Python, gunicorn sync workers); shared:K — processor sharing over K cores, each of n calls
 * getting min(1, K/n) of a core (multi-threaded Go, Java); io — every call just waits its time.
 */
export const CONTAINER_MODEL_KINDS = ['sequential', 'shared', 'io'] as const;
export type ContainerModelKind = (typeof CONTAINER_MODEL_KINDS)[number];

export interface ContainerModelSpec {
  readonly kind: ContainerModelKind;
  /** Workers (sequential) or cores (shared); 0 for io. */
  readonly capacity: number;
}

export class ContainerSpecError extends RangeError {
  readonly code = 'SHORTLINE_CONTAINER_SPEC';
  constructor(reason: string) {
    super(reason);
    this.name = 'ContainerSpecError';
  }
}

function isContainerModelKind(kind: string): kind is ContainerModelKind {
  return (CONTAINER_MODEL_KINDS as readonly string[]).includes(kind);
}

/** Parses `sequential:K`, `shared:K` or `io`. */
export function parseContainerModelSpec(text: string): ContainerModelSpec {
  const [kind = '', count] = text.trim().split(':', 2);
  if (!isContainerModelKind(kind)) throw new ContainerSpecError(`unknown backend kind "${kind}"; known: sequential:K, shared:K, io`);
  if (kind === 'io') {
    if (count !== undefined) throw new ContainerSpecError('io takes no count (it waits, it has no workers or cores)');
    return { kind, capacity: 0 };
  }
  const capacity = count === undefined ? NaN : Number(count);
  if (!(Number.isSafeInteger(capacity) && capacity >= 1)) {
    throw new ContainerSpecError(`${kind} needs its ${kind === 'sequential' ? 'workers' : 'cores'} as an integer >= 1, e.g. ${kind}:2; got "${text}"`);
  }
  return { kind, capacity };
}

export function formatContainerModelSpec(spec: ContainerModelSpec): string {
  return spec.kind === 'io' ? 'io' : `${spec.kind}:${spec.capacity}`;
}
