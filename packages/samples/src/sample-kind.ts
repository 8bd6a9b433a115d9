/** sleep: waits (I/O-bound); spin: keeps a CPU busy (CPU-bound); echo: streams the request body back. */
export const SAMPLE_KINDS = ['sleep', 'spin', 'echo'] as const;
export type SampleKind = (typeof SAMPLE_KINDS)[number];

export function isSampleKind(value: string): value is SampleKind {
  return (SAMPLE_KINDS as readonly string[]).includes(value);
}
