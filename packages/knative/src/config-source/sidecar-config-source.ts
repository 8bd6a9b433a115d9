import { parseConfig, sameConfig, type Shortline, type ShortlineConfig, type Timers } from '@shortline/proxy';
import { ConfigMapError, ConfigSourceError } from '../errors.js';
import { streamConfigMap, type ConfigMapData, type ConfigMapStream } from './config-map-stream.js';
import { openKubeApi, type KubeApiLocation } from './kube-api-access.js';
import { readPodAnnotations } from './pod-annotations.js';

/** A revision that sets this annotation to `off` keeps the built-in configuration (see docs/knative.md). */
export const CONFIG_SOURCE_ANNOTATION = 'shortline.dev/config-source';

/** Where a sidecar without a configuration file reads one: a ConfigMap in its revision's namespace. */
export interface SidecarConfigSourceSettings {
  readonly api: KubeApiLocation;
  readonly namespace: string;
  readonly configMap: string;
  /** Keys of the ConfigMap in order of preference: the first one present is read. */
  readonly keys: readonly string[];
  /** The downward API file of the pod's annotations (the opt-out); missing: no opt-out. */
  readonly podAnnotationsFile: string;
  readonly retryDelayMs?: number;
  readonly maxRetryDelayMs?: number;
}

export interface SidecarConfigSourceHandlers {
  /** A valid configuration that differs from the last one applied. */
  readonly onConfig: (config: ShortlineConfig) => void;
  /** The ConfigMap changed but cannot be used; the configuration in force stays. */
  readonly onInvalid: (error: Error) => void;
  readonly logger: Shortline['logger'];
  /** The retry delays are on these. Default: the process's. */
  readonly timers?: Timers;
}

export interface ConfigSource {
  stop(): void;
}

/**
 * Follows the ConfigMap and hands over each new valid configuration under the same rules as a watched
 * file: an invalid text is refused (onInvalid) and the last good configuration stays; the same text, or
 * one that parses to the same configuration, does nothing; a missing key or a deleted ConfigMap keeps
 * the configuration in force and is reported. While the API cannot be reached the sidecar runs on what
 * it has: the last good configuration, else the built-in one, and its predictor keeps what it learned.
 * Starts after the listeners are up and never delays a request.
 */
export function startSidecarConfigSource(settings: SidecarConfigSourceSettings, handlers: SidecarConfigSourceHandlers): ConfigSource {
  const logger = handlers.logger;
  const where = `${settings.namespace}/${settings.configMap}`;
  let stream: ConfigMapStream | undefined;
  let stopped = false;
  /** What the ConfigMap last held, as far as it matters: its text, or why there is none. */
  let lastState: string | undefined;
  let lastGood: ShortlineConfig | undefined;
  let outage: ConfigSourceError | undefined;

  const seen = (configMap: ConfigMapData | undefined): void => {
    if (configMap === undefined) {
      if (lastState === undefined) logger.info({ configMap: where }, 'no cluster configuration yet: serving on the built-in configuration');
      else if (lastState !== '(deleted)') handlers.onInvalid(new ConfigMapError(where, 'deleted', `ConfigMap ${where} was deleted; the configuration in force stays`));
      lastState = '(deleted)';
      return;
    }
    const key = settings.keys.find((candidate) => configMap.data[candidate] !== undefined);
    if (key === undefined) {
      if (lastState !== '(no key)') {
        handlers.onInvalid(
          new ConfigMapError(where, 'missing-key', `ConfigMap ${where} has none of the keys ${settings.keys.join(', ')}; the configuration in force stays`),
        );
      }
      lastState = '(no key)';
      return;
    }
    const text = configMap.data[key] as string;
    if (text === lastState) return;
    lastState = text;
    let config: ShortlineConfig;
    try {
      config = parseConfig(text, `configmap ${where} ${key}`);
    } catch (error) {
      handlers.onInvalid(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    if (lastGood !== undefined && sameConfig(config, lastGood)) return;
    lastGood = config;
    handlers.onConfig(config);
  };

  const start = async (): Promise<void> => {
    const annotations = await readPodAnnotations(settings.podAnnotationsFile);
    if (annotations.get(CONFIG_SOURCE_ANNOTATION) === 'off') {
      logger.info({ annotation: CONFIG_SOURCE_ANNOTATION }, 'the revision opted out of the cluster configuration: serving on the built-in configuration');
      return;
    }
    const api = await openKubeApi(settings.api);
    if (stopped) return;
    stream = streamConfigMap({
      api,
      namespace: settings.namespace,
      name: settings.configMap,
      onConfigMap: seen,
      onError: (error) => {
        // Said once per outage; the stream retries on its own.
        if (outage !== undefined) return;
        outage = error;
        logger.warn(
          {
            configMap: where,
            reason: error.reason,
            status: error.status,
            error: error.message,
            ...(error.status === 403 ? { hint: 'the namespace has not opted in: apply k8s/overlays/sidecar-config there (docs/knative.md)' } : {}),
          },
          'cannot read the cluster configuration; serving on the configuration in force and retrying',
        );
      },
      onRecovered: () => {
        outage = undefined;
        logger.info({ configMap: where }, 'the cluster configuration can be read again');
      },
      ...(settings.retryDelayMs === undefined ? {} : { retryDelayMs: settings.retryDelayMs }),
      ...(settings.maxRetryDelayMs === undefined ? {} : { maxRetryDelayMs: settings.maxRetryDelayMs }),
      ...(handlers.timers === undefined ? {} : { timers: handlers.timers }),
    });
  };

  void start().catch((error: unknown) => logger.error({ configMap: where, error: String(error) }, 'the cluster configuration source failed to start'));
  return {
    stop(): void {
      stopped = true;
      stream?.stop();
    },
  };
}
