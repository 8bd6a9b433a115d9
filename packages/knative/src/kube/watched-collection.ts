import { ListWatch, Watch, type KubeConfig, type KubernetesListObject, type KubernetesObject } from '@kubernetes/client-node';
import { REAL_TIMERS, type TimerHandle, type Timers } from '@shortline/proxy';

export interface WatchedCollectionOptions<T extends KubernetesObject> {
  readonly kubeConfig: KubeConfig;
  /** The API path listed and watched, e.g. /apis/discovery.k8s.io/v1/endpointslices. */
  readonly path: string;
  /** Lists the collection (with the same selectors as the watch). */
  readonly list: () => Promise<KubernetesListObject<T>>;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  /** Something was added, changed or deleted (a relist may report several at once). */
  readonly onChange: () => void;
  /** The list or watch failed; it is retried after `retryDelayMs`, the objects known so far kept. */
  readonly onError?: (error: unknown) => void;
  /** First retry delay; doubled on each failure in a row up to `maxRetryDelayMs`. */
  readonly retryDelayMs?: number;
  readonly maxRetryDelayMs?: number;
  /** The retry delays are on these. Default: the process's. */
  readonly timers?: Timers;
}

export interface WatchedCollection<T extends KubernetesObject> {
  /** Resolves once the first list has succeeded (retrying until it does, or until stopped). */
  start(): Promise<void>;
  stop(): void;
  /** The objects last seen; kept while the API server is unreachable. */
  list(): readonly T[];
}

/**
 * A list+watch of one collection through client-node's informer, made to survive: the informer
 * resumes a dropped watch from the last resourceVersion and relists on 410 Gone by itself; when the
 * API server cannot be reached it stops, so this restarts it with a backoff. The cache is never
 * cleared on errors, so callers keep using the last known state.
 */
export function watchCollection<T extends KubernetesObject>(options: WatchedCollectionOptions<T>): WatchedCollection<T> {
  const firstDelay = options.retryDelayMs ?? 500;
  const maxDelay = options.maxRetryDelayMs ?? 30_000;
  const timers = options.timers ?? REAL_TIMERS;
  const informer = new ListWatch<T>(
    options.path,
    new Watch(options.kubeConfig),
    options.list,
    false,
    options.labelSelector,
    options.fieldSelector,
  );
  let stopped = false;
  let synced = false;
  let delay = firstDelay;
  let failures = 0;
  let retry: TimerHandle | undefined;
  let onSynced: (() => void) | undefined;
  const firstSync = new Promise<void>((resolve) => {
    onSynced = resolve;
  });

  const run = async (): Promise<void> => {
    retry = undefined;
    if (stopped) return;
    const failuresBefore = failures;
    await informer.start();
    if (failures === failuresBefore) delay = firstDelay;
    if (informer.latestResourceVersion() !== '' && !synced) {
      synced = true;
      onSynced?.();
    }
  };

  informer.on('change', () => options.onChange());
  informer.on('error', (error: unknown) => {
    // Stopping aborts the watch, which the informer reports as an error.
    if (stopped) return;
    failures++;
    options.onError?.(error);
    if (retry !== undefined) timers.clearTimeout(retry);
    retry = timers.setTimeout(() => void run(), delay, undefined);
    delay = Math.min(delay * 2, maxDelay);
  });

  return {
    async start(): Promise<void> {
      stopped = false;
      void run();
      await firstSync;
    },
    stop(): void {
      stopped = true;
      if (retry !== undefined) timers.clearTimeout(retry);
      retry = undefined;
      onSynced?.();
      void informer.stop();
    },
    list: () => informer.list(),
  };
}
