import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Http2Server } from 'node:http2';
import type { Duplex } from 'node:stream';
import { IdIndex, Scheduler, type Expired, type LoadBalancing, type SchedulerSnapshot } from '@shortline/core';
import type { Logger } from 'pino';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { createAdminServer } from './admin-server.js';
import { createAdmission } from './admission.js';
import { BackendRegistry, type BackendView } from './backend-registry.js';
import { createClassifier, type Classifier } from './classify/index.js';
import type { ListenAddress, ShortlineConfig } from './config/index.js';
import { applyConnections, createDataServer, LiveClientPolicy } from './data-server.js';
import { Exchange, type ExchangeContext } from './exchange.js';
import { FunctionTable } from './function-table.js';
import type { Layer, RequestHandler } from './handler.js';
import { createHttp2DataServer, type Http2DataServer } from './http2-data-server.js';
import { Lifecycle, type ExchangeObserver } from './lifecycle.js';
import { createLogger } from './logger.js';
import { ProxyMetrics } from './metrics/proxy-metrics.js';
import { registerSchedulerGauges } from './metrics/scheduler-gauges.js';
import type { FunctionRuntime, ProxySettings } from './proxy-settings.js';
import { QueueDriver } from './queue-driver.js';
import { buildRequestPath } from './request-path.js';
import { functionOptions, policySpec, samePolicy } from './scheduler-config.js';
import { UpgradeRelay } from './upgrade-relay.js';
import type { Upstream } from './upstream.js';

export interface ShortlineOptions {
  readonly config: ShortlineConfig;
  /** Default: pino JSON on stdout at `logging.level`. */
  readonly logger?: Logger;
  /** Default: a new registry (with process metrics). */
  readonly registry?: Registry;
  /** Replaces the config rules (gateway mode resolves revisions itself); then reloads keep it. */
  readonly classifier?: Classifier;
  /** Extra request-path layers, outermost first, run before classification and the queue. */
  readonly layers?: readonly Layer[];
  /** Headers set on every upstream request, e.g. `{ 'k-proxy-request': 'activator' }`. */
  readonly upstreamHeaders?: Readonly<Record<string, string>>;
  /** Monotonic milliseconds. Default `performance.now`. */
  readonly clock?: () => number;
  /** X-Forwarded-For/-Proto and Forwarded for the backend. Default true. */
  readonly forwardedHeaders?: boolean;
  /** Process metrics (CPU, memory, event loop) in the registry. Default true. */
  readonly processMetrics?: boolean;
  /** How long a backend that refused a connection stays out of rotation. Default 1000 ms. */
  readonly ejectionMs?: number;
  /** A further condition for `/readyz`, e.g. "discovery has listed the cluster once". */
  readonly ready?: () => boolean;
}

/** A function added at run time (gateway discovery) rather than by the configuration. */
export interface RuntimeFunction {
  readonly name: string;
  /** Must exist (`upsertPool`) before the function is added. */
  readonly pool: string;
  /** Whole request, queue wait included; 0 = none. */
  readonly timeoutMs: number;
  /** Prediction until observed; default `predictor.priorMs`. */
  readonly expectedDurationMs?: number;
  /** Waiting requests of this function at most; 0 (default) = only the global limit. */
  readonly maxQueued?: number;
  /** Longest wait in the queue before a 503; 0 (default) = until the timeout. */
  readonly maxQueueWaitMs?: number;
}

export interface ListeningPorts {
  readonly port: number;
  readonly adminPort: number;
}

/** What `/debug/queue` shows. */
export interface DebugSnapshot extends SchedulerSnapshot {
  readonly draining: boolean;
  readonly openRequests: number;
  readonly upgrades: number;
  readonly backendDetails: readonly BackendView[];
}

/**
 * The scheduling proxy. Seams for what plugs in later (Knative discovery, probes, autoscaler stats):
 * `scheduler` for functions and pools, `backends` for backends (they own connection pools), `layers`
 * and `upstreamHeaders` in the options, `observe` for request lifecycles, `server` to feed sockets.
 */
export interface Shortline {
  /** The core scheduler. Upsert functions and pools here; call `reschedule()` after changing it. */
  readonly scheduler: Scheduler<Exchange, Upstream>;
  /** Add, drain, remove backends here, not on `scheduler`: each has a connection pool. */
  readonly backends: BackendRegistry;
  /** The data-plane listener (node:http); `server.emit('connection', socket)` feeds it a socket. */
  readonly server: Server;
  /**
   * The data plane over cleartext HTTP/2 (h2c with prior knowledge), never listening itself: feed it
   * sockets. Its requests are classified, queued and counted like any other, and go upstream over h2c.
   */
  readonly http2Server: Http2Server;
  readonly adminServer: Server;
  readonly logger: Logger;
  readonly registry: Registry;
  /** The configuration in force. */
  readonly config: ShortlineConfig;
  readonly draining: boolean;
  /** Binds both listeners (port 0 picks a free port) and reports the ports. */
  listen(): Promise<ListeningPorts>;
  /**
   * Binds only the admin listener and returns its port: the caller owns the data listener and feeds
   * `server` (and `http2Server`) its sockets. Drain and close then leave that listener to the caller.
   */
  listenAdmin(): Promise<number>;
  /**
   * Reload: policy, limits, predictor, timeouts, functions, pools, backends. Queued requests stay
   * queued. Functions and pools added at run time are not the configuration's: a reload keeps them,
   * and a configuration that defines a function of the same name is refused.
   */
  applyConfig(config: ShortlineConfig): void;
  /** A configuration that could not be loaded: logged and counted; the one in force stays. */
  reportInvalidConfig(error: Error): void;
  /** Starts whatever may start now; call after changing `scheduler` directly. */
  reschedule(): void;
  /** Adds a pool at run time, or changes its load balancing; give it backends through `backends`. */
  upsertPool(name: string, loadBalancing: LoadBalancing): void;
  /** Removes a run-time pool and its backends (their connections close once their requests end). */
  removePool(name: string): void;
  /** Adds or changes a run-time function; throws FunctionNameTakenError if the configuration has one so named. */
  upsertFunction(fn: RuntimeFunction): void;
  /** Removes a run-time function: its waiting requests get 503, its running ones finish. */
  removeFunction(name: string): void;
  /** Subscribes to request lifecycles; returns the unsubscribe function. */
  observe(observer: ExchangeObserver): () => void;
  /** Runs a request through the request path (what `server` does for each request). */
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** Relays an upgrade (what `server` does on 'upgrade'). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  debugSnapshot(): DebugSnapshot;
  /**
   * Readiness turns 503; requests keep being accepted until `drain.quietPeriodMs` passes without one;
   * once every accepted request is answered the listeners close. Bound it with `drain.timeoutMs`.
   */
  drain(): Promise<void>;
  /** Stops now: requests still open get 503 (or their connection cut), every socket closes. */
  close(): Promise<void>;
}

export function createShortline(options: ShortlineOptions): Shortline {
  return new ShortlineProxy(options);
}

function flatHeaders(headers: Readonly<Record<string, string>> | undefined): string[] {
  const flat: string[] = [];
  for (const [name, value] of Object.entries(headers ?? {})) flat.push(name.toLowerCase(), value);
  return flat;
}

function listenOn(server: Server, address: ListenAddress): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    server.listen(address.port, address.host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve) => server.close(() => resolve()));
}

class ShortlineProxy implements Shortline {
  readonly scheduler: Scheduler<Exchange, Upstream>;
  readonly backends: BackendRegistry;
  readonly server: Server;
  readonly http2Server: Http2Server;
  readonly adminServer: Server;
  readonly logger: Logger;
  readonly registry: Registry;
  #config: ShortlineConfig;
  readonly #clock: () => number;
  readonly #options: ShortlineOptions;
  readonly #driver: QueueDriver;
  readonly #metrics: ProxyMetrics;
  readonly #settings: ProxySettings;
  readonly #lifecycle = new Lifecycle();
  readonly #context: ExchangeContext;
  readonly #upgrades: UpgradeRelay;
  /** Every exchange not yet finished, by id. Not a Set: see IdIndex for what a churned Set costs the GC. */
  readonly #open = new IdIndex<Exchange>();
  readonly #functions = new FunctionTable();
  readonly #http2: Http2DataServer;
  /** `trust` and `connections.bodyIdleTimeoutMs`, as requests read them; replaced on reload. */
  readonly #clientPolicy: LiveClientPolicy;
  /** `listenAdmin`: the data listener is the caller's. */
  #dataListenerOwnedByCaller = false;
  #classifier: Classifier;
  #handler: RequestHandler;
  #sequence = 0;
  /** The last arrival, or the start of the drain if later: the quiet period counts from here. */
  #quietSinceMs = -Infinity;
  /** Pools that came from the configuration (discovery may add others). */
  #configuredPools = new Set<string>();
  #drainDone: (() => void) | undefined = undefined;
  #drainTimer: NodeJS.Timeout | undefined = undefined;
  #drainPromise: Promise<void> | undefined = undefined;
  #closed = false;

  constructor(options: ShortlineOptions) {
    const config = options.config;
    this.#options = options;
    this.#config = config;
    this.#clock = options.clock ?? (() => performance.now());
    this.logger = options.logger ?? createLogger(config.logging.level);
    this.registry = options.registry ?? new Registry();
    if (options.processMetrics !== false) collectDefaultMetrics({ register: this.registry });
    this.scheduler = new Scheduler<Exchange, Upstream>({
      policy: policySpec(config.scheduler),
      predictor: config.predictor,
      maxQueued: config.scheduler.maxQueued,
      maxInFlight: config.scheduler.maxInFlight,
    });
    this.backends = new BackendRegistry({
      scheduler: this.scheduler,
      logger: this.logger,
      onRestored: () => this.#driver.pump(),
      ...(options.ejectionMs === undefined ? {} : { ejectionMs: options.ejectionMs }),
    });
    this.#driver = new QueueDriver({ scheduler: this.scheduler, backends: this.backends, clock: this.#clock });
    this.#metrics = new ProxyMetrics(this.registry);
    registerSchedulerGauges({
      registry: this.registry,
      snapshot: () => this.scheduler.snapshot(this.#clock()),
      upgrades: () => this.#upgrades.active,
      draining: () => this.#settings.draining,
    });
    this.#settings = {
      retryAfterSeconds: config.limits.retryAfterSeconds,
      responseStartMs: config.timeouts.responseStartMs,
      idleMs: config.timeouts.idleMs,
      draining: false,
      upstreamHeaders: flatHeaders(options.upstreamHeaders),
    };
    this.#context = {
      clock: this.#clock,
      driver: this.#driver,
      metrics: this.#metrics,
      logger: this.logger,
      settings: this.#settings,
      lifecycle: this.#lifecycle,
      finished: (exchange) => this.#finished(exchange),
    };
    this.#classifier = this.#classifierFor(config);
    this.#clientPolicy = new LiveClientPolicy(config);
    this.#upgrades = new UpgradeRelay({
      classifier: () => this.#classifier,
      upstreamFor: (name) => {
        const pool = this.#functions.get(name)?.pool;
        return pool === undefined ? undefined : this.backends.leastBusy(pool)?.target;
      },
      logger: this.logger,
    });
    this.#configure(config);
    this.#handler = this.#buildHandler();
    this.server = createDataServer(
      config,
      this.#clientPolicy,
      (req, res) => this.handle(req, res),
      (reason) => this.#metrics.connectionRefused(reason),
    );
    this.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.handleUpgrade(req, socket, head));
    this.#http2 = createHttp2DataServer((req, res) => this.handle(req, res), this.#clientPolicy);
    this.http2Server = this.#http2.server;
    const ready = options.ready ?? (() => true);
    this.adminServer = createAdminServer({
      registry: this.registry,
      ready: () => (this.server.listening || this.#dataListenerOwnedByCaller) && !this.#settings.draining && ready(),
      debug: () => this.debugSnapshot(),
    });
  }

  get config(): ShortlineConfig {
    return this.#config;
  }

  get draining(): boolean {
    return this.#settings.draining;
  }

  async listen(): Promise<ListeningPorts> {
    const port = await listenOn(this.server, this.#config.listen);
    const adminPort = await listenOn(this.adminServer, this.#config.admin);
    return { port, adminPort };
  }

  async listenAdmin(): Promise<number> {
    this.#dataListenerOwnedByCaller = true;
    return listenOn(this.adminServer, this.#config.admin);
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    const now = this.#clock();
    const exchange = new Exchange(++this.#sequence, req, res, this.#context, now);
    this.#open.set(exchange.id, exchange);
    this.#quietSinceMs = now;
    if (this.#settings.draining) res.shouldKeepAlive = false;
    try {
      this.#handler(exchange);
    } catch (error) {
      exchange.abandon('internal-error', error instanceof Error ? error : new Error(String(error)));
    }
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.#upgrades.handle(req, socket, head);
  }

  applyConfig(config: ShortlineConfig): void {
    try {
      this.#configure(config);
    } catch (error) {
      this.reportInvalidConfig(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    this.#handler = this.#buildHandler();
    this.#clientPolicy.apply(config);
    applyConnections(this.server, config);
    this.#metrics.configReloaded('ok');
    this.logger.info({ functions: config.functions.length, pools: config.pools.length, policy: config.scheduler.policy }, 'configuration applied');
    this.#driver.pump();
  }

  reportInvalidConfig(error: Error): void {
    this.#metrics.configReloaded('invalid');
    this.logger.error({ err: error }, 'configuration refused; the previous one stays in force');
  }

  reschedule(): void {
    this.#driver.pump();
  }

  upsertPool(name: string, loadBalancing: LoadBalancing): void {
    this.scheduler.upsertPool({ name, loadBalancing });
  }

  removePool(name: string): void {
    void this.backends.removePool(name).catch((error: unknown) => {
      this.logger.error({ err: error, pool: name }, 'closing a removed pool failed');
    });
    this.scheduler.removePool(name);
  }

  upsertFunction(fn: RuntimeFunction): void {
    const options = {
      name: fn.name,
      pool: fn.pool,
      expectedDurationMs: fn.expectedDurationMs,
      maxQueued: fn.maxQueued ?? 0,
      maxQueueWaitMs: fn.maxQueueWaitMs ?? 0,
    };
    this.#functions.checkRuntime(fn.name);
    this.scheduler.upsertFunction(options);
    this.#functions.upsertRuntime({ name: fn.name, pool: fn.pool, timeoutMs: fn.timeoutMs, metrics: this.#metrics.forFunction(fn.name) });
  }

  removeFunction(name: string): void {
    if (!this.#functions.removeRuntime(name)) return;
    this.#refuseRemoved(this.scheduler.removeFunction(name, this.#clock()));
  }

  observe(observer: ExchangeObserver): () => void {
    this.#lifecycle.observers.push(observer);
    this.#handler = this.#buildHandler();
    return () => {
      const index = this.#lifecycle.observers.indexOf(observer);
      if (index === -1) return;
      this.#lifecycle.observers.splice(index, 1);
      this.#handler = this.#buildHandler();
    };
  }

  debugSnapshot(): DebugSnapshot {
    return {
      ...this.scheduler.snapshot(this.#clock()),
      draining: this.#settings.draining,
      openRequests: this.#open.size,
      upgrades: this.#upgrades.active,
      backendDetails: this.backends.list(),
    };
  }

  drain(): Promise<void> {
    this.#drainPromise ??= this.#drain();
    return this.#drainPromise;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#settings.draining = true;
    if (this.#drainTimer !== undefined) clearTimeout(this.#drainTimer);
    for (const exchange of [...this.#open.values()]) exchange.abandon('shutting-down');
    this.#driver.close();
    this.#upgrades.close();
    this.server.closeAllConnections();
    this.#http2.destroySessions();
    this.adminServer.closeAllConnections();
    await Promise.all([closeServer(this.server), closeServer(this.adminServer), this.backends.destroy()]);
    this.#drainDone?.();
  }

  async #drain(): Promise<void> {
    this.#settings.draining = true;
    this.#quietSinceMs = this.#clock();
    this.logger.info({ open: this.#open.size, waiting: this.scheduler.waiting, inFlight: this.scheduler.inFlight }, 'draining');
    await new Promise<void>((resolve) => {
      this.#drainDone = resolve;
      this.#checkDrained();
    });
    if (this.#closed) return;
    this.#closed = true;
    this.#driver.close();
    this.#upgrades.close();
    // A fed server does not listen, so close() would not close its idle keep-alive connections.
    if (this.#dataListenerOwnedByCaller) this.server.closeIdleConnections();
    await Promise.all([closeServer(this.server), this.#http2.closeSessions()]);
    await Promise.all([closeServer(this.adminServer), this.backends.destroy()]);
    this.logger.info('drained');
  }

  /** Drained once every accepted request is answered and none arrived for the quiet period. */
  #checkDrained(): void {
    if (this.#drainDone === undefined || this.#open.size > 0) return;
    const quietLeft = this.#quietSinceMs + this.#config.drain.quietPeriodMs - this.#clock();
    if (quietLeft > 0) {
      if (this.#drainTimer === undefined) {
        this.#drainTimer = setTimeout(() => {
          this.#drainTimer = undefined;
          this.#checkDrained();
        }, Math.ceil(quietLeft));
      }
      return;
    }
    const done = this.#drainDone;
    this.#drainDone = undefined;
    done();
  }

  #finished(exchange: Exchange): void {
    this.#open.delete(exchange.id);
    if (exchange.observed) this.#lifecycle.finished(exchange);
    if (this.#drainDone !== undefined) this.#checkDrained();
  }

  #refuseRemoved(expired: readonly Expired<Exchange>[]): void {
    for (const { invocation, reason } of expired) invocation.refuse(reason);
  }

  #classifierFor(config: ShortlineConfig): Classifier {
    return (
      this.#options.classifier ??
      createClassifier(config.functions, config.defaultFunction, { maxCloudEventBytes: config.limits.maxCloudEventBytes })
    );
  }

  #buildHandler(): RequestHandler {
    return buildRequestPath({
      admission: createAdmission({ functions: () => this.#functions.all, driver: this.#driver }),
      classifier: this.#classifier,
      layers: this.#options.layers ?? [],
      lifecycle: this.#lifecycle,
      forwardedHeaders: this.#options.forwardedHeaders ?? true,
    });
  }

  /**
   * Brings the scheduler, the backends and the request path in line with `config`. What is queued
   * stays queued, except requests of a function the configuration no longer has (answered 503). A
   * validated configuration throws here only if it names a run-time function (FunctionNameTakenError),
   * and that is checked before anything changes; so is the policy, the first thing built.
   */
  #configure(config: ShortlineConfig): void {
    const scheduler = this.scheduler;
    const now = this.#clock();
    this.#functions.checkConfigured(config.functions.map((fn) => fn.name));
    const spec = policySpec(config.scheduler);
    const policyChanged = !samePolicy(scheduler.policy, spec);
    const previous = this.#config;
    if (config.listen.port !== previous.listen.port || config.listen.host !== previous.listen.host) {
      this.logger.warn('listen address changes take effect only after a restart');
    }
    if (policyChanged) scheduler.setPolicy(spec);
    scheduler.setLimits({ maxQueued: config.scheduler.maxQueued, maxInFlight: config.scheduler.maxInFlight });
    scheduler.predictor.configure(config.predictor);

    const pools = new Set(config.pools.map((pool) => pool.name));
    for (const pool of config.pools) {
      scheduler.upsertPool({ name: pool.name, loadBalancing: pool.loadBalancing });
      void this.backends.syncPool(pool.name, pool.backends, pool.concurrency).catch((error: unknown) => {
        this.logger.error({ err: error, pool: pool.name }, 'closing a removed backend failed');
      });
    }
    const functions = new Map<string, FunctionRuntime>();
    for (const fn of config.functions) {
      scheduler.upsertFunction(functionOptions(fn));
      functions.set(fn.name, { name: fn.name, pool: fn.pool, timeoutMs: fn.timeoutMs, metrics: this.#metrics.forFunction(fn.name) });
    }
    for (const name of this.#functions.replaceConfigured(functions)) this.#refuseRemoved(scheduler.removeFunction(name, now));
    for (const name of this.#configuredPools) if (!pools.has(name)) this.removePool(name);
    this.#configuredPools = pools;
    this.#settings.retryAfterSeconds = config.limits.retryAfterSeconds;
    this.#settings.responseStartMs = config.timeouts.responseStartMs;
    this.#settings.idleMs = config.timeouts.idleMs;
    this.logger.level = config.logging.level;
    this.#classifier = this.#classifierFor(config);
    this.#config = config;
  }
}
