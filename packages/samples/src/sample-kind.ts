/**
 * sleep: waits (I/O-bound); spin: keeps a CPU busy (CPU-bound); echo: streams the request body back;
 * service: several functions whose work grows with their input, as routes of one server;
 * sequential: K workers first come first served (a single-threaded function when K = 1); shared:
 * processor sharing over K virtual cores (a multi-threaded one). The last two are modelled with
 * timers, not burnt.
 */
export const SAMPLE_KINDS = ['sleep', 'spin', 'echo', 'service', 'sequential', 'shared'] as const;
export type SampleKind = (typeof SAMPLE_KINDS)[number];

export function isSampleKind(value: string): value is SampleKind {
  return (SAMPLE_KINDS as readonly string[]).includes(value);
}

/** Workers (sequential) or virtual cores (shared) when none are given. */
export const DEFAULT_CAPACITY = { sequential: 1, shared: 2 } as const;
