import { createSidecar, parseKnativeEnv, readSidecarConfigSource, readSidecarListeners, type Environment } from '@shortline/knative/sidecar';
import type { Shortline, ShortlineConfig } from '@shortline/proxy';
import { listenOrClose, servingOf, type Serving } from '../serving.js';

/**
 * A drop-in for Knative's queue-proxy: the env contract, and for what Knative knows nothing of the
 * file, or without one the cluster's `config-shortline` ConfigMap, followed once the listeners are up.
 */
export async function serveSidecar(config: ShortlineConfig, env: Environment, configFile: string | undefined, logger: Shortline['logger']): Promise<Serving> {
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
  return servingOf(sidecar, servingTls === undefined ? ports : { ...ports, servingTls });
}
