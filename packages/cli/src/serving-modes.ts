import type { Environment } from '@shortline/knative/sidecar';
import type { Shortline, ShortlineConfig } from '@shortline/proxy';
import type { Serving } from './serving.js';

export type ServingMode = ShortlineConfig['mode'];

/** One mode's start: `config` read from `configFile` if one was given, logging to `logger`. */
export type ServeMode = (config: ShortlineConfig, env: Environment, configFile: string | undefined, logger: Shortline['logger']) => Promise<Serving>;

// Each mode loads on its own, so that a sidecar (started in every pod, on every scale from zero) never
// pays for the gateway's Kubernetes client, nor the gateway for what only a sidecar needs.
const MODES: Record<ServingMode, () => Promise<ServeMode>> = {
  standalone: async () => (await import('./modes/serve-standalone.js')).serveStandalone,
  sidecar: async () => (await import('./modes/serve-sidecar.js')).serveSidecar,
  gateway: async () => (await import('./modes/serve-gateway.js')).serveGateway,
};

/**
 * Starts the proxy in `mode` on `config`, read from `configFile` if one was given, logging to
 * `logger`; throws KnativeEnvError for a bad env contract, or the listener's error.
 */
export async function startServing(
  mode: ServingMode,
  config: ShortlineConfig,
  env: Environment,
  configFile: string | undefined,
  logger: Shortline['logger'],
): Promise<Serving> {
  const serveMode = await MODES[mode]();
  return serveMode(config, env, configFile, logger);
}
