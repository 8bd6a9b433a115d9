import { parseBackendUrl } from './backend-url.js';
import { POOL_DEFAULTS } from './config-defaults.js';
import { describeValue, MAX_COUNT, type ConfigSection } from './config-section.js';
import type { AutoConcurrencyConfig, PoolConfig, ShortlineConfig } from './shortline-config.js';

const LOAD_BALANCING = ['least-loaded', 'first-available'] as const;
const AUTO_BOUND_KEYS = ['min', 'max'] as const;

/**
 * `concurrency` (a number, 0 = unlimited, or `auto`) and `autoConcurrency` (`{ min, max }`, which
 * implies auto). With auto, the number kept in `concurrency` is the ceiling (`max`, else 0): what a
 * proxy that does not learn would use; a number written beside `autoConcurrency` is that ceiling too,
 * so a resolved pool reads back as itself.
 */
function readConcurrency(section: ConfigSection): { concurrency: number; autoConcurrency: AutoConcurrencyConfig | undefined } {
  const value = section.value('concurrency');
  const auto = value === 'auto' || section.has('autoConcurrency');
  let given: number | undefined;
  if (typeof value === 'string' && value !== 'auto') {
    section.problem('concurrency', `must be an integer (0 = unlimited) or auto, got ${describeValue(value)}`);
  } else if (value !== 'auto') {
    given = section.integer('concurrency', POOL_DEFAULTS.concurrency, { min: 0, max: MAX_COUNT });
  }
  if (!auto) return { concurrency: given ?? POOL_DEFAULTS.concurrency, autoConcurrency: undefined };
  const bounds = section.section('autoConcurrency', AUTO_BOUND_KEYS);
  const range = { min: 1, max: MAX_COUNT };
  const min = bounds.has('min') ? bounds.integer('min', 1, range) : undefined;
  let max = bounds.has('max') ? bounds.integer('max', MAX_COUNT, range) : undefined;
  if (given !== undefined && given > 0) {
    if (max !== undefined && max !== given) bounds.problem('max', `differs from concurrency (${given}), which is the same ceiling: give one`);
    max = given;
  }
  if (min !== undefined && max !== undefined && min > max) bounds.problem('min', `must be at most the ceiling (${max}), got ${min}`);
  return { concurrency: max ?? 0, autoConcurrency: { min, max } };
}

/**
 * The pool part of a section: `backends`, `concurrency`, `autoConcurrency`, `loadBalancing`. Shared by entries of
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
    ...readConcurrency(section),
    loadBalancing: section.choice('loadBalancing', LOAD_BALANCING, POOL_DEFAULTS.loadBalancing),
  };
}
