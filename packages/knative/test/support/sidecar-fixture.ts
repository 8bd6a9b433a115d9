import { createSidecar, parseKnativeEnv, type KnativeEnv, type Sidecar, type SidecarPorts } from '@shortline/knative';
import { createLogger, defaultConfig, ManualTimers, type ConfigOverrides } from '@shortline/proxy';
import { LifecycleCounts } from './lifecycle-counts.js';
import { startUserContainer, type UserContainer } from './user-container.js';

/** The env Knative's reconciler gives a queue-proxy; tests override what they vary. */
export const KNATIVE_VARS: Readonly<Record<string, string>> = {
  SERVING_NAMESPACE: 'default',
  SERVING_SERVICE: 'hello',
  SERVING_CONFIGURATION: 'hello',
  SERVING_REVISION: 'hello-00001',
  SERVING_POD: 'hello-00001-deployment-7d9c-xk2lp',
  SERVING_POD_IP: '127.0.0.1',
  QUEUE_SERVING_PORT: '8012',
  CONTAINER_CONCURRENCY: '1',
  REVISION_TIMEOUT_SECONDS: '30',
};

/** The contract with the user container on `userPort`, serving on a free port. */
export function sidecarEnv(userPort: number, vars: Readonly<Record<string, string>> = {}): KnativeEnv {
  return { ...parseKnativeEnv({ ...KNATIVE_VARS, USER_PORT: String(userPort), ...vars }), servingPort: 0 };
}

export interface RunningSidecar {
  readonly sidecar: Sidecar;
  readonly ports: SidecarPorts;
  /** The sidecar's time: nothing times out, drains or closes a stats window until the test moves it. */
  readonly timers: ManualTimers;
  /** Its proxy's request lifecycle events, counted. */
  readonly lifecycle: LifecycleCounts;
}

/** A sidecar as `shortline serve` runs it, on 127.0.0.1 with free ports, on manual time. */
export async function startSidecar(env: KnativeEnv, config: ConfigOverrides = {}, certDirectory = '/nonexistent'): Promise<RunningSidecar> {
  const timers = new ManualTimers();
  const sidecar = createSidecar({
    env,
    config: defaultConfig({ logging: { level: 'silent' }, ...config }),
    listeners: { host: '127.0.0.1', admin: 0, stats: 0, metrics: 0, certDirectory },
    logger: createLogger('silent'),
    processMetrics: false,
    timers,
  });
  const lifecycle = new LifecycleCounts(sidecar.shortline);
  try {
    return { sidecar, ports: await sidecar.listen(), timers, lifecycle };
  } catch (error) {
    await sidecar.close();
    throw error;
  }
}

/** A test's user containers and sidecars, each closed after the test through `defer` (useCleanups). */
export function sidecarParts(defer: (cleanup: () => Promise<void>) => void): {
  userContainer(): Promise<UserContainer>;
  sidecar(env: KnativeEnv, config?: ConfigOverrides): Promise<RunningSidecar>;
} {
  return {
    userContainer: async () => {
      const user = await startUserContainer();
      defer(() => user.close());
      return user;
    },
    sidecar: async (env, config = {}) => {
      const running = await startSidecar(env, config);
      defer(() => running.sidecar.close());
      return running;
    },
  };
}
