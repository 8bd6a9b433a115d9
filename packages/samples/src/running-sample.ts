import type { SampleKind } from './sample-kind.js';

/** A sample server that is listening. */
export interface RunningSample {
  readonly kind: SampleKind;
  readonly url: string;
  readonly port: number;
  /** Stops it, ending open connections (requests still running are cut off). */
  close(): Promise<void>;
}

export interface ListenOptions {
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 0: any free port. */
  readonly port?: number;
  readonly maxMs?: number;
  /** Workers (sequential) or virtual cores (shared). */
  readonly capacity?: number;
}
