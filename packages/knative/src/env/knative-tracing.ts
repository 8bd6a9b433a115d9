import type { TracingProtocol } from '@shortline/proxy';
import { KnativeEnvError } from '../errors.js';

/**
 * What Knative's revision reconciler tells its queue-proxy about tracing: a protocol Shortline speaks
 * (`http/protobuf`, `zipkin`), or one it does not (`grpc`, `stackdriver`: tracing then stays as the
 * configuration says, and the sidecar logs why).
 */
export interface KnativeTracing {
  readonly protocol: Exclude<TracingProtocol, 'none'> | 'unsupported';
  /** Knative's own name for the protocol, for the log line. */
  readonly requested: string;
  readonly endpoint: string;
  readonly samplingRate: number;
}

type Environment = Readonly<Record<string, string | undefined>>;

function samplingRate(name: string, raw: unknown): number {
  const value = typeof raw === 'string' ? Number(raw.trim()) : raw;
  if (raw === undefined || raw === '') return 0;
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) throw new KnativeEnvError(name, String(raw), 'must be a sampling rate from 0 to 1');
  return value;
}

function protocolOf(requested: string): KnativeTracing['protocol'] {
  return requested === 'http/protobuf' || requested === 'zipkin' ? requested : 'unsupported';
}

/**
 * Knative 1.19 and later: `OBSERVABILITY_CONFIG`, JSON whose `tracing` holds config-observability's
 * `tracing-protocol`, `-endpoint` and `-sampling-rate`. Earlier releases: `TRACING_CONFIG_BACKEND`
 * (`zipkin` or `none`) with `TRACING_CONFIG_ZIPKIN_ENDPOINT` and `TRACING_CONFIG_SAMPLE_RATE`.
 * Undefined when tracing is off (`none`, or nothing set). Throws KnativeEnvError for a malformed value.
 */
export function parseKnativeTracing(env: Environment): KnativeTracing | undefined {
  const observability = env['OBSERVABILITY_CONFIG']?.trim();
  if (observability !== undefined && observability !== '') {
    let tracing: { protocol?: unknown; endpoint?: unknown; sampling_rate?: unknown } | undefined;
    try {
      tracing = (JSON.parse(observability) as { tracing?: typeof tracing }).tracing;
    } catch (error) {
      throw new KnativeEnvError('OBSERVABILITY_CONFIG', observability, `must be JSON: ${(error as Error).message}`);
    }
    const requested = typeof tracing?.protocol === 'string' ? tracing.protocol : 'none';
    if (requested === 'none' || requested === '') return undefined;
    return {
      protocol: protocolOf(requested),
      requested,
      endpoint: typeof tracing?.endpoint === 'string' ? tracing.endpoint : '',
      samplingRate: samplingRate('OBSERVABILITY_CONFIG', tracing?.sampling_rate),
    };
  }
  const backend = env['TRACING_CONFIG_BACKEND']?.trim() ?? '';
  if (backend === '' || backend === 'none') return undefined;
  return {
    protocol: protocolOf(backend),
    requested: backend,
    endpoint: env['TRACING_CONFIG_ZIPKIN_ENDPOINT']?.trim() ?? '',
    samplingRate: samplingRate('TRACING_CONFIG_SAMPLE_RATE', env['TRACING_CONFIG_SAMPLE_RATE']),
  };
}
