import type { IncomingHttpHeaders } from 'node:http';
import { ROOT_CONTEXT, SpanKind, type Attributes, type Span } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { ZipkinExporter } from '@opentelemetry/exporter-zipkin';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler, TracerProvider, type SpanExporter } from '@opentelemetry/sdk-trace';
import type { TracingConfig } from '../config/index.js';
import type { RequestTracer } from './request-tracer.js';

/** Reads the W3C headers of a request as Node gives them (lower-case names, a repeated one as a list). */
const HEADER_GETTER = {
  keys: (headers: IncomingHttpHeaders): string[] => Object.keys(headers),
  get: (headers: IncomingHttpHeaders, key: string): string | string[] | undefined => headers[key],
};

function exporterFor(config: TracingConfig): SpanExporter {
  switch (config.protocol) {
    case 'zipkin':
      return new ZipkinExporter({ url: config.endpoint, serviceName: config.serviceName });
    default:
      return new OTLPTraceExporter({ url: config.endpoint });
  }
}

/**
 * The OpenTelemetry SDK behind RequestTracer: the only module that loads it, and only once tracing is
 * switched on (the sidecar's start-up time and memory matter). Spans go out in batches; the caller's
 * `traceparent` makes each one a child of the caller's span, and its sampled flag decides.
 */
export function createOtelTracer(config: TracingConfig, resource: Attributes): RequestTracer {
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': config.serviceName, ...resource }),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(config.samplingRate) }),
    spanProcessors: [new BatchSpanProcessor({ exporter: exporterFor(config) })],
  });
  const tracer = provider.getTracer('shortline');
  const propagator = new W3CTraceContextPropagator();
  return {
    start(headers: IncomingHttpHeaders, name: string): Span {
      const parent = headers.traceparent === undefined ? ROOT_CONTEXT : propagator.extract(ROOT_CONTEXT, headers, HEADER_GETTER);
      return tracer.startSpan(name, { kind: SpanKind.SERVER }, parent);
    },
    flush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}
