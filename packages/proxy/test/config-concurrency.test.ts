import { describe, expect, test } from '@jest/globals';
import { ConfigError, defaultConfig, parseConfig, poolCapacity, type PoolConfig } from '../src/config/index.js';

const BACKEND = 'backends: ["http://127.0.0.1:9101"]';

function pool(fields: string): PoolConfig {
  return parseConfig(`pools: [{ name: p, ${BACKEND}, ${fields} }]`, 'test.yaml').pools[0] as PoolConfig;
}

function problems(fields: string): string[] {
  try {
    parseConfig(`pools: [{ name: p, ${BACKEND}, ${fields} }]`, 'test.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems.map((problem) => `${problem.path}: ${problem.message}`);
  }
  throw new Error('expected a ConfigError');
}

describe('pools[].concurrency: auto', () => {
  test.each([
    ['concurrency: 4', { concurrency: 4, autoConcurrency: undefined }, 4],
    ['concurrency: 0', { concurrency: 0, autoConcurrency: undefined }, 0],
    ['concurrency: auto', { concurrency: 0, autoConcurrency: { min: undefined, max: undefined } }, { auto: true }],
    ['concurrency: auto, autoConcurrency: { min: 2, max: 16 }', { concurrency: 16, autoConcurrency: { min: 2, max: 16 } }, { auto: true, min: 2, max: 16 }],
    ['autoConcurrency: { max: 8 }', { concurrency: 8, autoConcurrency: { min: undefined, max: 8 } }, { auto: true, max: 8 }],
    ['autoConcurrency: {}', { concurrency: 0, autoConcurrency: { min: undefined, max: undefined } }, { auto: true }],
    ['concurrency: 6, autoConcurrency: { min: 2 }', { concurrency: 6, autoConcurrency: { min: 2, max: 6 } }, { auto: true, min: 2, max: 6 }],
  ])('%s', (fields, resolved, capacity) => {
    const config = pool(fields);
    expect(config).toMatchObject(resolved);
    expect(poolCapacity(config)).toEqual(capacity);
  });

  test('a resolved auto pool reads back as itself', () => {
    const config = parseConfig(
      `pools: [{ name: p, ${BACKEND}, concurrency: auto, autoConcurrency: { min: 2, max: 16 } }]\nfunctions: [{ name: f, backends: ["http://127.0.0.1:9102"], concurrency: auto }]`,
      'test.yaml',
    );
    expect(defaultConfig(config)).toEqual(config);
  });

  test('a function with inline backends learns its own concurrency too', () => {
    const config = parseConfig(`functions: [{ name: f, backends: ["http://127.0.0.1:9102"], autoConcurrency: { max: 3 } }]`, 'test.yaml');
    expect(config.pools[0]).toMatchObject({ name: 'f', concurrency: 3, autoConcurrency: { max: 3 } });
  });

  test.each([
    ['concurrency: lots', 'pools[0].concurrency: must be an integer (0 = unlimited) or auto, got the string "lots"'],
    ['concurrency: -1', 'pools[0].concurrency: must be an integer from 0 to 2147483647, got -1'],
    ['autoConcurrency: { min: 0 }', 'pools[0].autoConcurrency.min: must be an integer from 1 to 2147483647, got 0'],
    ['autoConcurrency: { min: 5, max: 2 }', 'pools[0].autoConcurrency.min: must be at most the ceiling (2), got 5'],
    ['concurrency: 4, autoConcurrency: { max: 8 }', 'pools[0].autoConcurrency.max: differs from concurrency (4), which is the same ceiling: give one'],
    ['autoConcurrency: { maximum: 8 }', 'pools[0].autoConcurrency.maximum: unknown key; did you mean "max"?'],
    ['autoConcurrency: 8', 'pools[0].autoConcurrency: must be a mapping of keys to values, got 8'],
  ])('%s is refused, naming the key', (fields, problem) => {
    expect(problems(fields)).toEqual([problem]);
  });
});

describe('sidecar.concurrency', () => {
  test('is auto unless set to fixed', () => {
    expect(defaultConfig().sidecar).toEqual({ concurrency: 'auto' });
    expect(parseConfig('sidecar: { concurrency: fixed }', 'test.yaml').sidecar).toEqual({ concurrency: 'fixed' });
  });

  test('refuses anything else, naming the key', () => {
    expect(() => parseConfig('sidecar: { concurrency: learn }', 'test.yaml')).toThrow(
      'sidecar.concurrency: must be one of auto, fixed; got the string "learn"',
    );
  });
});
