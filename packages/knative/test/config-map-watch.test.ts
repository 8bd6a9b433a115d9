import { describe, expect, it } from '@jest/globals';
import { parseConfig, type ShortlineConfig } from '@shortline/proxy';
import { ConfigMapError, watchConfigMap } from '@shortline/knative';
import { useCleanups } from './support/cleanups.js';
import { Changes } from '../../proxy/test/support/changes.js';
import { CONFIG_MAPS, FakeKubeApi } from './support/fake-kube-api.js';
import { configMap } from './support/knative-fixtures.js';

const defer = useCleanups();

async function watched(initial?: Record<string, string>) {
  const api = new FakeKubeApi();
  await api.start();
  defer(() => api.stop());
  if (initial !== undefined) api.apply(CONFIG_MAPS, configMap('shortline', 'config-shortline', initial));
  // Another ConfigMap in the namespace must not be mistaken for ours.
  api.apply(CONFIG_MAPS, configMap('shortline', 'unrelated', { 'config.yaml': 'scheduler: { policy: sept }' }));
  const configs: ShortlineConfig[] = [];
  const invalid: Error[] = [];
  const told = new Changes();
  const watch = watchConfigMap({
    kubeConfig: api.kubeConfig(),
    namespace: 'shortline',
    parse: parseConfig,
    onConfig: (config) => {
      configs.push(config);
      told.notify();
    },
    onInvalid: (error) => {
      invalid.push(error);
      told.notify();
    },
    retryDelayMs: 10,
  });
  defer(() => watch.stop());
  await watch.start();
  /** Resolves once the watch has handed over `valid` configurations and reported `rejected` ones. */
  const toldOf = (valid: number, rejected = 0): Promise<void> => told.when(() => configs.length === valid && invalid.length === rejected);
  return { api, configs, invalid, told: toldOf };
}

describe('config-shortline ConfigMap watch', () => {
  it('reads the configuration at start and applies each valid update', async () => {
    const { api, configs, told } = await watched({ 'config.yaml': 'scheduler:\n  policy: hrrn\n' });
    await told(1);
    expect(configs[0]?.scheduler.policy).toBe('hrrn');
    api.apply(CONFIG_MAPS, configMap('shortline', 'config-shortline', { 'config.yaml': 'scheduler:\n  policy: fifo\n  maxQueued: 50\n' }));
    await told(2);
    expect(configs[1]?.scheduler).toMatchObject({ policy: 'fifo', maxQueued: 50 });
    expect(api.requests.every((r) => r.path === '/api/v1/namespaces/shortline/configmaps')).toBe(true);
  });

  it('keeps the last good configuration on an invalid update and says which key is wrong', async () => {
    const { api, configs, invalid, told } = await watched({ 'config.yaml': 'scheduler:\n  policy: hrrn\n' });
    await told(1);
    api.apply(CONFIG_MAPS, configMap('shortline', 'config-shortline', { 'config.yaml': 'scheduler:\n  maxQueued: -3\n' }));
    await told(1, 1);
    expect(invalid[0]?.message).toContain('configmap shortline/config-shortline config.yaml');
    expect(invalid[0]?.message).toContain('scheduler.maxQueued');

    api.apply(CONFIG_MAPS, configMap('shortline', 'config-shortline', { 'config.yaml': 'scheduler:\n  policy: sept\n' }));
    await told(2, 1);
    expect(configs[1]?.scheduler.policy).toBe('sept');
  });

  it('reports a missing key or a deleted ConfigMap without dropping the configuration in force', async () => {
    const { api, invalid, told } = await watched({ 'config.yaml': 'logging:\n  level: warn\n' });
    await told(1);
    api.apply(CONFIG_MAPS, configMap('shortline', 'config-shortline', { _example: '# documentation only' }));
    await told(1, 1);
    expect(invalid[0]).toBeInstanceOf(ConfigMapError);
    expect(invalid[0]).toMatchObject({ reason: 'missing-key' });
    api.apply(CONFIG_MAPS, configMap('shortline', 'config-shortline', { 'config.yaml': 'logging:\n  level: warn\n' }));
    await told(2, 1);
    api.delete(CONFIG_MAPS, 'shortline', 'config-shortline');
    await told(2, 2);
    expect(invalid[1]).toMatchObject({ reason: 'deleted' });
  });

  it('waits quietly for a ConfigMap that does not exist yet, and picks it up when created', async () => {
    const { api, configs, invalid, told } = await watched();
    // Listed, and nothing to report about a ConfigMap that is not there.
    expect([configs, invalid]).toEqual([[], []]);
    api.apply(CONFIG_MAPS, configMap('shortline', 'config-shortline', { 'config.yaml': 'scheduler:\n  policy: fifo\n' }));
    await told(1, 0);
  });
});
