import { CONFIG_DEFAULTS } from './config-defaults.js';
import type { ConfigSection } from './config-section.js';
import type { TracingConfig, TracingProtocol } from './shortline-config.js';

const TRACING_KEYS = ['protocol', 'endpoint', 'samplingRate', 'serviceName'] as const;
const PROTOCOLS: readonly TracingProtocol[] = ['none', 'http/protobuf', 'zipkin'];

/** Why `text` is not a collector's URL; '' (no collector) is fine. */
function collectorUrl(text: string): string | undefined {
  if (text === '') return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `must be a URL such as http://otel-collector:4318/v1/traces, got ${JSON.stringify(text)}`;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? undefined : `must be an http or https URL, got ${JSON.stringify(text)}`;
}

/** The `tracing:` section: off unless a protocol and the collector's endpoint are given together. */
export function readTracing(top: ConfigSection): TracingConfig {
  const section = top.section('tracing', TRACING_KEYS);
  const defaults = CONFIG_DEFAULTS.tracing;
  const protocol = section.choice('protocol', PROTOCOLS, defaults.protocol);
  const endpoint = section.string('endpoint', defaults.endpoint, collectorUrl);
  if (protocol !== 'none' && endpoint === '') section.problem('endpoint', `is required with protocol ${protocol}`);
  if (protocol === 'none' && endpoint !== '') section.problem('protocol', 'must be http/protobuf or zipkin when an endpoint is given');
  return {
    protocol,
    endpoint,
    samplingRate: section.number('samplingRate', defaults.samplingRate, { min: 0, max: 1 }),
    serviceName: section.string('serviceName', defaults.serviceName, (name) => (name.trim() === '' ? 'must not be empty' : undefined)),
  };
}
