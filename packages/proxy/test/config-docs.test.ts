import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { CONFIG_DEFAULTS, type ConfigError, FUNCTION_DEFAULTS, parseConfig, POOL_DEFAULTS } from '../src/config/index.js';

// docs/configuration.md is the reference users read: every key the parser knows must be in it,
// with the default the parser really applies, and nothing it documents may be unknown to the parser.

const docs = readFileSync(new URL('../../../docs/configuration.md', import.meta.url), 'utf8');
const rows = [...docs.matchAll(/^\| `([\w.[\]]+)` \| [^|]*(?:\\\|[^|]*)* \| ([^|]*) \|/gm)].map((m) => ({
  key: m[1] as string,
  default: (m[2] as string).trim(),
}));

/** Leaf key paths of the defaults, e.g. `scheduler.maxWaitMs`. */
function leafPaths(value: object, prefix = ''): [string, unknown][] {
  return Object.entries(value).flatMap(([key, child]): [string, unknown][] =>
    typeof child === 'object' && child !== null && !Array.isArray(child) ? leafPaths(child, `${prefix}${key}.`) : [[`${prefix}${key}`, child]],
  );
}

const expected: [string, unknown][] = [
  ...leafPaths(CONFIG_DEFAULTS).filter(([key]) => key !== 'pools' && key !== 'functions' && key !== 'defaultFunction'),
  ...Object.entries(POOL_DEFAULTS).map(([key, value]): [string, unknown] => [`pools[].${key}`, value]),
  ...Object.entries(FUNCTION_DEFAULTS).map(([key, value]): [string, unknown] => [`functions[].${key}`, value]),
];

/** Problems that say a key is unknown (a key set to ~ may be missing something else, which is fine here). */
function unknownKeys(text: string): string[] {
  try {
    parseConfig(text, 'docs');
    return [];
  } catch (error) {
    return (error as ConfigError).problems.filter((problem) => problem.message.startsWith('unknown key')).map((problem) => problem.path);
  }
}

describe('docs/configuration.md', () => {
  test('documents every key with the default the parser applies', () => {
    for (const [key, value] of expected) {
      const row = rows.find((candidate) => candidate.key === key);
      expect(row?.key).toBe(key);
      expect(`${key} = ${row?.default ?? ''}`).toBe(`${key} = \`${String(value)}\``);
    }
  });

  test('documents only keys the parser accepts', () => {
    const base = 'pools: [{ name: p, backends: ["http://127.0.0.1:1"] }]\n';
    for (const { key } of rows) {
      if (key.startsWith('functions[].match.')) continue;
      const [section, field] = key.replace('[]', '').split('.') as [string, string | undefined];
      let text: string;
      if (section === 'pools') text = `pools: [{ name: p, backends: ["http://127.0.0.1:1"], ${field ?? 'name'}: ~ }]`;
      else if (section === 'functions') text = `${base}functions: [{ name: f, pool: p, ${field ?? 'name'}: ~ }]`;
      else text = field === undefined ? `${section}: ~` : `${section}: { ${field}: ~ }`;
      expect(unknownKeys(text)).toEqual([]);
    }
    const matchKeys = rows.filter(({ key }) => key.startsWith('functions[].match.')).map(({ key }) => key.slice('functions[].match.'.length));
    expect(matchKeys.sort()).toEqual(['ceType', 'header', 'host', 'pathPrefix']);
  });
});
