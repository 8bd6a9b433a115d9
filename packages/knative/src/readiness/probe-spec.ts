import { ProbeSpecError } from '../errors.js';

export type ProbeAction =
  | {
      readonly kind: 'http';
      readonly host: string;
      readonly port: number;
      readonly path: string;
      readonly scheme: 'http' | 'https';
      readonly headers: readonly (readonly [name: string, value: string])[];
    }
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number }
  | { readonly kind: 'grpc'; readonly host: string; readonly port: number; readonly service: string };

/** One corev1.Probe as the queue-proxy runs it. */
export interface ProbeSpec {
  readonly action: ProbeAction;
  /** 0: Knative's aggressive mode, polling every 50 ms until ready or 10 s have passed. */
  readonly periodSeconds: number;
  readonly timeoutSeconds: number;
  /** Consecutive successes an aggressive poll needs before it answers ready. */
  readonly successThreshold: number;
}

/** The pod address every probe goes to unless it names another host. */
export const IN_POD_HOST = '127.0.0.1';

type Json = Record<string, unknown>;

function at(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function field(parent: Json, key: string, path: string): Json | undefined {
  const value = parent[key];
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw new ProbeSpecError(at(path, key), 'must be an object');
  return value;
}

function integer(parent: Json, key: string, path: string, fallback: number, min: number): number {
  const value = parent[key];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new ProbeSpecError(at(path, key), `must be an integer >= ${min}, got ${JSON.stringify(value)}`);
  }
  return value;
}

function text(parent: Json, key: string, path: string, fallback: string): string {
  const value = parent[key];
  if (value === undefined || value === null || value === '') return fallback;
  if (typeof value !== 'string') throw new ProbeSpecError(at(path, key), `must be a string, got ${JSON.stringify(value)}`);
  return value;
}

/** corev1 ports are int-or-string; Knative resolves names before it encodes the probe, so only numbers make sense. */
function port(parent: Json, path: string, defaultPort: number): number {
  const value = parent['port'];
  if (value === undefined || value === null || value === 0 || value === '') return defaultPort;
  const parsed = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof parsed !== 'number' || !Number.isInteger(parsed) || parsed < 1 || parsed > 65535) {
    throw new ProbeSpecError(at(path, 'port'), `must be a port number 1-65535, got ${JSON.stringify(value)}`);
  }
  return parsed;
}

function httpHeaders(action: Json, path: string): [string, string][] {
  const value = action['httpHeaders'];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new ProbeSpecError(at(path, 'httpHeaders'), 'must be an array of {name, value}');
  return value.map((header: unknown, index) => {
    const where = `${at(path, 'httpHeaders')}[${index}]`;
    if (!isObject(header) || typeof header['name'] !== 'string' || header['name'] === '') {
      throw new ProbeSpecError(where, 'must be {name, value} with a non-empty name');
    }
    const headerValue = header['value'] ?? '';
    if (typeof headerValue !== 'string') throw new ProbeSpecError(at(where, 'value'), 'must be a string');
    return [header['name'], headerValue];
  });
}

function action(probe: Json, path: string, defaultPort: number): ProbeAction {
  const httpGet = field(probe, 'httpGet', path);
  if (httpGet !== undefined) {
    const where = at(path, 'httpGet');
    const scheme = text(httpGet, 'scheme', where, 'HTTP').toLowerCase();
    if (scheme !== 'http' && scheme !== 'https') throw new ProbeSpecError(at(where, 'scheme'), `must be HTTP or HTTPS, got ${scheme}`);
    const probePath = text(httpGet, 'path', where, '/');
    return {
      kind: 'http',
      host: text(httpGet, 'host', where, IN_POD_HOST),
      port: port(httpGet, where, defaultPort),
      path: probePath.startsWith('/') ? probePath : `/${probePath}`,
      scheme,
      headers: httpHeaders(httpGet, where),
    };
  }
  const tcpSocket = field(probe, 'tcpSocket', path);
  if (tcpSocket !== undefined) {
    const where = at(path, 'tcpSocket');
    return { kind: 'tcp', host: text(tcpSocket, 'host', where, IN_POD_HOST), port: port(tcpSocket, where, defaultPort) };
  }
  const grpc = field(probe, 'grpc', path);
  if (grpc !== undefined) {
    const where = at(path, 'grpc');
    // Like Knative (and the kubelet), gRPC probes always go to the pod itself.
    return { kind: 'grpc', host: IN_POD_HOST, port: port(grpc, where, defaultPort), service: text(grpc, 'service', where, '') };
  }
  if (probe['exec'] !== undefined) {
    throw new ProbeSpecError(path, 'exec probes are run by the kubelet; Knative hands the queue-proxy a tcpSocket probe instead');
  }
  throw new ProbeSpecError(path, 'has no httpGet, tcpSocket or grpc action');
}

function probeSpec(value: unknown, path: string, defaultPort: number): ProbeSpec {
  if (!isObject(value)) throw new ProbeSpecError(path, 'must be a corev1.Probe object');
  return {
    action: action(value, path, defaultPort),
    periodSeconds: integer(value, 'periodSeconds', path, 0, 0),
    timeoutSeconds: integer(value, 'timeoutSeconds', path, 1, 1),
    successThreshold: integer(value, 'successThreshold', path, 1, 1),
  };
}

/**
 * Reads SERVING_READINESS_PROBE: one corev1.Probe as JSON, or an array of them (Knative's
 * multi-container probing, where every probe must pass). Empty or unset: a TCP probe of the user
 * port polled aggressively, which is what Knative itself gives a container that declares no probe.
 */
export function parseReadinessProbes(json: string | undefined, defaultPort: number): readonly ProbeSpec[] {
  if (json === undefined || json.trim() === '') {
    return [{ action: { kind: 'tcp', host: IN_POD_HOST, port: defaultPort }, periodSeconds: 0, timeoutSeconds: 1, successThreshold: 1 }];
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw new ProbeSpecError('', `is not valid JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(parsed)) return [probeSpec(parsed, '', defaultPort)];
  if (parsed.length === 0) throw new ProbeSpecError('', 'is an empty array');
  return parsed.map((probe, index) => probeSpec(probe, `[${index}]`, defaultPort));
}
