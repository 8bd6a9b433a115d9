import { createGateway, loadKubeConfig, readAutoscalerEndpoint, readGatewayIdentity } from '@shortline/knative/gateway';
import type { Environment } from '@shortline/knative/sidecar';
import type { Shortline, ShortlineConfig } from '@shortline/proxy';
import { listenOrClose, servingOf, type Serving } from '../serving.js';

/** Activator-style: revisions and pods discovered through the Kubernetes API, the ConfigMap watched. */
export async function serveGateway(config: ShortlineConfig, env: Environment, _configFile: unknown, logger: Shortline['logger']): Promise<Serving> {
  const autoscaler = readAutoscalerEndpoint(env);
  const gateway = createGateway({
    config,
    logger,
    kubeConfig: loadKubeConfig(env),
    identity: readGatewayIdentity(env),
    ...(autoscaler === undefined ? {} : { autoscaler }),
  });
  const { port, adminPort } = await listenOrClose(gateway.listen(), () => gateway.close());
  return servingOf(gateway, { port, admin: adminPort });
}
