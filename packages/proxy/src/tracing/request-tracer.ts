import type { IncomingHttpHeaders } from 'node:http';
import type { Span } from '@opentelemetry/api';

/** Starts a server span per request; what the tracing observer needs of a tracing SDK. */
export interface RequestTracer {
  /** A span, started now, in the trace the request's `traceparent` names (else a new one). */
  start(headers: IncomingHttpHeaders, name: string): Span;
  /** Sends what is buffered. */
  flush(): Promise<void>;
  /** Sends what is buffered and stops. */
  shutdown(): Promise<void>;
}
