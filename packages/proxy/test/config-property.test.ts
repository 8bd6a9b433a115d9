import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { ConfigError, defaultConfig, EMBEDDED_CONFIG_PATH, parseConfig } from '../src/config/index.js';
import type { ShortlineConfig } from '../src/config/index.js';

/** parseConfig either accepts (and the result is stable) or throws a ConfigError with problems; nothing else. */
function parsesOrExplains(text: string): void {
  let config: ShortlineConfig;
  try {
    config = parseConfig(text, 'generated.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.length).toBeGreaterThan(0);
    return;
  }
  expect(defaultConfig(config)).toEqual(config);
}

const embedded = parseConfig(readFileSync(EMBEDDED_CONFIG_PATH, 'utf8'), 'embedded') as unknown;

/** Every path to a value inside a configuration object, as key lists. */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== 'object' || value === null) return [prefix];
  const entries = Array.isArray(value) ? value.map((item, index) => [index, item] as const) : Object.entries(value);
  return [prefix, ...entries.flatMap(([key, child]) => pathsOf(child, [...prefix, key]))];
}

function replaceAt(value: unknown, path: readonly (string | number)[], replacement: unknown): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return replacement;
  if (Array.isArray(value)) return value.map((item, index) => (index === head ? replaceAt(item, rest, replacement) : item));
  const record = value as Record<string, unknown>;
  return { ...record, [head]: replaceAt(record[head], rest, replacement) };
}

const leafValues = fc.oneof(
  fc.jsonValue(),
  fc.constantFrom(NaN, Infinity, -Infinity, -0, 2 ** 53, 1e308, -1, 0.5, '', ' ', '/', 'http://', 'aging-srtf'),
  fc.string(),
);

describe('parseConfig never crashes', () => {
  test('on any JSON value', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => parsesOrExplains(JSON.stringify(value))), { numRuns: 300 });
  });

  test('on any text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), parsesOrExplains), { numRuns: 150 });
  });

  test('on a valid configuration with one value anywhere replaced by anything', () => {
    const paths = pathsOf(embedded);
    fc.assert(
      fc.property(fc.constantFrom(...paths), leafValues, (path, replacement) => {
        parsesOrExplains(stringify(replaceAt(embedded, path, replacement)));
      }),
      { numRuns: 300 },
    );
  });

  test('on a valid configuration with an unknown key added anywhere', () => {
    const sections = pathsOf(embedded).filter((path) => {
      let value: unknown = embedded;
      for (const key of path) value = (value as Record<string | number, unknown>)[key];
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    });
    fc.assert(
      fc.property(fc.constantFrom(...sections), fc.string({ minLength: 1 }), (path, key) => {
        let target: unknown = embedded;
        for (const step of path) target = (target as Record<string | number, unknown>)[step];
        fc.pre(!Object.hasOwn(target as object, key));
        const text = stringify(replaceAt(embedded, path, { ...(target as object), [key]: 1 }));
        expect(() => parseConfig(text, 'generated.yaml')).toThrow(ConfigError);
      }),
      { numRuns: 100 },
    );
  });
});
