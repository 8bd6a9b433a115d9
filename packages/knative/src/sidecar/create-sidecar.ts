import { existsSync } from 'node:fs';
import type http from 'node:http';
import { join } from 'node:path';
import {
  closeServer as closeListener,
  createDrainer,
  createRequestTracing,
  createShortline,
  listenOn,
  REAL_TIMERS,
  type Drainer,
  type RequestTracing,
  type Shortline,
  type ShortlineConfig,
  type ShortlineOptions,
  type Timers,
} from '@shortline/proxy';
import { startSidecarConfigSource, type ConfigSource, type SidecarConfigSourceSettings } from '../config-source/sidecar-config-source.js';
import { createDrainAdminServer } from '../drain/drain-admin-server.js';
import { drainInOrder } from '../drain/drain-in-order.js';
import { applyKnativeEnv } from '../env/apply-knative-env.js';
import type { KnativeEnv } from '../env/knative-env.js';
import { editSidecarRequestHeaders } from '../headers/knative-request-headers.js';
import type { DataListener } from '../listener/data-listener.js';
import { listenDualProtocol } from '../listener/listen-dual-protocol.js';
import { listenTls, type TlsFiles } from '../listener/listen-tls.js';
import { createKnativeProbeResponder } from '../probes/knative-probe-responder.js';
import { knativeLayer } from '../probes/knative-layer.js';
import { createReadinessProber } from '../readiness/readiness-prober.js';
import { createAutoscalerStats, type AutoscalerStats } from '../stats/autoscaler-stats.js';
import { createAutoscalerStatsObserver } from '../stats/autoscaler-stats-observer.js';
import { createStatMetrics } from '../stats/stat-metrics.js';
import { createStatsServer } from '../stats/stats-server.js';
import { KNATIVE_SIDECAR_LISTENERS, type SidecarListeners } from './sidecar-listeners.js';

export interface SidecarOptions {
  /** Knative's env contract (`parseKnativeEnv(process.env)`). */
  readonly env: KnativeEnv;
  /** The configuration file's, or the defaults: request classes, policy, predictor, limits. The env wins. */
  readonly config: ShortlineConfig;
  /** Default: Knative's ports, on all interfaces. */
  readonly listeners?: SidecarListeners;
  /** Where to follow the configuration once the listeners are up (`readSidecarConfigSource`); none: `config` only. */
  readonly configSource?: SidecarConfigSourceSettings;
  readonly logger?: ShortlineOptions['logger'];
  readonly registry?: ShortlineOptions['registry'];
  /** Default: `metrics.process` is `on`. */
  readonly processMetrics?: boolean;
  /** What every part of the sidecar reads time from and waits on (ManualTimers in tests). Default: the process's. */
  readonly timers?: Timers;
}

export interface SidecarPorts {
  readonly serving: number;
  /** QUEUE_SERVING_TLS_PORT's, when the certificate is mounted. */
  readonly servingTls: number | undefined;
  readonly admin: number;
  readonly stats: number;
  readonly metrics: number;
}

/** Shortline as a drop-in for Knative's queue-proxy. */
export interface Sidecar {
  readonly shortline: Shortline;
  /** What the autoscaler scrapes from the stats port. */
  readonly autoscalerStats: AutoscalerStats;
  /** The longest `drain()` may take: the quiet period, then `drain.timeoutMs` for what is held. */
  readonly drainBoundMs: number;
  /** Binds the serving port (HTTP/1.1 and h2c), `/wait-for-drain`, the stats and the metrics ports. */
  listen(): Promise<SidecarPorts>;
  /** A reloaded configuration file; the env contract is applied to it again. */
  applyConfig(config: ShortlineConfig): void;
  /**
   * What SIGTERM starts: probes answer 503 at once; requests are served until the quiet period passes
   * without one; then the serving port closes and the in-flight work finishes.
   */
  drain(): Promise<void>;
  /** Stops now (requests still open get 503 or their connection cut). */
  close(): Promise<void>;
}

function closeServer(server: http.Server): Promise<void> {
  server.closeAllConnections();
  return closeListener(server);
}

class KnativeSidecar implements Sidecar {
  readonly shortline: Shortline;
  readonly autoscalerStats: AutoscalerStats;
  readonly #env: KnativeEnv;
  readonly #listeners: SidecarListeners;
  readonly #drainer: Drainer;
  readonly #quietPeriodMs: number;
  readonly #statsServer: http.Server;
  readonly #drainAdminServer: http.Server;
  readonly #configSourceSettings: SidecarConfigSourceSettings | undefined;
  #configSource: ConfigSource | undefined = undefined;
  readonly #tracing: RequestTracing;
  /** The serving ports: cleartext, and TLS when the certificate is mounted. */
  #data: DataListener[] = [];
  #terminating = false;
  #drained: Promise<void> | undefined = undefined;

  constructor(options: SidecarOptions) {
    this.#env = options.env;
    this.#listeners = options.listeners ?? KNATIVE_SIDECAR_LISTENERS;
    this.#configSourceSettings = options.configSource;
    const env = options.env;
    const timers = options.timers ?? REAL_TIMERS;
    const knative = applyKnativeEnv(options.config, env);
    this.#quietPeriodMs = knative.drain.quietPeriodMs;
    this.#drainer = createDrainer({ quietPeriodMs: this.#quietPeriodMs, timers });
    const prober = createReadinessProber({
      probes: env.readinessProbes,
      timers,
      onNotReady: (reason) => this.shortline.logger.debug({ reason }, 'user container not ready'),
    });
    const answerProbe = createKnativeProbeResponder({
      ready: () => prober.probe(),
      draining: () => this.#drainer.draining || this.shortline.draining,
    });
    this.shortline = createShortline({
      config: this.#configFor(options.config),
      layers: [knativeLayer(answerProbe, editSidecarRequestHeaders)],
      ready: () => !this.#drainer.draining,
      timers,
      ...(options.logger === undefined ? {} : { logger: options.logger }),
      ...(options.registry === undefined ? {} : { registry: options.registry }),
      // `metrics.process: auto` is off here: see MetricsConfig.
      processMetrics: options.processMetrics ?? options.config.metrics.process === 'on',
    });
    this.autoscalerStats = createAutoscalerStats({ podName: env.pod, timers });
    this.shortline.observe(createAutoscalerStatsObserver({ stats: this.autoscalerStats.stats, clock: timers }));
    this.shortline.observe({ arrived: () => this.#drainer.requestArrived() });
    this.#tracing = createRequestTracing({
      observe: (observer) => this.shortline.observe(observer),
      logger: this.shortline.logger,
      clock: () => this.shortline.timers.now(),
      resource: { 'k8s.namespace.name': env.namespace, 'service.instance.id': env.pod, 'knative.revision': env.revision },
    });
    this.#statsServer = createStatsServer({
      current: () => this.autoscalerStats.current(),
      metrics: createStatMetrics({
        current: () => this.autoscalerStats.current(),
        namespace: env.namespace,
        configuration: env.configuration,
        revision: env.revision,
        pod: env.pod,
      }),
    });
    this.#drainAdminServer = createDrainAdminServer({ drainer: this.#drainer, terminating: () => this.#terminating, timers });
  }

  get drainBoundMs(): number {
    return this.#quietPeriodMs + this.shortline.config.drain.timeoutMs;
  }

  async listen(): Promise<SidecarPorts> {
    const host = this.#listeners.host;
    const metrics = await this.shortline.listenAdmin();
    const stats = await listenOn(this.#statsServer, { host, port: this.#listeners.stats });
    const admin = await listenOn(this.#drainAdminServer, { host, port: this.#listeners.admin });
    const serving = await listenDualProtocol(this.shortline, this.shortline.config.listen);
    this.#data.push(serving);
    const servingTls = await this.#listenTls();
    this.autoscalerStats.start();
    this.#startTracing();
    if (this.#configSourceSettings !== undefined) {
      this.#configSource = startSidecarConfigSource(this.#configSourceSettings, {
        onConfig: (config) => this.applyConfig(config),
        onInvalid: (error) => this.shortline.reportInvalidConfig(error),
        logger: this.shortline.logger,
        timers: this.shortline.timers,
      });
    }
    return { serving: serving.port, servingTls, admin, stats, metrics };
  }

  applyConfig(config: ShortlineConfig): void {
    this.shortline.applyConfig(this.#configFor(config));
    void this.#tracing.apply(this.shortline.config.tracing);
  }

  drain(): Promise<void> {
    this.#drained ??= this.#drain();
    return this.#drained;
  }

  async close(): Promise<void> {
    this.#terminating = true;
    this.#configSource?.stop();
    this.autoscalerStats.stop();
    // Ends a quiet period still running, so that its timer does not keep the process alive.
    this.#drainer.reset();
    const stopped = Promise.all(this.#data.map((listener) => listener.close()));
    await this.shortline.close();
    await stopped;
    await Promise.all([closeServer(this.#statsServer), closeServer(this.#drainAdminServer), this.#tracing.close()]);
  }

  async #drain(): Promise<void> {
    this.#terminating = true;
    this.#configSource?.stop();
    this.shortline.logger.info({ quietPeriodMs: this.#quietPeriodMs }, 'draining: probes answer 503; serving until no request came for the quiet period');
    await drainInOrder(this.#drainer, this.#data, this.shortline);
    this.autoscalerStats.stop();
    await Promise.all([closeServer(this.#statsServer), closeServer(this.#drainAdminServer), this.#tracing.close()]);
  }

  /** Once the listeners are up, so that loading the tracing SDK never delays them. */
  #startTracing(): void {
    const knative = this.#env.tracing;
    if (knative?.protocol === 'unsupported') {
      this.shortline.logger.warn({ protocol: knative.requested }, 'Knative asks for tracing over a protocol Shortline does not send (it sends http/protobuf and zipkin): no spans');
    }
    void this.#tracing.apply(this.shortline.config.tracing);
  }

  /**
   * Knative's TLS serving port, as its queue-proxy opens it: when QUEUE_SERVING_TLS_PORT is set and the
   * certificate and key are mounted. Either missing: cleartext only, and the log says why.
   */
  async #listenTls(): Promise<number | undefined> {
    const port = this.#env.servingTlsPort;
    if (port === undefined) return undefined;
    const directory = this.#listeners.certDirectory;
    const files: TlsFiles = { certFile: join(directory, 'tls.crt'), keyFile: join(directory, 'tls.key') };
    if (!existsSync(files.certFile) || !existsSync(files.keyFile)) {
      this.shortline.logger.info({ certDirectory: directory }, 'no serving certificate mounted: the TLS serving port stays closed');
      return undefined;
    }
    const listener = await listenTls(this.shortline, { host: this.#listeners.host, port }, files);
    this.#data.push(listener);
    return listener.port;
  }

  /**
   * The file's configuration under the env contract, bound where the listeners say. The drainer owns
   * the quiet period (it answers /wait-for-drain too), so the proxy's own drain waits only for the
   * requests still open.
   */
  #configFor(config: ShortlineConfig): ShortlineConfig {
    const knative = applyKnativeEnv(config, this.#env);
    const host = this.#listeners.host;
    return {
      ...knative,
      listen: { host, port: knative.listen.port },
      admin: { host, port: this.#listeners.metrics },
      drain: { ...knative.drain, quietPeriodMs: 0 },
    };
  }
}

export function createSidecar(options: SidecarOptions): Sidecar {
  return new KnativeSidecar(options);
}
