/**
 * The fields a waiting queue reads and writes on the invocations it holds. Queues keep their links on
 * the item itself (intrusive lists and heaps), so holding an invocation allocates nothing extra.
 */
export interface Queued {
  /** Predicted remaining time in ms: predicted duration plus any remaining workflow. */
  readonly predictedMs: number;
  readonly arrivalMs: number;
  /** Enqueue order; breaks every tie so that schedules are deterministic. */
  readonly seq: number;
  prev: this | undefined;
  next: this | undefined;
  heapIndex: number;
  bucket: number;
}
