/**
 * sleep: waits (I/O-bound); spin: keeps a CPU busy (CPU-bound); echo: streams the request body back;
 * service: several functions whose work grows with their input, as routes of one server.
 */
export const SAMPLE_KINDS = ['sleep', 'spin', 'echo', 'service'] as const;
export type SampleKind = (typeof SAMPLE_KINDS)[number];

export function isSampleKind(value: string): value is SampleKind {
  return (SAMPLE_KINDS as readonly string[]).includes(value);
}
