import { POLICY_NAMES } from '@shortline/core';
import { CONFIG_DEFAULTS } from './config-defaults.js';
import { ConfigError } from './config-error.js';
import { checkName } from './config-names.js';
import { ConfigSection, MAX_COUNT, ProblemLog } from './config-section.js';
import { readConnections } from './read-connections.js';
import { readFunction, type FunctionEntry } from './read-function.js';
import { matchesEverything } from './read-match-rule.js';
import { readPoolFields } from './read-pool.js';
import { readTracing } from './read-tracing.js';
import { readPredictor } from './read-predictor.js';
import { readTrust } from './read-trust.js';
import type { FunctionConfig, ListenAddress, PoolConfig, ShortlineConfig } from './shortline-config.js';

const TOP_KEYS = [
  'mode',
  'listen',
  'admin',
  'scheduler',
  'predictor',
  'timeouts',
  'drain',
  'limits',
  'connections',
  'trust',
  'logging',
  'metrics',
  'tracing',
  'sidecar',
  'pools',
  'functions',
  'defaultFunction',
] as const;
const MODES = ['standalone', 'sidecar', 'gateway'] as const;
const ADDRESS_KEYS = ['host', 'port'] as const;
const SCHEDULER_KEYS = [
  'policy',
  'maxQueued',
  'maxInFlight',
  'agingFactor',
  'fifoFactor',
  'fifoMemoryMs',
  'maxWaitMs',
  'cappedShare',
  'agingRate',
] as const;
const TIMEOUT_KEYS = ['requestMs', 'responseStartMs', 'idleMs'] as const;
const DRAIN_KEYS = ['timeoutMs', 'quietPeriodMs'] as const;
const LIMIT_KEYS = ['maxCloudEventBytes', 'retryAfterSeconds'] as const;
const LOGGING_KEYS = ['level'] as const;
const METRICS_KEYS = ['process'] as const;
const SIDECAR_KEYS = ['concurrency'] as const;
const SIDECAR_CONCURRENCY = ['auto', 'fixed'] as const;
const POOL_KEYS = ['name', 'backends', 'concurrency', 'autoConcurrency', 'loadBalancing'] as const;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const PROCESS_METRICS = ['auto', 'on', 'off'] as const;
const LISTEN_HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*)$/;
/** Structured CloudEvents are buffered to read their type; more than this is not an event but an upload. */
const MAX_CLOUD_EVENT_BYTES = 64 * 1024 * 1024;
/** Ranks and slowdowns are ratios; beyond this a value is a typo (`.inf` says "no limit"). */
const MAX_RATIO = 1e9;

function checkListenHost(host: string): string | undefined {
  return LISTEN_HOST.test(host) ? undefined : `must be an interface address or host name such as 127.0.0.1 or 0.0.0.0, got ${JSON.stringify(host)}`;
}

function readAddress(top: ConfigSection, key: 'listen' | 'admin'): ListenAddress {
  const section = top.section(key, ADDRESS_KEYS);
  const fallback = CONFIG_DEFAULTS[key];
  return {
    host: section.string('host', fallback.host, checkListenHost),
    port: section.integer('port', fallback.port, { min: 0, max: 65535 }),
  };
}

/**
 * Validates a configuration given as data (what YAML parsed to, or programmatic overrides) and fills
 * in every default. Collects every problem before throwing one ConfigError that lists them all.
 */
export function validateConfig(raw: unknown, source: string): ShortlineConfig {
  const problems = new ProblemLog();
  const top = ConfigSection.read(raw, '', TOP_KEYS, problems);
  const mode = top.choice('mode', MODES, CONFIG_DEFAULTS.mode);
  const listen = readAddress(top, 'listen');
  const admin = readAddress(top, 'admin');
  if (listen.port !== 0 && listen.port === admin.port) {
    problems.add('admin.port', `must differ from listen.port (both are ${listen.port})`);
  }

  const schedulerSection = top.section('scheduler', SCHEDULER_KEYS);
  const schedulerDefaults = CONFIG_DEFAULTS.scheduler;
  const scheduler = {
    policy: schedulerSection.choice('policy', POLICY_NAMES, schedulerDefaults.policy),
    maxQueued: schedulerSection.integer('maxQueued', schedulerDefaults.maxQueued, { min: 0, max: MAX_COUNT }),
    maxInFlight: schedulerSection.integer('maxInFlight', schedulerDefaults.maxInFlight, { min: 0, max: MAX_COUNT }),
    agingFactor: schedulerSection.number('agingFactor', schedulerDefaults.agingFactor, {
      min: 0,
      minExclusive: true,
      max: MAX_RATIO,
      allowInfinity: true,
    }),
    fifoFactor: schedulerSection.number('fifoFactor', schedulerDefaults.fifoFactor, { min: 0, minExclusive: true, max: MAX_RATIO, allowInfinity: true }),
    fifoMemoryMs: schedulerSection.durationMs('fifoMemoryMs', schedulerDefaults.fifoMemoryMs, { minExclusive: true, allowInfinity: true }),
    maxWaitMs: schedulerSection.durationMs('maxWaitMs', schedulerDefaults.maxWaitMs, { minExclusive: true, allowInfinity: true }),
    cappedShare: schedulerSection.number('cappedShare', schedulerDefaults.cappedShare, { min: 0, minExclusive: true, max: 1 }),
    agingRate: schedulerSection.number('agingRate', schedulerDefaults.agingRate, { min: 0, max: MAX_RATIO }),
  };

  const predictor = readPredictor(top);

  const timeoutSection = top.section('timeouts', TIMEOUT_KEYS);
  const timeouts = {
    requestMs: timeoutSection.durationMs('requestMs', CONFIG_DEFAULTS.timeouts.requestMs, { minExclusive: true }),
    responseStartMs: timeoutSection.durationMs('responseStartMs', CONFIG_DEFAULTS.timeouts.responseStartMs),
    idleMs: timeoutSection.durationMs('idleMs', CONFIG_DEFAULTS.timeouts.idleMs),
  };

  const drainSection = top.section('drain', DRAIN_KEYS);
  const drain = {
    timeoutMs: drainSection.durationMs('timeoutMs', CONFIG_DEFAULTS.drain.timeoutMs),
    quietPeriodMs: drainSection.durationMs('quietPeriodMs', CONFIG_DEFAULTS.drain.quietPeriodMs),
  };

  const limitSection = top.section('limits', LIMIT_KEYS);
  const limits = {
    maxCloudEventBytes: limitSection.integer('maxCloudEventBytes', CONFIG_DEFAULTS.limits.maxCloudEventBytes, {
      min: 1,
      max: MAX_CLOUD_EVENT_BYTES,
    }),
    retryAfterSeconds: limitSection.integer('retryAfterSeconds', CONFIG_DEFAULTS.limits.retryAfterSeconds, { min: 0, max: 3600 }),
  };

  const connections = readConnections(top);
  const trust = readTrust(top);

  const logging = { level: top.section('logging', LOGGING_KEYS).choice('level', LOG_LEVELS, CONFIG_DEFAULTS.logging.level) };
  const metrics = { process: top.section('metrics', METRICS_KEYS).choice('process', PROCESS_METRICS, CONFIG_DEFAULTS.metrics.process) };
  const tracing = readTracing(top);
  const sidecar = {
    concurrency: top.section('sidecar', SIDECAR_KEYS).choice('concurrency', SIDECAR_CONCURRENCY, CONFIG_DEFAULTS.sidecar.concurrency),
  };

  const pools = readPools(top, mode, problems);
  const functions = readFunctions(top, mode, timeouts.requestMs, pools, problems);
  const defaultFunction = top.optionalString('defaultFunction');
  if (defaultFunction !== undefined && !functions.some((fn) => fn.name === defaultFunction)) {
    top.problem('defaultFunction', `names no function; functions: ${functions.map((fn) => fn.name).join(', ') || '(none)'}`);
  }

  if (problems.problems.length > 0) throw new ConfigError('SHORTLINE_CONFIG_INVALID', source, problems.problems);
  return deepFreeze({
    mode,
    listen,
    admin,
    scheduler,
    predictor,
    timeouts,
    drain,
    limits,
    connections,
    trust,
    logging,
    metrics,
    tracing,
    sidecar,
    pools,
    functions,
    defaultFunction,
  });
}

function readPools(top: ConfigSection, mode: ShortlineConfig['mode'], problems: ProblemLog): PoolConfig[] {
  const pools: PoolConfig[] = [];
  for (const item of top.list('pools')) {
    const section = ConfigSection.read(item.value, item.path, POOL_KEYS, problems);
    const name = section.optionalString('name', checkName);
    if (!section.has('name')) section.problem('name', 'is required');
    const pool = readPoolFields(section, name ?? '', mode);
    if (name === undefined) continue;
    if (pools.some((other) => other.name === name)) section.problem('name', `another pool is already named ${JSON.stringify(name)}`);
    else {
      claimBackends(pool, section, pools);
      pools.push(pool);
    }
  }
  return pools;
}

function readFunctions(
  top: ConfigSection,
  mode: ShortlineConfig['mode'],
  requestTimeoutMs: number,
  pools: PoolConfig[],
  problems: ProblemLog,
): FunctionConfig[] {
  const declaredPools = pools.map((pool) => pool.name);
  const entries: FunctionEntry[] = [];
  let catchAll: FunctionEntry | undefined;
  for (const item of top.list('functions')) {
    const entry = readFunction(item.value, item.path, problems, { mode, requestTimeoutMs });
    if (entry === undefined) continue;
    const { config, inlinePool, section } = entry;
    if (entries.some((other) => other.config.name === config.name)) {
      section.problem('name', `another function is already named ${JSON.stringify(config.name)}`);
      continue;
    }
    if (catchAll !== undefined) {
      section.problem('match', `is never reached: ${catchAll.section.path} (${catchAll.config.name}) before it has an empty match, which matches every request`);
    } else if (matchesEverything(config.match)) {
      catchAll = entry;
    }
    if (inlinePool !== undefined) {
      if (declaredPools.includes(inlinePool.name)) {
        section.problem('backends', `makes a pool named ${JSON.stringify(inlinePool.name)} (after the function), but pools: already has one`);
      } else {
        claimBackends(inlinePool, section, pools);
        pools.push(inlinePool);
      }
    } else if (config.pool !== '' && !declaredPools.includes(config.pool)) {
      section.problem('pool', `names no pool; pools: ${declaredPools.join(', ') || '(none)'}`);
    }
    entries.push(entry);
  }
  return entries.map((entry) => entry.config);
}

/** A backend belongs to one pool: two pools sending to one address would overrun its concurrency. */
function claimBackends(pool: PoolConfig, section: ConfigSection, pools: readonly PoolConfig[]): void {
  for (const backend of pool.backends) {
    const owner = pools.find((other) => other.backends.includes(backend));
    if (owner !== undefined) {
      section.problem('backends', `${backend} already belongs to pool ${JSON.stringify(owner.name)}; a backend belongs to one pool`);
    }
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
