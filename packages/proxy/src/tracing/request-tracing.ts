import { performance } from 'node:perf_hooks';
import type { Attributes } from '@opentelemetry/api';
import type { Logger } from 'pino';
import { sameConfig, type TracingConfig } from '../config/index.js';
import type { ExchangeObserver } from '../lifecycle.js';
import type { RequestTracer } from './request-tracer.js';
import { createSpanObserver } from './span-observer.js';

export interface RequestTracingOptions {
  /** The proxy's `observe` (Shortline.observe). */
  readonly observe: (observer: ExchangeObserver) => () => void;
  readonly logger: Logger;
  /** The proxy's clock (ShortlineOptions.clock); default performance.now. */
  readonly clock?: () => number;
  /** Resource attributes of every span beside `service.name`, e.g. `k8s.namespace.name`. */
  readonly resource?: Attributes;
}

/** Tracing as the configuration says, switched on, off or re-pointed by each reload. */
export interface RequestTracing {
  /** The `tracing` section in force now; resolves once the new tracer observes requests. */
  apply(config: TracingConfig): Promise<void>;
  /** Sends the spans buffered so far. */
  flush(): Promise<void>;
  /** Sends what is buffered and stops observing. */
  close(): Promise<void>;
}

interface Active {
  readonly tracer: RequestTracer;
  readonly unobserve: () => void;
}

/**
 * A span per request through the OpenTelemetry SDK, as an observer of the proxy's request lifecycle.
 * Off (protocol none) nothing observes the request path and the SDK is never loaded: tracing off is
 * free. The SDK loads the first time tracing is switched on.
 */
export function createRequestTracing(options: RequestTracingOptions): RequestTracing {
  const clock = options.clock ?? (() => performance.now());
  let current: TracingConfig | undefined;
  let active: Active | undefined;
  let applying: Promise<void> = Promise.resolve();

  const switchTo = async (config: TracingConfig): Promise<void> => {
    if (current !== undefined && sameConfig(config, current)) return;
    current = config;
    const previous = active;
    active = undefined;
    previous?.unobserve();
    if (config.protocol !== 'none') {
      try {
        const { createOtelTracer } = await import('./otel-tracer.js');
        const tracer = createOtelTracer(config, options.resource ?? {});
        active = { tracer, unobserve: options.observe(createSpanObserver(tracer, clock)) };
        options.logger.info({ protocol: config.protocol, endpoint: config.endpoint, samplingRate: config.samplingRate }, 'tracing: a span per request');
      } catch (error) {
        options.logger.error({ err: error, protocol: config.protocol, endpoint: config.endpoint }, 'tracing could not start; requests go on untraced');
      }
    } else if (previous !== undefined) {
      options.logger.info('tracing off');
    }
    await previous?.tracer.shutdown();
  };

  return {
    apply(config) {
      // One switch at a time, in the order the reloads came.
      applying = applying.then(() => switchTo(config));
      return applying;
    },
    async flush() {
      await applying;
      await active?.tracer.flush();
    },
    async close() {
      await applying;
      const last = active;
      active = undefined;
      last?.unobserve();
      await last?.tracer.shutdown();
    },
  };
}
