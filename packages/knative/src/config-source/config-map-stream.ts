import http from 'node:http';
import https from 'node:https';
import { REAL_TIMERS, type Timers } from '@shortline/proxy';
import { ConfigSourceError } from '../errors.js';
import { pause } from '../timers/pause.js';
import type { KubeApiAccess } from './kube-api-access.js';

/** The part of a ConfigMap the stream hands on. */
export interface ConfigMapData {
  readonly data: Readonly<Record<string, string>>;
}

export interface ConfigMapStreamOptions {
  readonly api: KubeApiAccess;
  readonly namespace: string;
  readonly name: string;
  /** The ConfigMap as it is now, after each list and each change; undefined while there is none. */
  readonly onConfigMap: (configMap: ConfigMapData | undefined) => void;
  /** A list or watch failed; it is retried, backing off from `retryDelayMs` to `maxRetryDelayMs`. */
  readonly onError: (error: ConfigSourceError) => void;
  /** A list succeeded after failures. */
  readonly onRecovered: () => void;
  /** Default 1000 ms. */
  readonly retryDelayMs?: number;
  /** Default 60 s; a refusal (403: the namespace did not opt in) waits this long at once. */
  readonly maxRetryDelayMs?: number;
  /** How long one watch request stays open before it is renewed. Default 300 s. */
  readonly watchTimeoutSeconds?: number;
  /** The retry delays are on these. Default: the process's. */
  readonly timers?: Timers;
}

export interface ConfigMapStream {
  stop(): void;
}

interface WatchEvent {
  readonly type: string;
  readonly object?: { metadata?: { resourceVersion?: string }; data?: Record<string, string>; code?: number; message?: string };
}

interface ListAnswer {
  readonly metadata?: { resourceVersion?: string };
  readonly items?: readonly { data?: Record<string, string> }[];
}

/** Raised inside a watch when the API server says its resourceVersion is too old: list again. */
class Expired extends Error {}

/**
 * One ConfigMap, listed and then watched through the Kubernetes API with plain HTTP requests (list,
 * then `?watch=true` from the list's resourceVersion, one JSON event per line), so that the sidecar
 * needs no Kubernetes client library: it must start fast and small. Both requests select the
 * ConfigMap by `metadata.name`, which lets RBAC grant exactly that one (`resourceNames`). A watch that
 * ends is renewed from the last resourceVersion seen; one that expired (410) lists again.
 */
export function streamConfigMap(options: ConfigMapStreamOptions): ConfigMapStream {
  const where = `${options.namespace}/${options.name}`;
  const retryDelayMs = options.retryDelayMs ?? 1000;
  const maxRetryDelayMs = options.maxRetryDelayMs ?? 60_000;
  const timers = options.timers ?? REAL_TIMERS;
  const collection = `/api/v1/namespaces/${encodeURIComponent(options.namespace)}/configmaps`;
  const selector = `fieldSelector=${encodeURIComponent(`metadata.name=${options.name}`)}`;
  const stopping = new AbortController();
  let resourceVersion: string | undefined;
  let failures = 0;

  const get = async (path: string): Promise<http.IncomingMessage> => {
    const url = new URL(path, options.api.url);
    const token = await options.api.token();
    const headers: http.OutgoingHttpHeaders = { accept: 'application/json' };
    if (token !== undefined) headers['authorization'] = `Bearer ${token}`;
    const send = url.protocol === 'https:' ? https.request : http.request;
    return new Promise((resolve, reject) => {
      const req = send(url, { headers, signal: stopping.signal, ...(options.api.ca === undefined ? {} : { ca: options.api.ca }) }, resolve);
      req.on('error', (error) => reject(new ConfigSourceError(where, 'unreachable', `cannot reach the Kubernetes API at ${url.origin}: ${error.message}`, undefined, { cause: error })));
      req.end();
    });
  };

  const refused = async (res: http.IncomingMessage): Promise<ConfigSourceError> => {
    let body = '';
    for await (const chunk of res) body += String(chunk);
    let detail = body.slice(0, 300);
    try {
      detail = (JSON.parse(body) as { message?: string }).message ?? detail;
    } catch {
      // Not a Kubernetes Status: the start of the body says enough.
    }
    return new ConfigSourceError(where, 'refused', `the Kubernetes API refused to ${res.statusCode === 403 ? 'let this pod read' : 'give'} ConfigMap ${where}: ${res.statusCode} ${detail}`, res.statusCode);
  };

  const list = async (): Promise<void> => {
    const res = await get(`${collection}?${selector}`);
    if (res.statusCode !== 200) throw await refused(res);
    let body = '';
    for await (const chunk of res) body += String(chunk);
    const answer = JSON.parse(body) as ListAnswer;
    resourceVersion = answer.metadata?.resourceVersion;
    const item = answer.items?.[0];
    options.onConfigMap(item === undefined ? undefined : { data: item.data ?? {} });
  };

  const watch = async (): Promise<void> => {
    const timeout = options.watchTimeoutSeconds ?? 300;
    const res = await get(
      `${collection}?${selector}&watch=true&allowWatchBookmarks=true&timeoutSeconds=${timeout}&resourceVersion=${encodeURIComponent(resourceVersion ?? '')}`,
    );
    if (res.statusCode !== 200) throw await refused(res);
    failures = 0;
    let pending = '';
    for await (const chunk of res) {
      pending += String(chunk);
      let newline = pending.indexOf('\n');
      while (newline !== -1) {
        const line = pending.slice(0, newline).trim();
        pending = pending.slice(newline + 1);
        if (line !== '') handle(JSON.parse(line) as WatchEvent);
        newline = pending.indexOf('\n');
      }
    }
  };

  const handle = (event: WatchEvent): void => {
    const object = event.object;
    if (event.type === 'ERROR') {
      if (object?.code === 410) throw new Expired();
      throw new ConfigSourceError(where, 'refused', `the watch of ConfigMap ${where} failed: ${object?.code ?? ''} ${object?.message ?? ''}`, object?.code);
    }
    resourceVersion = object?.metadata?.resourceVersion ?? resourceVersion;
    if (event.type === 'ADDED' || event.type === 'MODIFIED') options.onConfigMap({ data: object?.data ?? {} });
    else if (event.type === 'DELETED') options.onConfigMap(undefined);
  };

  const run = async (): Promise<void> => {
    while (!stopping.signal.aborted) {
      try {
        if (resourceVersion === undefined) {
          await list();
          if (failures > 0) options.onRecovered();
          failures = 0;
        }
        await watch();
      } catch (error) {
        if (stopping.signal.aborted) return;
        if (error instanceof Expired) {
          resourceVersion = undefined;
          continue;
        }
        const failure =
          error instanceof ConfigSourceError
            ? error
            : new ConfigSourceError(where, 'unreachable', `reading ConfigMap ${where} failed: ${(error as Error).message}`, undefined, { cause: error });
        // After a failure, list again: events may have been missed.
        resourceVersion = undefined;
        options.onError(failure);
        const delay = failure.reason === 'refused' ? maxRetryDelayMs : Math.min(maxRetryDelayMs, retryDelayMs * 2 ** failures);
        failures++;
        try {
          await pause(timers, delay, stopping.signal);
        } catch {
          return;
        }
      }
    }
  };

  void run();
  return { stop: () => stopping.abort() };
}
