import {
  createGateway,
  createSidecar,
  loadKubeConfig,
  parseKnativeEnv,
  readAutoscalerEndpoint,
  readGatewayIdentity,
  readSidecarConfigSource,
  readSidecarListeners,
  type Environment,
} from '@shortline/knative';
import { createRequestTracing, createShortline, type Shortline, type ShortlineConfig } from '@shortline/proxy';
import type { Stoppable } from './shutdown.js';

export type ServingMode = ShortlineConfig['mode'];

/** The proxy running in one of its modes, as `serve` drives it. */
export interface Serving extends Stoppable {
  readonly logger: Shortline['logger'];
  /** The ports it listens on, by name, for the start-up log line. */
  readonly ports: Readonly<Record<string, number>>;
  /** The longest a drain may take under the configuration in force; then the proxy closes anyway. */
  readonly drainBoundMs: number;
  /** A new configuration from the watched file. */
  applyConfig(config: ShortlineConfig): void;
  reportInvalidConfig(error: Error): void;
}

/** Static pools from the configuration file; spans per request when its `tracing` says so. */
async function serveStandalone(config: ShortlineConfig, logger: Shortline['logger']): Promise<Serving> {
  const shortline = createShortline({ config, logger });
  const tracing = createRequestTracing({ observe: (observer) => shortline.observe(observer), logger: shortline.logger, clock: () => shortline.timers.now() });
  const { port, adminPort } = await listenOrClose(shortline.listen(), () => shortline.close());
  void tracing.apply(shortline.config.tracing);
  return {
    logger: shortline.logger,
    ports: { port, admin: adminPort },
    get drainBoundMs() {
      return shortline.config.drain.timeoutMs;
    },
    applyConfig: (next) => {
      shortline.applyConfig(next);
      void tracing.apply(shortline.config.tracing);
    },
    reportInvalidConfig: (error) => shortline.reportInvalidConfig(error),
    drain: () => shortline.drain().then(() => tracing.close()),
    close: () => shortline.close().then(() => tracing.close()),
  };
}

/**
 * A drop-in for Knative's queue-proxy: the env contract, and for what Knative knows nothing of the
 * file, or without one the cluster's `config-shortline` ConfigMap, followed once the listeners are up.
 */
async function serveSidecar(config: ShortlineConfig, env: Environment, configFile: string | undefined, logger: Shortline['logger']): Promise<Serving> {
  const knative = parseKnativeEnv(env);
  const configSource = configFile === undefined ? readSidecarConfigSource(env, knative) : undefined;
  const sidecar = createSidecar({
    env: knative,
    config,
    listeners: readSidecarListeners(env),
    logger,
    ...(configSource === undefined ? {} : { configSource }),
  });
  const { servingTls, ...ports } = await listenOrClose(sidecar.listen(), () => sidecar.close());
  return {
    logger: sidecar.shortline.logger,
    ports: servingTls === undefined ? ports : { ...ports, servingTls },
    get drainBoundMs() {
      return sidecar.drainBoundMs;
    },
    applyConfig: (next) => sidecar.applyConfig(next),
    reportInvalidConfig: (error) => sidecar.shortline.reportInvalidConfig(error),
    drain: () => sidecar.drain(),
    close: () => sidecar.close(),
  };
}

/** Activator-style: revisions and pods discovered through the Kubernetes API, the ConfigMap watched. */
async function serveGateway(config: ShortlineConfig, env: Environment, logger: Shortline['logger']): Promise<Serving> {
  const autoscaler = readAutoscalerEndpoint(env);
  const gateway = createGateway({
    config,
    logger,
    kubeConfig: loadKubeConfig(env),
    identity: readGatewayIdentity(env),
    ...(autoscaler === undefined ? {} : { autoscaler }),
  });
  const { port, adminPort } = await listenOrClose(gateway.listen(), () => gateway.close());
  return {
    logger: gateway.shortline.logger,
    ports: { port, admin: adminPort },
    get drainBoundMs() {
      return gateway.drainBoundMs;
    },
    applyConfig: (next) => gateway.applyConfig(next),
    reportInvalidConfig: (error) => gateway.shortline.reportInvalidConfig(error),
    drain: () => gateway.drain(),
    close: () => gateway.close(),
  };
}

/** A listener that cannot bind leaves nothing open behind it. */
async function listenOrClose<T>(listening: Promise<T>, close: () => Promise<void>): Promise<T> {
  try {
    return await listening;
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * Starts the proxy in `mode` on `config`, read from `configFile` if one was given, logging to
 * `logger`; throws KnativeEnvError for a bad env contract, or the listener's error.
 */
export function startServing(
  mode: ServingMode,
  config: ShortlineConfig,
  env: Environment,
  configFile: string | undefined,
  logger: Shortline['logger'],
): Promise<Serving> {
  switch (mode) {
    case 'standalone':
      return serveStandalone(config, logger);
    case 'sidecar':
      return serveSidecar(config, env, configFile, logger);
    case 'gateway':
      return serveGateway(config, env, logger);
  }
}
