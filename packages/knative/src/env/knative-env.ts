import { KnativeEnvError, ProbeSpecError } from '../errors.js';
import { parseReadinessProbes, type ProbeSpec } from '../readiness/probe-spec.js';
import { parseKnativeTracing, type KnativeTracing } from './knative-tracing.js';

/** The queue-proxy's environment contract, as Knative's revision reconciler sets it on the sidecar. */
export interface KnativeEnv {
  readonly namespace: string;
  /** Empty for a revision not created through a Knative Service. */
  readonly service: string;
  readonly configuration: string;
  readonly revision: string;
  readonly pod: string;
  readonly podIp: string;
  /** 8012, or 8013 when the revision speaks h2c; both accept HTTP/1.1 and prior-knowledge h2c. */
  readonly servingPort: number;
  readonly servingTlsPort: number | undefined;
  readonly userPort: number;
  /** 0 = unlimited: requests are only counted, never queued. */
  readonly containerConcurrency: number;
  readonly revisionTimeoutSeconds: number;
  /** 0 = off. */
  readonly responseStartTimeoutSeconds: number;
  /** 0 = off. */
  readonly idleTimeoutSeconds: number;
  readonly readinessProbes: readonly ProbeSpec[];
  readonly enableHttp2AutoDetection: boolean;
  readonly enableHttpFullDuplex: boolean;
  readonly systemNamespace: string;
  /** Knative's tracing settings; undefined when it has tracing off. */
  readonly tracing: KnativeTracing | undefined;
}

export type Environment = Readonly<Record<string, string | undefined>>;

/** Knative's env contract is there: run as a drop-in queue-proxy. */
export function isKnativeSidecarEnv(env: Environment): boolean {
  return nonEmpty(env['SERVING_REVISION']) && nonEmpty(env['QUEUE_SERVING_PORT']);
}

function nonEmpty(value: string | undefined): value is string {
  return value !== undefined && value.trim() !== '';
}

/** A text variable, trimmed; `fallback` when unset or blank. */
export function envText(env: Environment, name: string, fallback = ''): string {
  const value = env[name];
  return nonEmpty(value) ? value.trim() : fallback;
}

function required(env: Environment, name: string): string {
  const value = env[name];
  if (!nonEmpty(value)) throw new KnativeEnvError(name, value, 'is required in sidecar mode');
  return value.trim();
}

/** An integer variable in [min, max]; `fallback` when unset or blank (required when it is undefined). */
export function envInteger(env: Environment, name: string, fallback: number | undefined, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name];
  if (!nonEmpty(raw)) {
    if (fallback === undefined) throw new KnativeEnvError(name, raw, 'is required in sidecar mode');
    return fallback;
  }
  const value = raw.trim();
  if (!/^[+-]?\d+$/.test(value)) throw new KnativeEnvError(name, raw, 'must be an integer');
  const parsed = Number(value);
  if (parsed < min || parsed > max) {
    throw new KnativeEnvError(name, raw, max === Number.MAX_SAFE_INTEGER ? `must be >= ${min}` : `must be between ${min} and ${max}`);
  }
  return parsed;
}

function port(env: Environment, name: string, fallback: number | undefined): number {
  return envInteger(env, name, fallback, 1, 65535);
}

/** Go's strconv.ParseBool, which is what Knative's env parsing accepts. */
function boolean(env: Environment, name: string): boolean {
  const raw = env[name];
  if (!nonEmpty(raw)) return false;
  const value = raw.trim();
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(value)) return false;
  throw new KnativeEnvError(name, raw, 'must be true or false');
}

/**
 * Reads and checks the queue-proxy env contract. Throws a KnativeEnvError naming the first variable
 * that is missing or malformed; defaults are Knative's.
 */
export function parseKnativeEnv(env: Environment): KnativeEnv {
  const userPort = port(env, 'USER_PORT', 8080);
  let readinessProbes: readonly ProbeSpec[];
  try {
    readinessProbes = parseReadinessProbes(env['SERVING_READINESS_PROBE'], userPort);
  } catch (error) {
    if (!(error instanceof ProbeSpecError)) throw error;
    throw new KnativeEnvError('SERVING_READINESS_PROBE', env['SERVING_READINESS_PROBE'], error.message);
  }
  const tlsPort = env['QUEUE_SERVING_TLS_PORT'];
  return {
    namespace: required(env, 'SERVING_NAMESPACE'),
    service: env['SERVING_SERVICE']?.trim() ?? '',
    configuration: env['SERVING_CONFIGURATION']?.trim() ?? '',
    revision: required(env, 'SERVING_REVISION'),
    pod: env['SERVING_POD']?.trim() ?? '',
    podIp: env['SERVING_POD_IP']?.trim() ?? '',
    servingPort: port(env, 'QUEUE_SERVING_PORT', undefined),
    servingTlsPort: nonEmpty(tlsPort) ? port(env, 'QUEUE_SERVING_TLS_PORT', undefined) : undefined,
    userPort,
    containerConcurrency: envInteger(env, 'CONTAINER_CONCURRENCY', 0, 0),
    revisionTimeoutSeconds: envInteger(env, 'REVISION_TIMEOUT_SECONDS', 300, 1),
    responseStartTimeoutSeconds: envInteger(env, 'REVISION_RESPONSE_START_TIMEOUT_SECONDS', 0, 0),
    idleTimeoutSeconds: envInteger(env, 'REVISION_IDLE_TIMEOUT_SECONDS', 0, 0),
    readinessProbes,
    enableHttp2AutoDetection: boolean(env, 'ENABLE_HTTP2_AUTO_DETECTION'),
    enableHttpFullDuplex: boolean(env, 'ENABLE_HTTP_FULL_DUPLEX'),
    systemNamespace: env['SYSTEM_NAMESPACE']?.trim() ?? '',
    tracing: parseKnativeTracing(env),
  };
}
