import { describe, expect, test } from '@jest/globals';
import { ConfigError, parseConfig } from '../src/config/index.js';

// Absurd and hostile configuration values: each is a ConfigError naming the key path and saying
// what is allowed, never a crash and never a silent default.

const POOL = 'pools: [{ name: p, backends: ["http://127.0.0.1:9101"] }]\n';

function problemsOf(text: string): string[] {
  try {
    parseConfig(text, 'hostile.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems.map((problem) => `${problem.path}: ${problem.message}`);
  }
  throw new Error('expected a ConfigError, but the configuration was accepted');
}

describe('numbers', () => {
  const keys = [
    'scheduler.maxQueued',
    'scheduler.maxInFlight',
    'timeouts.requestMs',
    'timeouts.idleMs',
    'drain.timeoutMs',
    'limits.maxCloudEventBytes',
    'limits.retryAfterSeconds',
    'connections.maxHeaderBytes',
    'connections.headersTimeoutMs',
    'connections.bodyIdleTimeoutMs',
  ];
  const hostile = ['-1', '.nan', '-.inf', '1e308', '"5000"', '[]', '{}', 'true', '0x7fffffffffffffff'];

  test.each(keys.flatMap((key) => hostile.map((value) => [key, value])))('%s: %s is refused, naming the key', (key, value) => {
    const [section, field] = key.split('.') as [string, string];

    const problems = problemsOf(`${section}: { ${field}: ${value} }`);

    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${key.replace('.', '\\.')}: must be `));
  });

  test('a request head limit too small to hold ordinary headers, or larger than 1 MiB, is refused', () => {
    expect(problemsOf('connections: { maxHeaderBytes: 100 }')).toEqual([
      'connections.maxHeaderBytes: must be an integer from 1024 to 1048576, got 100',
    ]);
    expect(problemsOf('connections: { maxHeaderBytes: 2000000 }')).toHaveLength(1);
  });

  test('a head timeout of 0 would turn the slow-header guard off: refused', () => {
    expect(problemsOf('connections: { headersTimeoutMs: 0 }')).toEqual([
      'connections.headersTimeoutMs: must be a duration in milliseconds: a number greater than 0 and at most 2147483647, got 0',
    ]);
  });
});

describe('trust', () => {
  test.each([
    ['"10.0.0.0/33"', 'the prefix length of "10.0.0.0/33" must be a whole number from 0 to 32'],
    ['"fd00::/129"', 'the prefix length of "fd00::/129" must be a whole number from 0 to 128'],
    ['"10.0.0.0/-1"', 'the prefix length of "10.0.0.0/-1" must be a whole number from 0 to 32'],
    ['"10.0.0.0/8x"', 'the prefix length of "10.0.0.0/8x" must be a whole number from 0 to 32'],
    ['"300.1.1.1"', 'must be an IP address or a CIDR range such as 10.0.0.0/8 or fd00::/8, got "300.1.1.1"'],
    ['"localhost"', 'must be an IP address or a CIDR range such as 10.0.0.0/8 or fd00::/8, got "localhost"'],
    ['""', 'must be an IP address or a CIDR range such as 10.0.0.0/8 or fd00::/8, got ""'],
    ['8', 'must be an IP address or CIDR range string such as 10.0.0.0/8, got 8'],
    ['[10.0.0.1]', 'must be an IP address or CIDR range string such as 10.0.0.0/8, got a list'],
  ])('trustedSources entry %s is refused', (entry, message) => {
    expect(problemsOf(`trust: { trustedSources: [${entry}] }`)).toEqual([`trust.trustedSources[0]: ${message}`]);
  });

  test('trustedSources must be a list', () => {
    expect(problemsOf('trust: { trustedSources: 10.0.0.0/8 }')).toEqual(['trust.trustedSources: must be a list, got the string "10.0.0.0/8"']);
  });

  test('an absurdly long list of sources is refused', () => {
    const sources = Array.from({ length: 1001 }, (_, i) => `"10.${Math.floor(i / 256)}.${i % 256}.1"`).join(', ');
    expect(problemsOf(`trust: { trustedSources: [${sources}] }`)).toEqual(['trust.trustedSources: lists 1001 ranges; at most 1000']);
  });

  test.each([
    ['host', 'cannot be host: that header already means something to the proxy or to Knative'],
    ['Content-Length', 'cannot be content-length: that header already means something to the proxy or to Knative'],
    ['transfer-encoding', 'cannot be transfer-encoding: that header already means something to the proxy or to Knative'],
    ['K-Proxy-Request', 'cannot be k-proxy-request: that header already means something to the proxy or to Knative'],
    ['x-forwarded-for', 'cannot be x-forwarded-for: that header already means something to the proxy or to Knative'],
    ['"x bad"', `must be an HTTP header name (letters, digits and !#$%&'*+.^_\`|~-), got "x bad"`],
    ['""', `must be an HTTP header name (letters, digits and !#$%&'*+.^_\`|~-), got ""`],
  ])('a hint header named %s is refused', (name, message) => {
    expect(problemsOf(`trust: { hintHeaders: { expectedDuration: ${name} } }`)).toEqual([`trust.hintHeaders.expectedDuration: ${message}`]);
  });

  test('the two hints cannot share a header', () => {
    expect(problemsOf('trust: { hintHeaders: { expectedDuration: x-hint, workflowRemaining: X-Hint } }')).toEqual([
      'trust.hintHeaders.workflowRemaining: must differ from expectedDuration (both are x-hint)',
    ]);
  });

  test('valid sources are kept with an explicit prefix, duplicates once; header names in lower case', () => {
    const config = parseConfig(
      `${POOL}trust: { trustedSources: [10.0.0.0/8, 10.0.0.0/8, "::1", 192.0.2.7], hintHeaders: { expectedDuration: X-Estimate } }`,
      'c.yaml',
    );
    expect(config.trust).toEqual({
      trustedSources: ['10.0.0.0/8', '::1/128', '192.0.2.7/32'],
      hintHeaders: { expectedDuration: 'x-estimate', workflowRemaining: 'x-shortline-workflow-remaining-ms' },
    });
  });
});

describe('broken YAML is a clear error naming the line, never a crash', () => {
  test.each([
    ['an unclosed flow mapping', 'scheduler: { policy: fifo\n'],
    ['a tab for indentation', 'scheduler:\n\tpolicy: fifo\n'],
    ['a key given twice', 'trust: {}\ntrust: {}\n'],
    ['an unterminated string', 'trust: { trustedSources: ["10.0.0.0/8] }\n'],
    ['a stray document marker', 'scheduler: {}\n--- !\n'],
  ])('%s', (_name, text) => {
    const problems = problemsOf(text);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toMatch(/^\(yaml( line \d+, column \d+)?\): /);
  });

  test('binary junk', () => {
    expect(problemsOf('\u0000\u0001\u00ff\u00fe{{{').length).toBeGreaterThan(0);
  });
});
