import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import {
  ConfigError,
  CONFIG_DEFAULTS,
  defaultConfig,
  EMBEDDED_CONFIG_PATH,
  FUNCTION_DEFAULTS,
  parseConfig,
  POOL_DEFAULTS,
} from '../src/config/index.js';

/** The problems a text has, as `path: message` lines (parseConfig must throw a ConfigError). */
function problemsOf(text: string): string[] {
  try {
    parseConfig(text, 'test.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems.map((problem) => `${problem.path}: ${problem.message}`);
  }
  throw new Error('expected a ConfigError, but the configuration was accepted');
}

const POOL = 'pools: [{ name: p, backends: ["http://127.0.0.1:9101"] }]\n';

describe('the embedded default configuration', () => {
  const config = parseConfig(readFileSync(EMBEDDED_CONFIG_PATH, 'utf8'), EMBEDDED_CONFIG_PATH);

  test('fronts the three sample functions on the ports the demo uses', () => {
    expect(config.listen).toEqual({ host: '127.0.0.1', port: 8012 });
    expect(config.admin).toEqual({ host: '127.0.0.1', port: 9091 });
    expect(config.scheduler.policy).toBe('aging-srtf');
    expect(config.pools.map((pool) => [pool.name, pool.backends])).toEqual([
      ['sleep', ['http://127.0.0.1:9101']],
      ['spin', ['http://127.0.0.1:9102']],
      ['echo', ['http://127.0.0.1:9103']],
    ]);
    expect(config.functions.map((fn) => `${fn.name}->${fn.pool}`)).toEqual([
      'lookup->sleep',
      'report->sleep',
      'sleep->sleep',
      'spin->spin',
      'echo->echo',
    ]);
  });

  test('states defaults in its comments that equal the real defaults', () => {
    const text = readFileSync(EMBEDDED_CONFIG_PATH, 'utf8');
    const commented = [...text.matchAll(/^\s*#\s+(\w+): ([\w.-]+)\s/gm)].map((m): [string, string] => [m[1] as string, m[2] as string]);
    const sections: Record<string, unknown>[] = [
      CONFIG_DEFAULTS.scheduler,
      CONFIG_DEFAULTS.predictor,
      CONFIG_DEFAULTS.timeouts,
      CONFIG_DEFAULTS.drain,
      CONFIG_DEFAULTS.limits,
      CONFIG_DEFAULTS.logging,
      { mode: CONFIG_DEFAULTS.mode, ...POOL_DEFAULTS, ...FUNCTION_DEFAULTS, timeoutMs: CONFIG_DEFAULTS.timeouts.requestMs },
    ];
    let checked = 0;
    for (const [key, value] of commented) {
      // A key that several sections have (maxQueued) cannot be told apart here; docs-sync covers it.
      const owners = sections.filter((section) => key in section);
      const owner = owners[0];
      if (owner === undefined || owners.length > 1) continue;
      expect(`${key}: ${String(owner[key])}`).toBe(`${key}: ${value}`);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(15);
  });
});

describe('parseConfig fills in defaults', () => {
  test('{} is the default configuration', () => {
    expect(parseConfig('{}', 'c.yaml')).toEqual(defaultConfig());
  });

  test('an empty file is refused (a truncated read must not drop every function)', () => {
    expect(problemsOf('')).toEqual(['(document): is empty; write {} to take every default']);
    expect(problemsOf('# only a comment\n')).toEqual(['(document): is empty; write {} to take every default']);
  });

  test('a function takes its timeout from timeouts.requestMs and has no expectation unless given', () => {
    const config = parseConfig(`${POOL}timeouts: { requestMs: 1234 }\nfunctions: [{ name: f, pool: p }]`, 't');
    expect(config.functions[0]).toEqual({
      name: 'f',
      match: {},
      pool: 'p',
      expectedDurationMs: undefined,
      maxQueued: 0,
      maxQueueWaitMs: 0,
      timeoutMs: 1234,
      priority: 'normal',
      deadlineMs: 0,
    });
  });

  test('a function takes the priority tier and the deadline it is given', () => {
    const config = parseConfig(`${POOL}functions: [{ name: f, pool: p, priority: high, deadlineMs: 250 }]`, 't');
    expect(config.functions[0]).toMatchObject({ priority: 'high', deadlineMs: 250 });
  });

  test('an empty value (YAML ~) takes the default', () => {
    const config = parseConfig('scheduler:\n  policy: ~\n  maxQueued:\nlisten:\n', 't');
    expect(config.scheduler.policy).toBe('aging-srtf');
    expect(config.scheduler.maxQueued).toBe(10_000);
    expect(config.listen.port).toBe(8012);
  });

  test('JSON is accepted, being YAML', () => {
    const config = parseConfig(JSON.stringify({ scheduler: { policy: 'fifo' }, listen: { port: 0 } }), 'c.json');
    expect(config.scheduler.policy).toBe('fifo');
    expect(config.listen.port).toBe(0);
  });

  test('.inf turns a starvation cap off', () => {
    const config = parseConfig('scheduler: { maxWaitMs: .inf, fifoFactor: .inf, agingFactor: .inf }', 't');
    expect(config.scheduler.maxWaitMs).toBe(Infinity);
    expect(config.scheduler.fifoFactor).toBe(Infinity);
  });

  test('learns from request features by default; operator features are kept in order, header names in lower case', () => {
    expect(parseConfig('{}', 't').predictor).toMatchObject({ requestFeatures: true, maxClasses: 256, features: [] });
    const config = parseConfig('predictor: { requestFeatures: false, maxClasses: 32, features: [{ header: X-Tenant }, { query: model }] }', 't');
    expect(config.predictor).toMatchObject({
      requestFeatures: false,
      maxClasses: 32,
      features: [
        { source: 'header', name: 'x-tenant' },
        { source: 'query', name: 'model' },
      ],
    });
  });

  test('the result is frozen', () => {
    const config = parseConfig(`${POOL}functions: [{ name: f, pool: p }]`, 't');
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.functions[0]?.match)).toBe(true);
    expect(Object.isFrozen(config.pools[0]?.backends)).toBe(true);
  });
});

describe('inline backends', () => {
  test('give a function a pool of its own, named after it', () => {
    const config = parseConfig(
      'functions:\n  - name: resize\n    backends: ["http://127.0.0.1:9101/"]\n    concurrency: 3\n    loadBalancing: first-available',
      't',
    );
    expect(config.pools).toEqual([
      { name: 'resize', backends: ['http://127.0.0.1:9101'], concurrency: 3, loadBalancing: 'first-available' },
    ]);
    expect(config.functions[0]?.pool).toBe('resize');
  });

  test('cannot be combined with pool:', () => {
    expect(problemsOf(`${POOL}functions: [{ name: f, pool: p, backends: ["http://127.0.0.1:1"] }]`)).toEqual([
      'functions[0].backends: give either pool: (a shared pool) or backends: inline (a pool of its own), not both',
    ]);
  });

  test('cannot take the name of a declared pool', () => {
    expect(problemsOf(`${POOL}functions: [{ name: p, backends: ["http://127.0.0.1:2"] }]`)).toEqual([
      'functions[0].backends: makes a pool named "p" (after the function), but pools: already has one',
    ]);
  });

  test('concurrency alone is not a pool', () => {
    expect(problemsOf('functions: [{ name: f, concurrency: 2 }]')).toEqual([
      'functions[0].concurrency: goes with inline backends:, which are missing (or name a shared pool with pool:)',
    ]);
  });
});

describe('parseConfig reports every problem with its key path', () => {
  test.each([
    ['listen: { port: 70000 }', 'listen.port: must be an integer from 0 to 65535, got 70000'],
    ['listen: { port: -1 }', 'listen.port: must be an integer from 0 to 65535, got -1'],
    ['listen: { port: 80.5 }', 'listen.port: must be an integer from 0 to 65535, got 80.5'],
    ['listen: { port: "8012" }', 'listen.port: must be an integer from 0 to 65535, got the string "8012"'],
    ['listen: { port: .nan }', 'listen.port: must be an integer from 0 to 65535, got .nan'],
    ['listen: { host: "http://x" }', 'listen.host: must be an interface address or host name such as 127.0.0.1 or 0.0.0.0, got "http://x"'],
    ['admin: { port: 8012 }', 'admin.port: must differ from listen.port (both are 8012)'],
    ['listen: 8012', 'listen: must be a mapping of keys to values, got 8012'],
    ['mode: cluster', 'mode: must be one of standalone, sidecar, gateway; got the string "cluster"'],
    ['scheduler: { policy: sjf }', 'scheduler.policy: must be one of fifo, sept, linear-aging, hrrn, aging-srtf; got the string "sjf"'],
    ['scheduler: { maxQueued: -5 }', 'scheduler.maxQueued: must be an integer from 0 to 2147483647, got -5'],
    ['scheduler: { maxQueued: 1e12 }', 'scheduler.maxQueued: must be an integer from 0 to 2147483647, got 1000000000000'],
    ['scheduler: { agingFactor: 0 }', 'scheduler.agingFactor: must be a number greater than 0 and at most 1000000000 or .inf, got 0'],
    [
      'scheduler: { maxWaitMs: "60s" }',
      'scheduler.maxWaitMs: must be a duration in milliseconds: a number greater than 0 and at most 2147483647 or .inf, got the string "60s"',
    ],
    ['scheduler: { cappedShare: 0 }', 'scheduler.cappedShare: must be a number greater than 0 and at most 1, got 0'],
    ['scheduler: { cappedShare: 1.5 }', 'scheduler.cappedShare: must be a number greater than 0 and at most 1, got 1.5'],
    ['predictor: { ewmaWeight: 1.5 }', 'predictor.ewmaWeight: must be a number greater than 0 and at most 1, got 1.5'],
    ['predictor: { alpha: 0.1 }', 'predictor.alpha: renamed: this key is now "predictor.ewmaWeight"'],
    ['scheduler: { alpha: 0.1 }', 'scheduler.alpha: renamed: this key is now "scheduler.agingRate"'],
    ['scheduler: { maxSlowdown: 1000 }', 'scheduler.maxSlowdown: removed: the wait cap is now relative to what FIFO would have made a request wait: see scheduler.fifoFactor'],
    ['scheduler: { fifoFactor: 0 }', 'scheduler.fifoFactor: must be a number greater than 0 and at most 1000000000 or .inf, got 0'],
    ['predictor: { estimate: mean }', 'predictor.estimate: must be one of ewma, p50, p90; got the string "mean"'],
    ['predictor: { requestFeatures: "yes" }', 'predictor.requestFeatures: must be true or false, got the string "yes"'],
    ['predictor: { maxClasses: 0 }', 'predictor.maxClasses: must be an integer from 1 to 100000, got 0'],
    ['predictor: { features: { header: x-tenant } }', 'predictor.features: must be a list, got a mapping'],
    ['predictor: { features: [{ header: x-tenant, query: model }] }', 'predictor.features[0]: must give exactly one of header: NAME or query: NAME'],
    ['predictor: { features: [{ header: x-a, cookie: session }] }', 'predictor.features[0].cookie: unknown key; known keys: header, query'],
    ['predictor: { features: [{ header: "x tenant" }] }', `predictor.features[0].header: must be an HTTP header name (letters, digits and !#$%&'*+.^_\`|~-), got "x tenant"`],
    ['predictor: { features: [{ header: Connection }] }', 'predictor.features[0].header: cannot be connection: a hop-by-hop header never reaches the scheduler'],
    ['predictor: { features: [{ query: "a&b" }] }', 'predictor.features[0].query: must be a query parameter name as sent, without & = # ? or spaces, got "a&b"'],
    ['predictor: { features: [{ header: X-Tenant }, { header: x-tenant }] }', 'predictor.features[1]: repeats header x-tenant'],
    ['timeouts: { requestMs: 0 }', 'timeouts.requestMs: must be a duration in milliseconds: a number greater than 0 and at most 2147483647, got 0'],
    ['timeouts: { idleMs: 1e10 }', 'timeouts.idleMs: must be a duration in milliseconds: a number from 0 to 2147483647, got 10000000000'],
    ['drain: { timeoutMs: -1 }', 'drain.timeoutMs: must be a duration in milliseconds: a number from 0 to 2147483647, got -1'],
    ['limits: { maxCloudEventBytes: 0 }', 'limits.maxCloudEventBytes: must be an integer from 1 to 67108864, got 0'],
    ['logging: { level: verbose }', 'logging.level: must be one of fatal, error, warn, info, debug, trace, silent; got the string "verbose"'],
    ['pools: { name: p }', 'pools: must be a list, got a mapping'],
    [`${POOL}functions: [{ name: f, pool: p, priority: urgent }]`, 'functions[0].priority: must be one of high, normal, low; got the string "urgent"'],
    [`${POOL}functions: [{ name: f, pool: p, deadlineMs: -1 }]`, 'functions[0].deadlineMs: must be a duration in milliseconds: a number from 0 to 2147483647, got -1'],
    ['pools: [{ backends: ["http://127.0.0.1:1"] }]', 'pools[0].name: is required'],
    ['pools: [{ name: "a b", backends: ["http://127.0.0.1:1"] }]', 'pools[0].name: must be 1 to 253 letters, digits or . _ : / - and start with a letter or digit'],
    ['pools: [{ name: p }]', 'pools[0].backends: must list at least one http://host:port in standalone mode'],
    ['pools: [{ name: p, backends: [] }]', 'pools[0].backends: must list at least one http://host:port in standalone mode'],
    ['pools: [{ name: p, backends: ["https://x:1"] }]', 'pools[0].backends[0]: https is not supported: backends are reached over plain http'],
    ['pools: [{ name: p, backends: ["http://x"] }]', 'pools[0].backends[0]: must name a port, as in http://127.0.0.1:8080, got "http://x"'],
    [
      'pools: [{ name: p, backends: ["http://x:1/api"] }]',
      `pools[0].backends[0]: must not have a path, query or fragment (the request's own path is forwarded), got "http://x:1/api"`,
    ],
    ['pools: [{ name: p, backends: ["http://x:0"] }]', 'pools[0].backends[0]: port must be from 1 to 65535, got 0'],
    ['pools: [{ name: p, backends: ["127.0.0.1:80"] }]', 'pools[0].backends[0]: must be an http URL such as http://127.0.0.1:8080, got "127.0.0.1:80"'],
    ['pools: [{ name: p, backends: [8080] }]', 'pools[0].backends[0]: must be a backend URL string such as http://127.0.0.1:8080, got 8080'],
    ['pools: [{ name: p, backends: ["http://x:1", "http://X:1/"] }]', 'pools[0].backends[1]: http://x:1 is listed twice'],
    ['pools: [{ name: p, backends: ["http://x:1"], concurrency: -1 }]', 'pools[0].concurrency: must be an integer from 0 to 2147483647, got -1'],
    ['pools: [{ name: p, backends: ["http://x:1"], loadBalancing: random }]', 'pools[0].loadBalancing: must be one of least-loaded, first-available; got the string "random"'],
    [
      'pools: [{ name: a, backends: ["http://x:1"] }, { name: b, backends: ["http://x:1"] }]',
      'pools[1].backends: http://x:1 already belongs to pool "a"; a backend belongs to one pool',
    ],
    ['pools: [{ name: a, backends: ["http://x:1"] }, { name: a, backends: ["http://x:2"] }]', 'pools[1].name: another pool is already named "a"'],
    [`${POOL}functions: [{ name: f }]`, 'functions[0].pool: is required: name a pool from pools:, or give backends: inline'],
    [`${POOL}functions: [{ name: f, pool: q }]`, 'functions[0].pool: names no pool; pools: p'],
    [`${POOL}functions: [{ pool: p }]`, 'functions[0].name: is required'],
    [`${POOL}functions: [{ name: f, pool: p }, { name: f, pool: p }]`, 'functions[1].name: another function is already named "f"'],
    [`${POOL}functions: [{ name: f, pool: p, timeoutMs: 0 }]`, 'functions[0].timeoutMs: must be a duration in milliseconds: a number greater than 0 and at most 2147483647, got 0'],
    [`${POOL}functions: [{ name: f, pool: p, expectedDurationMs: -1 }]`, 'functions[0].expectedDurationMs: must be a duration in milliseconds: a number from 0 to 2147483647, got -1'],
    [`${POOL}functions: [{ name: f, pool: p, maxQueued: 1.5 }]`, 'functions[0].maxQueued: must be an integer from 0 to 2147483647, got 1.5'],
    [`${POOL}functions: [{ name: f, pool: p, match: { pathPrefix: api } }]`, 'functions[0].match.pathPrefix: must start with "/", got "api"'],
    [`${POOL}functions: [{ name: f, pool: p, match: { pathPrefix: "/a?b" } }]`, 'functions[0].match.pathPrefix: matches the path only: it must not contain "?" or "#"'],
    [`${POOL}functions: [{ name: f, pool: p, match: { host: "a.example:8080" } }]`, 'functions[0].match.host: is compared without the port: write "a.example"'],
    [`${POOL}functions: [{ name: f, pool: p, match: { host: "http://a" } }]`, 'functions[0].match.host: must be a host name or IP address such as api.example.com, got "http://a"'],
    [`${POOL}functions: [{ name: f, pool: p, match: { header: { name: x-a } } }]`, 'functions[0].match.header.value: is required: the value the header must have'],
    [`${POOL}functions: [{ name: f, pool: p, match: { header: { value: v } } }]`, 'functions[0].match.header.name: is required: the header to look at'],
    [
      `${POOL}functions: [{ name: f, pool: p, match: { header: { name: "x a", value: v } } }]`,
      `functions[0].match.header.name: must be an HTTP header name (letters, digits and !#$%&'*+.^_\`|~-), got "x a"`,
    ],
    [`${POOL}functions: [{ name: f, pool: p, match: { header: { name: Host, value: v } } }]`, 'functions[0].match.header.name: use match.host to match the host'],
    [`${POOL}functions: [{ name: f, pool: p, match: { header: { name: x, value: "a\\nb" } } }]`, 'functions[0].match.header.value: must not contain control characters (an HTTP header value cannot)'],
    [`${POOL}functions: [{ name: f, pool: p, match: { ceType: "" } }]`, 'functions[0].match.ceType: must not be empty'],
    [`${POOL}functions: [{ name: f, pool: p, match: { path: /a } }]`, 'functions[0].match.path: unknown key; did you mean "pathPrefix"?'],
    [
      `${POOL}functions: [{ name: f, pool: p }, { name: g, pool: p, match: { pathPrefix: /g } }]`,
      'functions[1].match: is never reached: functions[0] (f) before it has an empty match, which matches every request',
    ],
    [`${POOL}functions: [{ name: f, pool: p }]\ndefaultFunction: g`, 'defaultFunction: names no function; functions: f'],
    ['scheduler: { maxQueud: 5 }', 'scheduler.maxQueud: unknown key; did you mean "maxQueued"?'],
    ['schedular: {}', 'schedular: unknown key; did you mean "scheduler"?'],
    ['frobnicate: 1', 'frobnicate: unknown key; known keys: mode, listen, admin, scheduler, predictor, timeouts, drain, limits, connections, trust, logging, metrics, tracing, sidecar, pools, functions, defaultFunction'],
    ['1: x', '(document): keys must be strings, got the key 1'],
    ['- a\n- b', '(document): must be a mapping of keys to values, got a list'],
    ['"just text"', '(document): must be a mapping of keys to values, got the string "just text"'],
  ])('%s', (text, problem) => {
    expect(problemsOf(text)).toEqual([problem]);
  });

  test('all problems are reported at once, and the message lists each as source: path: why', () => {
    let error: unknown;
    try {
      parseConfig('listen: { port: -1 }\nscheduler: { policy: nope }\npools: [{ name: p, backends: ["http://x"] }]\n', 'conf/s.yaml');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const configError = error as ConfigError;
    expect(configError.code).toBe('SHORTLINE_CONFIG_INVALID');
    expect(configError.source).toBe('conf/s.yaml');
    expect(configError.problems.map((problem) => problem.path)).toEqual(['listen.port', 'scheduler.policy', 'pools[0].backends[0]']);
    expect(configError.message.split('\n')).toEqual([
      'invalid configuration conf/s.yaml (3 problems):',
      'conf/s.yaml: listen.port: must be an integer from 0 to 65535, got -1',
      'conf/s.yaml: scheduler.policy: must be one of fifo, sept, linear-aging, hrrn, aging-srtf; got the string "nope"',
      'conf/s.yaml: pools[0].backends[0]: must name a port, as in http://127.0.0.1:8080, got "http://x"',
    ]);
  });

  test('YAML syntax errors name the line', () => {
    expect(problemsOf('scheduler:\n  policy: [fifo\n')).toEqual([
      expect.stringMatching(/^\(yaml line \d+, column \d+\): /) as unknown as string,
    ]);
  });

  test('a key given twice is an error, not a silent override', () => {
    expect(problemsOf('scheduler:\n  policy: fifo\n  policy: sept\n')).toEqual([
      expect.stringMatching(/^\(yaml line 3, column 3\): Map keys must be unique/) as unknown as string,
    ]);
  });

  test('an alias bomb is refused, not expanded', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let level = 1; level < 8; level++) {
      const ref = String.fromCharCode(97 + level - 1);
      const self = String.fromCharCode(97 + level);
      lines.push(`${self}: &${self} [*${ref}, *${ref}, *${ref}, *${ref}, *${ref}, *${ref}, *${ref}, *${ref}, *${ref}, *${ref}]`);
    }
    expect(problemsOf(lines.join('\n'))).toEqual([expect.stringMatching(/^\(yaml\): .*alias/i) as unknown as string]);
  });
});

describe('defaultConfig', () => {
  test('is valid and complete, with overrides applied key by key', () => {
    const config = defaultConfig({
      listen: { port: 0 },
      scheduler: { policy: 'fifo' },
      pools: [{ name: 'p', backends: ['http://127.0.0.1:9'], concurrency: 4 }],
      functions: [{ name: 'f', pool: 'p', match: { pathPrefix: '/f' } }, { name: 'g', backends: ['http://127.0.0.1:10'] }],
      defaultFunction: 'g',
    });
    expect(config.listen).toEqual({ host: '127.0.0.1', port: 0 });
    expect(config.scheduler).toEqual({ ...CONFIG_DEFAULTS.scheduler, policy: 'fifo' });
    expect(config.pools.map((pool) => pool.name)).toEqual(['p', 'g']);
    expect(config.functions[1]?.timeoutMs).toBe(CONFIG_DEFAULTS.timeouts.requestMs);
    expect(config.defaultFunction).toBe('g');
  });

  test('round-trips a whole configuration', () => {
    const config = parseConfig(readFileSync(EMBEDDED_CONFIG_PATH, 'utf8'), 'embedded');
    expect(defaultConfig(config)).toEqual(config);
  });

  test('validates overrides like a file', () => {
    expect(() => defaultConfig({ listen: { port: 1e6 } })).toThrow('defaultConfig(): listen.port: must be an integer from 0 to 65535, got 1000000');
  });
});
