import { createSidecar, parseKnativeEnv, readSidecarListeners, type Environment } from '@shortline/knative/sidecar';
import type { ShortlineConfig } from '@shortline/proxy';
import { listenOrClose, servingOf, type Serving } from '../serving.js';

/** A drop-in for Knative's queue-proxy: the env contract, the file for what Knative knows nothing of. */
export async function serveSidecar(config: ShortlineConfig, env: Environment): Promise<Serving> {
  const sidecar = createSidecar({ env: parseKnativeEnv(env), config, listeners: readSidecarListeners(env) });
  const { servingTls, ...ports } = await listenOrClose(sidecar.listen(), () => sidecar.close());
  return servingOf(sidecar, servingTls === undefined ? ports : { ...ports, servingTls });
}
