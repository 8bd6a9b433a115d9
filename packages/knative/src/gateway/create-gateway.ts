import type { KubeConfig, V1ConfigMap } from '@kubernetes/client-node';
import {
  createDrainer,
  createRequestTracing,
  createShortline,
  type Drainer,
  parseConfig,
  REAL_TIMERS,
  sameConfig,
  type ListeningPorts,
  type RequestTracing,
  type Shortline,
  type ShortlineConfig,
  type ShortlineOptions,
  type Timers,
} from '@shortline/proxy';
import { drainInOrder } from '../drain/drain-in-order.js';
import { editGatewayRequestHeaders, GATEWAY_UPSTREAM_HEADERS } from '../headers/knative-request-headers.js';
import { CONFIG_MAP_NAME } from '../kube/config-map-names.js';
import { watchConfigMap } from '../kube/config-map-watch.js';
import type { WatchedCollection } from '../kube/watched-collection.js';
import type { DataListener } from '../listener/data-listener.js';
import { listenDualProtocol } from '../listener/listen-dual-protocol.js';
import { createKnativeProbeResponder } from '../probes/knative-probe-responder.js';
import { knativeLayer } from '../probes/knative-layer.js';
import { applyTopologyChanges } from './apply-topology-changes.js';
import type { AutoscalerEndpoint } from './autoscaler-endpoint.js';
import { AutoscalerReporter } from './autoscaler-reporter.js';
import { createGatewayDiscovery, type GatewayDiscovery, type GatewayDiscoveryOptions } from './gateway-discovery.js';
import type { GatewayIdentity } from './gateway-identity.js';
import { createRevisionClassifier } from './revision-classifier.js';

export interface GatewayOptions {
  /** The configuration file's: policy, predictor, limits, drain, listeners. Revisions are discovered. */
  readonly config: ShortlineConfig;
  readonly kubeConfig: KubeConfig;
  readonly identity: GatewayIdentity;
  /** The ConfigMap watched through the API, in the gateway's namespace. Default `config-shortline`. */
  readonly configMap?: string;
  readonly logger?: ShortlineOptions['logger'];
  readonly registry?: ShortlineOptions['registry'];
  readonly processMetrics?: boolean;
  /** Discovery's pacing: pod probes and API retries. */
  readonly discovery?: Pick<GatewayDiscoveryOptions, 'probeTimeoutMs' | 'probeIntervalMs' | 'retryDelayMs'>;
  /**
   * Knative's autoscaler, told the demand held for each revision as the activator tells it, which
   * wakes revisions scaled to zero. Without it the gateway only routes to pods that exist.
   */
  readonly autoscaler?: AutoscalerEndpoint & { readonly reportingPeriodMs?: number; readonly retryDelayMs?: number };
  /** What every part of the gateway reads time from and waits on (ManualTimers in tests). Default: the process's. */
  readonly timers?: Timers;
}

/** Shortline in front of Knative revisions, where the activator sits. */
export interface Gateway {
  readonly shortline: Shortline;
  readonly discovery: GatewayDiscovery;
  /** Reports demand to Knative's autoscaler, when one is configured. */
  readonly autoscaler: AutoscalerReporter | undefined;
  /** The longest `drain()` may take: the quiet period, then `drain.timeoutMs` for what is held. */
  readonly drainBoundMs: number;
  /** Binds the data port (HTTP/1.1 and h2c) and the admin port, then starts discovery and the ConfigMap watch. */
  listen(): Promise<ListeningPorts>;
  /** Resolves once discovery has listed the cluster (`/readyz` passes from then on). */
  synced(): Promise<void>;
  /** A configuration from the mounted file; the same as the last one applied (from either source) does nothing. */
  applyConfig(config: ShortlineConfig): void;
  /** Readiness 503 at once; requests served until `drain.quietPeriodMs` passes without one; then the held ones finish. */
  drain(): Promise<void>;
  close(): Promise<void>;
}

/** Revisions are the functions and pools; whatever the file lists of its own is not used here. */
function withoutStaticTopology(config: ShortlineConfig): ShortlineConfig {
  return { ...config, mode: 'gateway', pools: [], functions: [], defaultFunction: undefined };
}

class KnativeGateway implements Gateway {
  readonly shortline: Shortline;
  readonly discovery: GatewayDiscovery;
  readonly autoscaler: AutoscalerReporter | undefined;
  /** Made when the drain starts, with the quiet period in force then. */
  #drainer: Drainer | undefined = undefined;
  readonly #configMap: WatchedCollection<V1ConfigMap>;
  #lastConfig: ShortlineConfig;
  #data: DataListener | undefined = undefined;
  #isSynced = false;
  #synced: Promise<void> | undefined = undefined;
  #drained: Promise<void> | undefined = undefined;
  readonly #tracing: RequestTracing;

  constructor(options: GatewayOptions) {
    this.#lastConfig = options.config;
    const timers = options.timers ?? REAL_TIMERS;
    this.discovery = createGatewayDiscovery({
      kubeConfig: options.kubeConfig,
      gateway: options.identity,
      ...options.discovery,
      timers,
      onChange: (changes) => applyTopologyChanges(this.shortline, changes),
      onError: (what, error) => this.shortline.logger.warn({ err: error, what }, 'Kubernetes API: list/watch failed; retrying, routing on the last known state'),
    });
    const answerProbe = createKnativeProbeResponder({
      ready: () => Promise.resolve(this.#isSynced),
      draining: () => this.#drainer !== undefined || this.shortline.draining,
    });
    this.shortline = createShortline({
      config: this.#configFor(options.config),
      classifier: createRevisionClassifier(this.discovery.resolve),
      upstreamHeaders: GATEWAY_UPSTREAM_HEADERS,
      layers: [knativeLayer(answerProbe, editGatewayRequestHeaders)],
      ready: () => this.#isSynced && this.#drainer === undefined,
      timers,
      ...(options.logger === undefined ? {} : { logger: options.logger }),
      ...(options.registry === undefined ? {} : { registry: options.registry }),
      ...(options.processMetrics === undefined ? {} : { processMetrics: options.processMetrics }),
    });
    this.autoscaler =
      options.autoscaler === undefined
        ? undefined
        : new AutoscalerReporter({
            ...options.autoscaler,
            logger: this.shortline.logger,
            registry: this.shortline.registry,
            timers,
          });
    if (this.autoscaler !== undefined) this.shortline.observe(this.autoscaler.observer);
    this.#tracing = createRequestTracing({
      observe: (observer) => this.shortline.observe(observer),
      logger: this.shortline.logger,
      clock: () => this.shortline.timers.now(),
      resource: { 'k8s.namespace.name': options.identity.namespace },
    });
    const configMapName = options.configMap ?? CONFIG_MAP_NAME;
    this.#configMap = watchConfigMap({
      kubeConfig: options.kubeConfig,
      namespace: options.identity.namespace,
      name: configMapName,
      parse: parseConfig,
      onConfig: (config) => this.applyConfig(config),
      onInvalid: (error) => this.shortline.reportInvalidConfig(error),
      onError: (error) => this.shortline.logger.warn({ err: error, configMap: configMapName }, 'Kubernetes API: cannot watch the ConfigMap; retrying'),
      timers,
      ...(options.discovery?.retryDelayMs === undefined ? {} : { retryDelayMs: options.discovery.retryDelayMs }),
    });
    this.#warnIfStaticTopology(options.config);
  }

  get drainBoundMs(): number {
    return this.#lastConfig.drain.quietPeriodMs + this.#lastConfig.drain.timeoutMs;
  }

  async listen(): Promise<ListeningPorts> {
    const adminPort = await this.shortline.listenAdmin();
    this.#data = await listenDualProtocol(this.shortline, this.shortline.config.listen);
    this.#synced = this.discovery.start().then(() => {
      this.#isSynced = true;
      this.shortline.logger.info({ endpoints: this.discovery.endpointSource, revisions: this.discovery.topology().revisions.size }, 'discovery synced');
    });
    void this.#configMap.start();
    this.autoscaler?.start();
    void this.#tracing.apply(this.shortline.config.tracing);
    return { port: this.#data.port, adminPort };
  }

  synced(): Promise<void> {
    return this.#synced ?? Promise.reject(new Error('the gateway is not listening: call listen() first'));
  }

  applyConfig(config: ShortlineConfig): void {
    if (sameConfig(config, this.#lastConfig)) return;
    this.#lastConfig = config;
    this.#warnIfStaticTopology(config);
    this.shortline.applyConfig(this.#configFor(config));
    void this.#tracing.apply(this.shortline.config.tracing);
  }

  drain(): Promise<void> {
    this.#drained ??= this.#drain();
    return this.#drained;
  }

  async close(): Promise<void> {
    this.#stopWatching();
    this.autoscaler?.stop();
    // Ends a quiet period still running, so that its timer does not keep the process alive.
    this.#drainer?.reset();
    const stopped = this.#data?.close();
    await this.shortline.close();
    await stopped;
    await this.#tracing.close();
  }

  async #drain(): Promise<void> {
    const quietPeriodMs = this.#lastConfig.drain.quietPeriodMs;
    const drainer = createDrainer({ quietPeriodMs, timers: this.shortline.timers });
    this.#drainer = drainer;
    this.shortline.observe({ arrived: () => drainer.requestArrived() });
    this.shortline.logger.info({ quietPeriodMs }, 'draining: readiness answers 503; serving until no request came for the quiet period');
    await drainInOrder(drainer, this.#data === undefined ? [] : [this.#data], this.shortline);
    this.#stopWatching();
    await this.#tracing.close();
  }

  #stopWatching(): void {
    this.discovery.stop();
    this.#configMap.stop();
  }

  #warnIfStaticTopology(config: ShortlineConfig): void {
    if (config.pools.length === 0 && config.functions.length === 0) return;
    this.shortline.logger.warn('gateway mode discovers revisions: the pools and functions of the configuration are not used');
  }

  /** The drainer owns the quiet period, so the proxy's own drain waits only for what is open. */
  #configFor(config: ShortlineConfig): ShortlineConfig {
    const gateway = withoutStaticTopology(config);
    return { ...gateway, drain: { ...gateway.drain, quietPeriodMs: 0 } };
  }
}

export function createGateway(options: GatewayOptions): Gateway {
  return new KnativeGateway(options);
}
