import type { Logger } from 'pino';
import { poolCapacity, type ShortlineConfig } from './config/index.js';
import type { DispatchLoop } from './dispatch/dispatch-loop.js';
import { staticBackendId } from './dispatch/backend-registry.js';
import { functionOptions, policySpec, samePolicy } from './dispatch/scheduler-config.js';
import type { Exchange } from './exchange/exchange.js';
import type { FunctionTable } from './exchange/function-table.js';
import type { FunctionEntry, ProxySettings } from './exchange/proxy-settings.js';
import type { ProxyMetrics } from './metrics/proxy-metrics.js';

export interface ConfigurationApplierOptions {
  readonly loop: DispatchLoop<Exchange>;
  readonly functions: FunctionTable;
  readonly metrics: ProxyMetrics;
  readonly settings: ProxySettings;
  readonly logger: Logger;
}

/**
 * Brings the dispatch loop (scheduler and backends), the function table and the request path's
 * settings in line with a configuration: at start, and on every reload. What is queued stays queued,
 * except requests of a function the configuration no longer has (answered 503 `function-removed`).
 * Pools and functions added at run time (discovery) are not the configuration's and stay.
 */
export class ConfigurationApplier {
  readonly #options: ConfigurationApplierOptions;
  /** Pools that came from the configuration (discovery may add others). */
  #configuredPools = new Set<string>();
  #applied: ShortlineConfig | undefined = undefined;

  constructor(options: ConfigurationApplierOptions) {
    this.#options = options;
  }

  /**
   * Applies `config`. A validated configuration throws here only if it names a run-time function
   * (FunctionNameTakenError), or has a policy the core refuses; both are checked before anything changes.
   */
  apply(config: ShortlineConfig): void {
    const { loop, functions, metrics, settings, logger } = this.#options;
    functions.checkConfigured(config.functions.map((fn) => fn.name));
    const spec = policySpec(config.scheduler);
    const policyChanged = !samePolicy(loop.scheduler.policy, spec);
    const previous = this.#applied;
    if (previous !== undefined && (config.listen.port !== previous.listen.port || config.listen.host !== previous.listen.host)) {
      logger.warn('listen address changes take effect only after a restart');
    }
    loop.configure(policyChanged ? spec : undefined, { maxQueued: config.scheduler.maxQueued, maxInFlight: config.scheduler.maxInFlight }, config.predictor);

    const pools = new Set(config.pools.map((pool) => pool.name));
    for (const pool of config.pools) {
      loop.upsertPool(pool.name, pool.loadBalancing);
      const backends = pool.backends.map((url) => ({ id: staticBackendId(pool.name, url), url, capacity: poolCapacity(pool) }));
      void loop.syncPool(pool.name, backends).catch((error: unknown) => {
        logger.error({ err: error, pool: pool.name }, 'closing a removed backend failed');
      });
    }
    const entries = new Map<string, FunctionEntry>();
    for (const fn of config.functions) {
      loop.upsertFunction(functionOptions(fn));
      entries.set(fn.name, { name: fn.name, pool: fn.pool, timeoutMs: fn.timeoutMs, metrics: metrics.forFunction(fn.name) });
    }
    for (const name of functions.replaceConfigured(entries)) {
      loop.removeFunction(name);
      metrics.removeFunction(name);
    }
    for (const name of this.#configuredPools) {
      if (!pools.has(name)) this.#removePool(name);
    }
    this.#configuredPools = pools;
    settings.retryAfterSeconds = config.limits.retryAfterSeconds;
    settings.responseStartMs = config.timeouts.responseStartMs;
    settings.idleMs = config.timeouts.idleMs;
    logger.level = config.logging.level;
    this.#applied = config;
  }

  #removePool(name: string): void {
    void this.#options.loop.removePool(name).catch((error: unknown) => {
      this.#options.logger.error({ err: error, pool: name }, 'closing a removed pool failed');
    });
  }
}
