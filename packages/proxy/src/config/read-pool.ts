import { parseBackendUrl } from './backend-url.js';
import { POOL_DEFAULTS } from './config-defaults.js';
import { describeValue, MAX_COUNT, type ConfigSection } from './config-section.js';
import type { PoolConfig, ShortlineConfig } from './shortline-config.js';

const LOAD_BALANCING = ['least-loaded', 'first-available'] as const;

/**
 * The pool part of a section: `backends`, `concurrency`, `loadBalancing`. Shared by entries of
 * `pools:` and by functions that give their backends inline (a pool of their own).
 */
export function readPoolFields(section: ConfigSection, name: string, mode: ShortlineConfig['mode']): PoolConfig {
  const backends: string[] = [];
  const items = section.list('backends');
  for (const item of items) {
    if (typeof item.value !== 'string') {
      section.problems.add(item.path, `must be a backend URL string such as http://127.0.0.1:8080, got ${describeValue(item.value)}`);
      continue;
    }
    const parsed = parseBackendUrl(item.value);
    if ('problem' in parsed) section.problems.add(item.path, parsed.problem);
    else if (backends.includes(parsed.url)) section.problems.add(item.path, `${parsed.url} is listed twice`);
    else backends.push(parsed.url);
  }
  const notAList = section.has('backends') && !Array.isArray(section.value('backends'));
  if (mode === 'standalone' && items.length === 0 && !notAList) {
    section.problem('backends', 'must list at least one http://host:port in standalone mode');
  }
  return {
    name,
    backends,
    concurrency: section.integer('concurrency', POOL_DEFAULTS.concurrency, { min: 0, max: MAX_COUNT }),
    loadBalancing: section.choice('loadBalancing', LOAD_BALANCING, POOL_DEFAULTS.loadBalancing),
  };
}
