import { CoreV1Api, type KubeConfig, type V1ConfigMap } from '@kubernetes/client-node';
import type { Timers } from '@shortline/proxy';
import { ConfigMapError } from '../errors.js';
import { CONFIG_MAP_KEY, CONFIG_MAP_NAME } from './config-map-names.js';
import { watchCollection, type WatchedCollection } from './watched-collection.js';

export interface ConfigMapWatchOptions<C> {
  readonly kubeConfig: KubeConfig;
  readonly namespace: string;
  readonly name?: string;
  readonly key?: string;
  /** Parses and validates the document; throws (naming the key path) when it is invalid. */
  readonly parse: (text: string, source: string) => C;
  /** A new valid configuration. */
  readonly onConfig: (config: C) => void;
  /** The ConfigMap changed but cannot be used: the configuration in force stays; say why. */
  readonly onInvalid: (error: Error) => void;
  /** The API server could not be reached (it is retried). */
  readonly onError?: (error: unknown) => void;
  readonly retryDelayMs?: number;
  /** The retry delays are on these. Default: the process's. */
  readonly timers?: Timers;
}

/**
 * Watches one ConfigMap through the API (list/watch restricted to its name, so RBAC can name it):
 * each new document is parsed and handed over if valid; an invalid one, a missing key or a deleted
 * ConfigMap keeps the last good configuration and is reported.
 */
export function watchConfigMap<C>(options: ConfigMapWatchOptions<C>): WatchedCollection<V1ConfigMap> {
  const name = options.name ?? CONFIG_MAP_NAME;
  const key = options.key ?? CONFIG_MAP_KEY;
  const where = `${options.namespace}/${name}`;
  const core = options.kubeConfig.makeApiClient(CoreV1Api);
  const fieldSelector = `metadata.name=${name}`;
  let lastText: string | undefined;

  const collection: WatchedCollection<V1ConfigMap> = watchCollection<V1ConfigMap>({
    kubeConfig: options.kubeConfig,
    path: `/api/v1/namespaces/${options.namespace}/configmaps`,
    list: () => core.listNamespacedConfigMap({ namespace: options.namespace, fieldSelector }),
    fieldSelector,
    onChange: () => {
      const configMap = collection.list().find((c) => c.metadata?.name === name);
      if (configMap === undefined) {
        if (lastText !== undefined) options.onInvalid(new ConfigMapError(where, 'deleted', `ConfigMap ${where} was deleted; the configuration in force stays`));
        lastText = undefined;
        return;
      }
      const text = configMap.data?.[key];
      if (text === undefined) {
        lastText = undefined;
        options.onInvalid(new ConfigMapError(where, 'missing-key', `ConfigMap ${where} has no "${key}" key; the configuration in force stays`));
        return;
      }
      if (text === lastText) return;
      lastText = text;
      let config: C;
      try {
        config = options.parse(text, `configmap ${where} ${key}`);
      } catch (error) {
        options.onInvalid(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      options.onConfig(config);
    },
    ...(options.onError === undefined ? {} : { onError: options.onError }),
    ...(options.retryDelayMs === undefined ? {} : { retryDelayMs: options.retryDelayMs }),
    ...(options.timers === undefined ? {} : { timers: options.timers }),
  });
  return collection;
}
