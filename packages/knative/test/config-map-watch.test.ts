import { afterEach, describe, expect, it } from '@jest/globals';
import { parseConfig, type ShortlineConfig } from '@shortline/proxy';
import { ConfigMapError, watchConfigMap } from '@shortline/knative';
import { CONFIG_MAPS, FakeKubeApi } from './support/fake-kube-api.js';
import { configMap } from './support/knative-fixtures.js';
import { until } from './support/http.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function watched(initial?: Record<string, string>) {
  const api = new FakeKubeApi();
  await api.start();
  cleanups.push(() => api.stop());
  if (initial !== undefined) api.apply(CONFIG_MAPS, configMap('shortline', 'config-shortline', initial));
  // Another ConfigMap in the namespace must not be mistaken for ours.
  api.apply(CONFIG_MAPS, configMap('shortline', 'unrelated', { 'config.yaml': 'scheduler: { policy: sept }' }));
  const configs: ShortlineConfig[] = [];
  const invalid: Error[] = [];
  const watch = watchConfigMap({
    kubeConfig: api.kubeConfig(),
    namespace: 'shortline',
    parse: parseConfig,
    onConfig: (config) => configs.push(config),
    onInvalid: (error) => invalid.push(error),
    retryDelayMs: 10,
  });
  cleanups.push(() => watch.stop());
  await watch.start();
  return { api, configs, invalid };
}

describe('config-shortline ConfigMap watch', () => {
  it('reads the configuration at start and applies each valid update', async () => {
    const { api, configs } = await watched({ 'config.yaml': 'scheduler:\n  policy: hrrn\n' });
    await until(() => configs.length === 1, 'the first configuration');
    expect(configs[0]?.scheduler.policy).toBe('hrrn');
    api.apply(CONFIG_MAPS, configMap('shortline', 'config-shortline', { 'config.yaml': 'scheduler:\n  policy: fifo\n  maxQueued: 50\n' }));
    await until(() => configs.length === 2, 'the update');
    expect(configs[1]?.scheduler).toMatchObject({ policy: 'fifo', maxQueued: 50 });
    expect(api.requests.every((r) => r.path === '/api/v1/namespaces/shortline/configmaps')).toBe(true);
  });

  it('keeps the last good configuration on an invalid update and says which key is wrong', async () => {
    const { api, configs, invalid } = await watched({ 'config.yaml': 'scheduler:\n  policy: hrrn\n' });
    await until(() => configs.length === 1, 'the first configuration');
    api.apply(CONFIG_MAPS, configMap('shortline', 'config-shortline', { 'config.yaml': 'scheduler:\n  maxQueued: -3\n' }));
    await until(() => invalid.length === 1, 'the invalid update');
    expect(invalid[0]?.message).toContain('configmap shortline/config-shortline config.yaml');
    expect(invalid[0]?.message).toContain('scheduler.maxQueued');
    expect(configs).toHaveLength(1);

    api.apply(CONFIG_MAPS, configMap('shortline', 'config-shortline', { 'config.yaml': 'scheduler:\n  policy: sept\n' }));
    await until(() => configs.length === 2, 'the fixed update');
    expect(configs[1]?.scheduler.policy).toBe('sept');
  });

  it('reports a missing key or a deleted ConfigMap without dropping the configuration in force', async () => {
    const { api, configs, invalid } = await watched({ 'config.yaml': 'logging:\n  level: warn\n' });
    await until(() => configs.length === 1, 'the first configuration');
    api.apply(CONFIG_MAPS, configMap('shortline', 'config-shortline', { _example: '# documentation only' }));
    await until(() => invalid.length === 1, 'the missing key');
    expect(invalid[0]).toBeInstanceOf(ConfigMapError);
    expect(invalid[0]).toMatchObject({ reason: 'missing-key' });
    api.apply(CONFIG_MAPS, configMap('shortline', 'config-shortline', { 'config.yaml': 'logging:\n  level: warn\n' }));
    await until(() => configs.length === 2, 'the key back');
    api.delete(CONFIG_MAPS, 'shortline', 'config-shortline');
    await until(() => invalid.length === 2, 'the deletion');
    expect(invalid[1]).toMatchObject({ reason: 'deleted' });
    expect(configs).toHaveLength(2);
  });

  it('waits quietly for a ConfigMap that does not exist yet, and picks it up when created', async () => {
    const { api, configs, invalid } = await watched();
    api.apply(CONFIG_MAPS, configMap('shortline', 'config-shortline', { 'config.yaml': 'scheduler:\n  policy: fifo\n' }));
    await until(() => configs.length === 1, 'the created ConfigMap');
    expect(invalid).toEqual([]);
  });
});
