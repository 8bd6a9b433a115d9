import { createServer, type Server } from 'node:http';
import { DEFAULT_MAX_MS } from './duration-parameter.js';
import { sampleHandler } from './sample-handlers.js';
import type { SampleKind } from './sample-kind.js';

export interface SampleServerOptions {
  /** Longest duration a request may ask for; beyond it 400. Default 10 minutes. */
  readonly maxMs?: number;
  /** Workers (sequential) or virtual cores (shared); default 1 and 2. Other kinds ignore it. */
  readonly capacity?: number;
}

/**
 * A sample function as a plain node:http server (keep-alive, any method, any path), not yet listening.
 * `spin` blocks its event loop while it works, as a CPU-bound function does: run it in a process of its
 * own (spawnSampleServer) when anything else shares the process.
 */
export function createSampleServer(kind: SampleKind, options: SampleServerOptions = {}): Server {
  return createServer(sampleHandler(kind, options.maxMs ?? DEFAULT_MAX_MS, options.capacity));
}
