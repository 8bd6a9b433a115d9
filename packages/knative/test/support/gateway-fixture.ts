import { createGateway, type Gateway, type GatewayOptions } from '@shortline/knative';
import { defaultConfig, ManualTimers, type ConfigOverrides, type ListeningPorts } from '@shortline/proxy';
import type { FakeKubeApi } from './fake-kube-api.js';
import { LifecycleCounts } from './lifecycle-counts.js';
import { capturedLogger } from './captured-logger.js';
import type { LogLines } from './log-lines.js';

export const GATEWAY_IDENTITY = { namespace: 'shortline', service: 'shortline-gateway', podIp: '10.9.0.2' } as const;

/** What a test's gateway runs with: 127.0.0.1, free ports, logs at info (the tests await some). */
const GATEWAY_TEST_CONFIG: ConfigOverrides = {
  mode: 'gateway',
  listen: { host: '127.0.0.1', port: 0 },
  admin: { host: '127.0.0.1', port: 0 },
  logging: { level: 'info' },
};

/** Retries of the Kubernetes API wait this long first (then twice as long, and so on). */
export const GATEWAY_RETRY_DELAY_MS = 10;

export interface RunningGateway {
  readonly gateway: Gateway;
  readonly ports: ListeningPorts;
  /** The gateway's time: no timeout, drain, report or retry happens until the test moves it. */
  readonly timers: ManualTimers;
  /** What it logs (it says when a pod joins or leaves, a configuration applies, a retry is due). */
  readonly logs: LogLines;
  /** Its proxy's request lifecycle events, counted. */
  readonly lifecycle: LifecycleCounts;
}

/**
 * A gateway as `shortline serve` runs it in gateway mode, discovering through the real client-node
 * from the fake API server, on manual time; resolved once discovery has listed the cluster.
 */
export async function startGateway(
  api: FakeKubeApi,
  config: ConfigOverrides = {},
  options: Pick<GatewayOptions, 'autoscaler'> = {},
): Promise<RunningGateway> {
  const timers = new ManualTimers();
  const { logger, logs } = capturedLogger();
  const gateway = createGateway({
    ...options,
    config: defaultConfig({ ...GATEWAY_TEST_CONFIG, ...config }),
    kubeConfig: api.kubeConfig(),
    identity: GATEWAY_IDENTITY,
    logger,
    processMetrics: false,
    discovery: { probeIntervalMs: 5, probeTimeoutMs: 500, retryDelayMs: GATEWAY_RETRY_DELAY_MS },
    timers,
  });
  const lifecycle = new LifecycleCounts(gateway.shortline);
  try {
    const ports = await gateway.listen();
    await gateway.synced();
    return { gateway, ports, timers, logs, lifecycle };
  } catch (error) {
    await gateway.close();
    throw error;
  }
}
