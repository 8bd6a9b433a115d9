import { PRIORITIES } from '@shortline/core';
import { FUNCTION_DEFAULTS } from './config-defaults.js';
import { checkName } from './config-names.js';
import { ConfigSection, MAX_COUNT, type ProblemLog } from './config-section.js';
import { readMatchRule } from './read-match-rule.js';
import { readPoolFields } from './read-pool.js';
import type { FunctionConfig, PoolConfig, ShortlineConfig } from './shortline-config.js';

const FUNCTION_KEYS = [
  'name',
  'match',
  'pool',
  'backends',
  'concurrency',
  'autoConcurrency',
  'loadBalancing',
  'expectedDurationMs',
  'maxQueued',
  'maxQueueWaitMs',
  'timeoutMs',
  'priority',
  'deadlineMs',
] as const;
const INLINE_POOL_KEYS = ['backends', 'concurrency', 'autoConcurrency', 'loadBalancing'] as const;

export interface FunctionEntry {
  readonly config: FunctionConfig;
  /** The pool of its own that a function giving `backends:` inline gets, named after the function. */
  readonly inlinePool: PoolConfig | undefined;
  readonly section: ConfigSection;
}

/** One entry of `functions:`; undefined when it has no usable name (the problem is recorded). */
export function readFunction(
  value: unknown,
  path: string,
  problems: ProblemLog,
  context: { readonly mode: ShortlineConfig['mode']; readonly requestTimeoutMs: number },
): FunctionEntry | undefined {
  const section = ConfigSection.read(value, path, FUNCTION_KEYS, problems);
  const name = section.optionalString('name', checkName);
  if (!section.has('name')) section.problem('name', 'is required');
  const match = readMatchRule(section.value('match'), section.keyPath('match'), problems);
  const inline = INLINE_POOL_KEYS.filter((key) => section.has(key));
  let pool = section.optionalString('pool', checkName);
  let inlinePool: PoolConfig | undefined;
  if (section.has('pool') && inline.length > 0) {
    section.problem(inline[0] as string, 'give either pool: (a shared pool) or backends: inline (a pool of its own), not both');
  } else if (inline.length > 0 && !section.has('backends')) {
    section.problem(inline[0] as string, 'goes with inline backends:, which are missing (or name a shared pool with pool:)');
  } else if (inline.length > 0 && name !== undefined) {
    inlinePool = readPoolFields(section, name, context.mode);
    pool = name;
  } else if (!section.has('pool')) {
    section.problem('pool', 'is required: name a pool from pools:, or give backends: inline');
  }
  const expectedDurationMs = section.has('expectedDurationMs') ? section.durationMs('expectedDurationMs', 0) : undefined;
  const config: FunctionConfig = {
    name: name ?? '',
    match,
    pool: pool ?? '',
    expectedDurationMs,
    maxQueued: section.integer('maxQueued', FUNCTION_DEFAULTS.maxQueued, { min: 0, max: MAX_COUNT }),
    maxQueueWaitMs: section.durationMs('maxQueueWaitMs', FUNCTION_DEFAULTS.maxQueueWaitMs),
    timeoutMs: section.durationMs('timeoutMs', context.requestTimeoutMs, { min: 0, minExclusive: true }),
    priority: section.choice('priority', PRIORITIES, FUNCTION_DEFAULTS.priority),
    deadlineMs: section.durationMs('deadlineMs', FUNCTION_DEFAULTS.deadlineMs),
  };
  return name === undefined ? undefined : { config, inlinePool, section };
}
