import type { Span } from '@opentelemetry/api';
import type { ExchangeObserver, ObservedExchange } from '../lifecycle.js';
import { pathWithoutQuery } from '../path-without-query.js';
import type { RequestTracer } from './request-tracer.js';

/** SpanStatusCode.ERROR of @opentelemetry/api, which this module imports only as types. */
const SPAN_STATUS_ERROR = 2;

interface OpenSpan {
  readonly span: Span;
  /** Clock time (ms) it was first sent to a backend; undefined while it waits. */
  startedAtMs: number | undefined;
}

/**
 * One span per request, from its arrival to its answer, with the time it waited in the queue and the
 * time upstream (from being sent to the end of the answer) as attributes, beside the function, the
 * method, the path and the status. `clock` is the proxy's (ShortlineOptions.clock).
 */
export function createSpanObserver(tracer: RequestTracer, clock: () => number): ExchangeObserver {
  const open = new Map<ObservedExchange, OpenSpan>();
  return {
    arrived(exchange) {
      open.set(exchange, { span: tracer.start(exchange.req.headers, 'shortline'), startedAtMs: undefined });
    },
    started(exchange) {
      const entry = open.get(exchange);
      if (entry !== undefined) entry.startedAtMs ??= clock();
    },
    finished(exchange) {
      const entry = open.get(exchange);
      if (entry === undefined) return;
      open.delete(exchange);
      const { span, startedAtMs } = entry;
      if (span.isRecording()) {
        const now = clock();
        const status = exchange.response.status;
        span.updateName(exchange.functionName === '' ? 'shortline' : `shortline ${exchange.functionName}`);
        span.setAttributes({
          'shortline.function': exchange.functionName,
          'shortline.request_id': exchange.requestId,
          'shortline.queue_wait_ms': (startedAtMs ?? now) - exchange.arrivedAtMs,
          'shortline.upstream_ms': startedAtMs === undefined ? 0 : now - startedAtMs,
          'http.request.method': exchange.req.method ?? '',
          'url.path': pathWithoutQuery(exchange.req.url),
          'http.response.status_code': status,
        });
        // 0: no answer went out (the client left first, or the connection was cut before a head).
        if (status >= 500 || status === 0) span.setStatus({ code: SPAN_STATUS_ERROR });
      }
      span.end();
    },
  };
}
