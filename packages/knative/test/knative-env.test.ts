import { describe, expect, it } from '@jest/globals';
import { defaultConfig, poolCapacity, type PoolConfig } from '@shortline/proxy';
import {
  applyKnativeEnv,
  editGatewayRequestHeaders,
  editSidecarRequestHeaders,
  isKnativeSidecarEnv,
  KnativeEnvError,
  parseKnativeEnv,
  type UpstreamHeaderEditor,
} from '@shortline/knative';

/** The env Knative's reconciler gives a queue-proxy (trimmed to what the tests vary). */
const KNATIVE_ENV = {
  SERVING_NAMESPACE: 'default',
  SERVING_SERVICE: 'hello',
  SERVING_CONFIGURATION: 'hello',
  SERVING_REVISION: 'hello-00001',
  SERVING_POD: 'hello-00001-deployment-7d9c-xk2lp',
  SERVING_POD_IP: '10.0.0.7',
  QUEUE_SERVING_PORT: '8012',
  QUEUE_SERVING_TLS_PORT: '8112',
  USER_PORT: '8080',
  CONTAINER_CONCURRENCY: '4',
  REVISION_TIMEOUT_SECONDS: '300',
  REVISION_RESPONSE_START_TIMEOUT_SECONDS: '0',
  REVISION_IDLE_TIMEOUT_SECONDS: '0',
  SERVING_READINESS_PROBE: '{"tcpSocket":{"port":8080,"host":"127.0.0.1"},"successThreshold":1}',
  ENABLE_HTTP2_AUTO_DETECTION: 'false',
  ENABLE_HTTP_FULL_DUPLEX: 'false',
  SYSTEM_NAMESPACE: 'knative-serving',
};

describe('detecting the Knative env contract', () => {
  it('is sidecar mode when SERVING_REVISION and QUEUE_SERVING_PORT are both set', () => {
    expect(isKnativeSidecarEnv(KNATIVE_ENV)).toBe(true);
    expect(isKnativeSidecarEnv({ SERVING_REVISION: 'r' })).toBe(false);
    expect(isKnativeSidecarEnv({ QUEUE_SERVING_PORT: '8012', SERVING_REVISION: ' ' })).toBe(false);
    expect(isKnativeSidecarEnv({})).toBe(false);
  });
});

describe('parsing the env contract', () => {
  it('reads identity, ports, concurrency, timeouts and the readiness probe', () => {
    expect(parseKnativeEnv(KNATIVE_ENV)).toEqual({
      namespace: 'default',
      service: 'hello',
      configuration: 'hello',
      revision: 'hello-00001',
      pod: 'hello-00001-deployment-7d9c-xk2lp',
      podIp: '10.0.0.7',
      servingPort: 8012,
      servingTlsPort: 8112,
      userPort: 8080,
      containerConcurrency: 4,
      revisionTimeoutSeconds: 300,
      responseStartTimeoutSeconds: 0,
      idleTimeoutSeconds: 0,
      readinessProbes: [{ action: { kind: 'tcp', host: '127.0.0.1', port: 8080 }, periodSeconds: 0, timeoutSeconds: 1, successThreshold: 1 }],
      enableHttp2AutoDetection: false,
      enableHttpFullDuplex: false,
      systemNamespace: 'knative-serving',
    });
  });

  it("fills in Knative's defaults for what is left out", () => {
    const env = parseKnativeEnv({ SERVING_NAMESPACE: 'ns', SERVING_REVISION: 'r-1', QUEUE_SERVING_PORT: '8013' });
    expect(env).toMatchObject({
      servingPort: 8013,
      servingTlsPort: undefined,
      userPort: 8080,
      containerConcurrency: 0,
      revisionTimeoutSeconds: 300,
      responseStartTimeoutSeconds: 0,
      idleTimeoutSeconds: 0,
      service: '',
    });
    expect(env.readinessProbes[0]?.action).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 8080 });
  });

  it.each([
    ['CONTAINER_CONCURRENCY', '-1', 'must be >= 0'],
    ['CONTAINER_CONCURRENCY', 'abc', 'must be an integer'],
    ['CONTAINER_CONCURRENCY', '1.5', 'must be an integer'],
    ['QUEUE_SERVING_PORT', '70000', 'must be between 1 and 65535'],
    ['USER_PORT', '0', 'must be between 1 and 65535'],
    ['REVISION_TIMEOUT_SECONDS', '0', 'must be >= 1'],
    ['REVISION_IDLE_TIMEOUT_SECONDS', '-5', 'must be >= 0'],
    ['ENABLE_HTTP2_AUTO_DETECTION', 'yes', 'must be true or false'],
    ['SERVING_NAMESPACE', '', 'is required in sidecar mode'],
    ['SERVING_READINESS_PROBE', '{"httpGet":{"port":"http"}}', 'httpGet.port: must be a port number'],
  ])('rejects %s=%j naming the variable and why', (variable, value, reason) => {
    const attempt = () => parseKnativeEnv({ ...KNATIVE_ENV, [variable]: value });
    expect(attempt).toThrow(KnativeEnvError);
    expect(attempt).toThrow(`${variable}=${JSON.stringify(value)}: `);
    expect(attempt).toThrow(reason);
    try {
      attempt();
    } catch (error) {
      expect(error).toMatchObject({ code: 'SHORTLINE_KNATIVE_ENV', variable, value });
    }
  });
});

describe('overlaying the env on the configuration', () => {
  it('makes a sidecar: one user-container backend with CC slots, a 10·CC queue, Knative ports and timeouts', () => {
    const config = applyKnativeEnv(
      defaultConfig(),
      parseKnativeEnv({ ...KNATIVE_ENV, REVISION_RESPONSE_START_TIMEOUT_SECONDS: '10', REVISION_IDLE_TIMEOUT_SECONDS: '30' }),
    );
    expect(config).toMatchObject({
      mode: 'sidecar',
      listen: { host: '0.0.0.0', port: 8012 },
      admin: { host: '0.0.0.0', port: 9091 },
      scheduler: { maxQueued: 40 },
      timeouts: { requestMs: 300_000, responseStartMs: 10_000, idleMs: 30_000 },
      drain: { quietPeriodMs: 30_000, timeoutMs: 300_000 },
      pools: [{ name: 'user-container', backends: ['http://127.0.0.1:8080'], concurrency: 4, loadBalancing: 'first-available' }],
      defaultFunction: 'hello-00001',
    });
    expect(config.functions).toEqual([
      {
        name: 'hello-00001',
        match: {},
        pool: 'user-container',
        expectedDurationMs: undefined,
        maxQueued: 0,
        maxQueueWaitMs: 0,
        timeoutMs: 300_000,
        priority: 'normal',
        deadlineMs: 0,
      },
    ]);
    // The result is a valid configuration as the proxy's own validation sees it.
    expect(defaultConfig(config)).toEqual(config);
  });

  it('keeps request classes from the file as functions of the one pool, and what Knative does not set', () => {
    const file = defaultConfig({
      scheduler: { policy: 'hrrn', maxQueued: 7 },
      drain: { quietPeriodMs: 5000 },
      pools: [{ name: 'elsewhere', backends: ['http://10.1.1.1:80'], concurrency: 2 }],
      functions: [
        { name: 'thumbnails', match: { pathPrefix: '/thumb' }, pool: 'elsewhere', expectedDurationMs: 50 },
        { name: 'reports', match: { pathPrefix: '/report' }, pool: 'elsewhere', timeoutMs: 900_000 },
        { name: 'pings', match: { pathPrefix: '/ping' }, pool: 'elsewhere', timeoutMs: 2000 },
      ],
      defaultFunction: 'thumbnails',
    });
    const config = applyKnativeEnv(file, parseKnativeEnv({ ...KNATIVE_ENV, REVISION_TIMEOUT_SECONDS: '600' }));
    expect(config.scheduler).toMatchObject({ policy: 'hrrn', maxQueued: 40 });
    expect(config.drain.quietPeriodMs).toBe(5000);
    expect(config.pools.map((p) => p.name)).toEqual(['user-container']);
    expect(config.functions.map((f) => [f.name, f.pool, f.timeoutMs, f.expectedDurationMs])).toEqual([
      ['thumbnails', 'user-container', 600_000, 50],
      ['reports', 'user-container', 600_000, undefined],
      ['pings', 'user-container', 2000, undefined],
    ]);
    expect(config.defaultFunction).toBe('thumbnails');
    expect(defaultConfig(config)).toEqual(config);
  });

  it("takes the catch-all's priority and deadline from the file's defaultFunction, as any class's", () => {
    const file = defaultConfig({
      pools: [{ name: 'user-container', backends: ['http://127.0.0.1:8080'] }],
      functions: [
        { name: 'uploads', match: { pathPrefix: '/upload' }, pool: 'user-container', priority: 'low' },
        { name: 'everything', match: {}, pool: 'user-container', priority: 'high', deadlineMs: 250 },
      ],
      defaultFunction: 'everything',
    });
    const config = applyKnativeEnv(file, parseKnativeEnv(KNATIVE_ENV));
    expect(config.defaultFunction).toBe('everything');
    expect(config.functions.map((f) => [f.name, f.priority, f.deadlineMs])).toEqual([
      ['uploads', 'low', 0],
      ['everything', 'high', 250],
    ]);
  });

  it('adds a catch-all when the file has classes but no default, so every request is served', () => {
    const file = defaultConfig({ functions: [{ name: 'hello-00001', match: { pathPrefix: '/a' }, backends: ['http://127.0.0.1:1'] }] });
    const config = applyKnativeEnv(file, parseKnativeEnv(KNATIVE_ENV));
    expect(config.functions.map((f) => [f.name, f.match])).toEqual([
      ['hello-00001', { pathPrefix: '/a' }],
      ['hello-00001-default', {}],
    ]);
    expect(config.defaultFunction).toBe('hello-00001-default');
  });

  it('with CONTAINER_CONCURRENCY 0 learns the container\'s concurrency, uncapped, and sets no queue limit', () => {
    const config = applyKnativeEnv(defaultConfig(), parseKnativeEnv({ ...KNATIVE_ENV, CONTAINER_CONCURRENCY: '0' }));
    expect(config.pools[0]).toMatchObject({ concurrency: 0, autoConcurrency: { min: undefined, max: undefined } });
    expect(poolCapacity(config.pools[0] as PoolConfig)).toEqual({ auto: true });
    expect(config.scheduler.maxQueued).toBe(0);
    expect(defaultConfig(config)).toEqual(config);
  });

  it('with CONTAINER_CONCURRENCY set, learns it under that ceiling; sidecar.concurrency fixed keeps Knative\'s limit', () => {
    const env = parseKnativeEnv(KNATIVE_ENV);
    const learnt = applyKnativeEnv(defaultConfig(), env);
    expect(poolCapacity(learnt.pools[0] as PoolConfig)).toEqual({ auto: true, max: 4 });
    const fixed = applyKnativeEnv(defaultConfig({ sidecar: { concurrency: 'fixed' } }), env);
    expect(fixed.pools[0]).toMatchObject({ concurrency: 4, autoConcurrency: undefined });
    expect(poolCapacity(fixed.pools[0] as PoolConfig)).toBe(4);
    const unlimited = applyKnativeEnv(defaultConfig({ sidecar: { concurrency: 'fixed' } }), parseKnativeEnv({ ...KNATIVE_ENV, CONTAINER_CONCURRENCY: '0' }));
    expect(poolCapacity(unlimited.pools[0] as PoolConfig)).toBe(0);
    expect(defaultConfig(fixed)).toEqual(fixed);
  });
});

/** Records the edits a layer asks for, as the proxy's Exchange would apply them. */
function recordEdits(): UpstreamHeaderEditor & { edits: [string, string | undefined][] } {
  const edits: [string, string | undefined][] = [];
  return {
    edits,
    setUpstreamHeader: (name, value) => edits.push([name, value]),
    removeUpstreamHeader: (name) => edits.push([name, undefined]),
  };
}

describe('Knative request headers', () => {
  it('sidecar: restores Host from K-Original-Host and drops the routing headers', () => {
    const editor = recordEdits();
    editSidecarRequestHeaders(
      {
        host: '10.0.0.7:8012',
        'k-original-host': 'hello.default.example.com',
        'knative-serving-revision': 'hello-00001',
        'knative-serving-namespace': 'default',
        'x-other': '1',
      },
      editor,
    );
    expect(editor.edits).toEqual([
      ['host', 'hello.default.example.com'],
      ['k-original-host', undefined],
      ['knative-serving-revision', undefined],
      ['knative-serving-namespace', undefined],
    ]);
  });

  it('sidecar: leaves a request without Knative headers alone', () => {
    const editor = recordEdits();
    editSidecarRequestHeaders({ host: 'hello.default.example.com' }, editor);
    expect(editor.edits).toEqual([]);
  });

  it('gateway: carries the Host in K-Original-Host and lets the pod address be the Host', () => {
    const editor = recordEdits();
    editGatewayRequestHeaders({ host: 'hello.default.example.com' }, editor);
    expect(editor.edits).toEqual([
      ['k-original-host', 'hello.default.example.com'],
      ['host', undefined],
    ]);
  });
});
