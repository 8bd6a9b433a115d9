import { createGateway, type Gateway, type GatewayOptions } from '@shortline/knative';
import { createLogger, defaultConfig, type ConfigOverrides, type ListeningPorts } from '@shortline/proxy';
import type { FakeKubeApi } from './fake-kube-api.js';

export const GATEWAY_IDENTITY = { namespace: 'shortline', service: 'shortline-gateway', podIp: '10.9.0.2' } as const;

/** What a test's ConfigMap and gateway share: 127.0.0.1, free ports, quiet logs. */
export const GATEWAY_TEST_CONFIG: ConfigOverrides = {
  mode: 'gateway',
  listen: { host: '127.0.0.1', port: 0 },
  admin: { host: '127.0.0.1', port: 0 },
  logging: { level: 'silent' },
};

export interface RunningGateway {
  readonly gateway: Gateway;
  readonly ports: ListeningPorts;
}

/**
 * A gateway as `shortline serve` runs it in gateway mode, discovering through the real client-node
 * from the fake API server, paced for tests; resolved once discovery has listed the cluster.
 */
export async function startGateway(
  api: FakeKubeApi,
  config: ConfigOverrides = {},
  options: Pick<GatewayOptions, 'autoscaler'> = {},
): Promise<RunningGateway> {
  const gateway = createGateway({
    ...options,
    config: defaultConfig({ ...GATEWAY_TEST_CONFIG, ...config }),
    kubeConfig: api.kubeConfig(),
    identity: GATEWAY_IDENTITY,
    logger: createLogger('silent'),
    processMetrics: false,
    discovery: { probeIntervalMs: 5, probeTimeoutMs: 500, retryDelayMs: 10 },
  });
  try {
    const ports = await gateway.listen();
    await gateway.synced();
    return { gateway, ports };
  } catch (error) {
    await gateway.close();
    throw error;
  }
}
