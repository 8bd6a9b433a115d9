import { KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import http from 'node:http';
import type net from 'node:net';

/**
 * An in-process Kubernetes API server speaking the real list/watch protocol, for tests: lists carry
 * metadata.resourceVersion; `?watch=true` streams one JSON event per line (headers flushed at once)
 * from the given resourceVersion; a resourceVersion older than the last compaction gets a 410 Gone
 * ERROR event, as the real API server sends, so the client relists. Label selectors (=, !=) and the
 * metadata.name / metadata.namespace field selectors are honoured. The test drives it: apply and
 * delete objects, drop watches, compact history, go down and come back on the same port; and hears
 * what its clients do (`onChange`: a request answered, a watch opened or closed).
 */

export interface ResourceType {
  /** '' for the core group. */
  readonly group: string;
  readonly version: string;
  readonly plural: string;
  readonly kind: string;
}

export const REVISIONS: ResourceType = { group: 'serving.knative.dev', version: 'v1', plural: 'revisions', kind: 'Revision' };
export const ROUTES: ResourceType = { group: 'serving.knative.dev', version: 'v1', plural: 'routes', kind: 'Route' };
export const ENDPOINT_SLICES: ResourceType = { group: 'discovery.k8s.io', version: 'v1', plural: 'endpointslices', kind: 'EndpointSlice' };
export const ENDPOINTS: ResourceType = { group: '', version: 'v1', plural: 'endpoints', kind: 'Endpoints' };
export const CONFIG_MAPS: ResourceType = { group: '', version: 'v1', plural: 'configmaps', kind: 'ConfigMap' };

type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

interface StoredEvent {
  readonly type: EventType;
  readonly typeKey: string;
  readonly object: KubernetesObject;
  readonly rv: number;
}

interface Query {
  readonly typeKey: string;
  readonly namespace: string | undefined;
  readonly labelSelector: string | undefined;
  readonly fieldSelector: string | undefined;
}

interface OpenWatch {
  readonly query: Query;
  readonly res: http.ServerResponse;
}

export interface RecordedRequest {
  readonly path: string;
  readonly watch: boolean;
  readonly resourceVersion: string | undefined;
  readonly status: number;
  readonly authorization: string | undefined;
}

function typeKeyOf(type: ResourceType): string {
  return `${type.group}/${type.version}/${type.plural}`;
}

function apiVersionOf(type: ResourceType): string {
  return type.group === '' ? type.version : `${type.group}/${type.version}`;
}

/** Parses /api/v1[/namespaces/ns]/plural and /apis/group/version[/namespaces/ns]/plural. */
function parsePath(pathname: string): { typeKey: string; namespace: string | undefined } | undefined {
  const parts = pathname.split('/').filter((p) => p !== '');
  let group: string;
  let rest: string[];
  if (parts[0] === 'api') {
    group = '';
    rest = parts.slice(1);
  } else if (parts[0] === 'apis' && parts.length >= 3) {
    group = parts[1] as string;
    rest = parts.slice(2);
  } else {
    return undefined;
  }
  const [version, ...tail] = rest;
  if (tail.length === 1) return { typeKey: `${group}/${version}/${tail[0]}`, namespace: undefined };
  if (tail.length === 3 && tail[0] === 'namespaces') return { typeKey: `${group}/${version}/${tail[2]}`, namespace: tail[1] };
  return undefined;
}

function matches(object: KubernetesObject, query: Query): boolean {
  const metadata = object.metadata ?? {};
  if (query.namespace !== undefined && metadata.namespace !== query.namespace) return false;
  for (const term of (query.labelSelector ?? '').split(',').filter((t) => t !== '')) {
    const negated = term.includes('!=');
    const [key = '', value = ''] = term.split(negated ? '!=' : /==?/);
    const actual = metadata.labels?.[key.trim()];
    if (negated ? actual === value.trim() : actual !== value.trim()) return false;
  }
  for (const term of (query.fieldSelector ?? '').split(',').filter((t) => t !== '')) {
    const [field, value] = term.split('=');
    if (field === 'metadata.name' && metadata.name !== value) return false;
    if (field === 'metadata.namespace' && metadata.namespace !== value) return false;
  }
  return true;
}

export class FakeKubeApi {
  readonly requests: RecordedRequest[] = [];
  #server: http.Server;
  #port = 0;
  #rv = 100;
  #compactedRv = 0;
  readonly #kinds = new Map<string, ResourceType>();
  readonly #objects = new Map<string, Map<string, KubernetesObject>>();
  readonly #history: StoredEvent[] = [];
  readonly #watches = new Set<OpenWatch>();
  readonly #sockets = new Set<net.Socket>();
  readonly #unserved = new Set<string>();
  readonly #listeners = new Set<() => void>();
  readonly #forbidden = new Set<string>();

  constructor(types: readonly ResourceType[] = [REVISIONS, ROUTES, ENDPOINT_SLICES, ENDPOINTS, CONFIG_MAPS]) {
    for (const type of types) {
      this.#kinds.set(typeKeyOf(type), type);
      this.#objects.set(typeKeyOf(type), new Map());
    }
    this.#server = this.#createServer();
  }

  get port(): number {
    return this.#port;
  }

  /** A KubeConfig for the real client-node, pointing here over plain http. */
  kubeConfig(): KubeConfig {
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromOptions({
      clusters: [{ name: 'fake', server: `http://127.0.0.1:${this.#port}`, skipTLSVerify: true }],
      users: [{ name: 'test', token: 'test-token' }],
      contexts: [{ name: 'fake', cluster: 'fake', user: 'test' }],
      currentContext: 'fake',
    });
    return kubeConfig;
  }

  async start(): Promise<number> {
    await new Promise<void>((resolve) => this.#server.listen(this.#port, '127.0.0.1', resolve));
    this.#port = (this.#server.address() as net.AddressInfo).port;
    return this.#port;
  }

  /** The API server becomes unreachable: every connection is cut and the port refuses new ones. */
  async goDown(): Promise<void> {
    this.#watches.clear();
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    for (const socket of this.#sockets) socket.destroy();
    await closed;
    this.#server = this.#createServer();
  }

  /** Back on the same port, with the same objects and history. */
  async comeBack(): Promise<void> {
    await this.start();
  }

  async stop(): Promise<void> {
    await this.goDown();
  }

  /** The resource answers 404, as on a cluster that does not serve it. */
  unserve(type: ResourceType): void {
    this.#unserved.add(typeKeyOf(type));
  }

  /** The resource answers 403, as to a service account that RBAC does not let read it. */
  forbid(type: ResourceType): void {
    this.#forbidden.add(typeKeyOf(type));
  }

  allow(type: ResourceType): void {
    this.#forbidden.delete(typeKeyOf(type));
  }

  /** Creates or replaces an object (by namespace and name) and tells the watches. */
  apply(type: ResourceType, object: KubernetesObject): void {
    const typeKey = typeKeyOf(type);
    const store = this.#objects.get(typeKey) as Map<string, KubernetesObject>;
    const id = `${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`;
    const rv = ++this.#rv;
    const stored: KubernetesObject = {
      ...object,
      apiVersion: apiVersionOf(type),
      kind: type.kind,
      metadata: { ...object.metadata, resourceVersion: String(rv) },
    };
    const type_ = store.has(id) ? 'MODIFIED' : 'ADDED';
    store.set(id, stored);
    this.#record({ type: type_, typeKey, object: stored, rv });
  }

  delete(type: ResourceType, namespace: string, name: string): void {
    const typeKey = typeKeyOf(type);
    const store = this.#objects.get(typeKey) as Map<string, KubernetesObject>;
    const existing = store.get(`${namespace}/${name}`);
    if (existing === undefined) return;
    store.delete(`${namespace}/${name}`);
    const rv = ++this.#rv;
    this.#record({ type: 'DELETED', typeKey, object: { ...existing, metadata: { ...existing.metadata, resourceVersion: String(rv) } }, rv });
  }

  /** Ends every open watch stream cleanly, as the API server does when a watch times out. */
  dropWatches(): void {
    for (const watch of this.#watches) watch.res.end();
    this.#watches.clear();
  }

  /** Forgets history up to now: a watch from an older resourceVersion gets 410 Gone. */
  compact(): void {
    this.#compactedRv = this.#rv;
  }

  /** Open watch streams now (a client reconnected when this goes back up). */
  get openWatches(): number {
    return this.#watches.size;
  }

  /** Calls `listener` after each request it records and each watch that opens or closes; returns the unsubscribe. */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #changed(): void {
    for (const listener of this.#listeners) listener();
  }

  lists(plural: string): number {
    return this.requests.filter((r) => !r.watch && r.status === 200 && r.path.endsWith(`/${plural}`)).length;
  }

  #record(event: StoredEvent): void {
    this.#history.push(event);
    for (const watch of this.#watches) {
      if (watch.query.typeKey === event.typeKey && matches(event.object, watch.query)) {
        watch.res.write(`${JSON.stringify({ type: event.type, object: event.object })}\n`);
      }
    }
  }

  #createServer(): http.Server {
    const server = http.createServer((req, res) => this.#handle(req, res));
    server.on('connection', (socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
    return server;
  }

  #handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    req.resume();
    const url = new URL(req.url ?? '/', 'http://fake');
    const parsed = parsePath(url.pathname);
    const watch = url.searchParams.get('watch') === 'true';
    const resourceVersion = url.searchParams.get('resourceVersion') ?? undefined;
    const type = parsed === undefined ? undefined : this.#kinds.get(parsed.typeKey);
    const typeKey = parsed?.typeKey ?? '';
    const status = type === undefined || this.#unserved.has(typeKey) || req.method !== 'GET' ? 404 : this.#forbidden.has(typeKey) ? 403 : 200;
    this.requests.push({ path: url.pathname, watch, resourceVersion, status, authorization: req.headers.authorization });
    this.#changed();
    if (status === 403) {
      res.writeHead(403, { 'content-type': 'application/json' });
      const message = `${typeKey} is forbidden: User "system:serviceaccount:default:default" cannot list resource`;
      res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Forbidden', message, code: 403 }));
      return;
    }
    if (status !== 200 || parsed === undefined || type === undefined) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 }));
      return;
    }
    const query: Query = {
      typeKey: parsed.typeKey,
      namespace: parsed.namespace,
      labelSelector: url.searchParams.get('labelSelector') ?? undefined,
      fieldSelector: url.searchParams.get('fieldSelector') ?? undefined,
    };
    if (watch) this.#watch(query, resourceVersion, res);
    else this.#list(type, query, res);
  }

  #list(type: ResourceType, query: Query, res: http.ServerResponse): void {
    const items = [...(this.#objects.get(query.typeKey) as Map<string, KubernetesObject>).values()].filter((o) => matches(o, query));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({ apiVersion: apiVersionOf(type), kind: `${type.kind}List`, metadata: { resourceVersion: String(this.#rv) }, items }),
    );
  }

  #watch(query: Query, resourceVersion: string | undefined, res: http.ServerResponse): void {
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    res.flushHeaders();
    const from = resourceVersion === undefined || resourceVersion === '' ? undefined : Number(resourceVersion);
    if (from !== undefined && from < this.#compactedRv) {
      const gone = { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Expired', code: 410, message: `too old resource version: ${from}` };
      res.end(`${JSON.stringify({ type: 'ERROR', object: gone })}\n`);
      return;
    }
    if (from === undefined) {
      for (const object of (this.#objects.get(query.typeKey) as Map<string, KubernetesObject>).values()) {
        if (matches(object, query)) res.write(`${JSON.stringify({ type: 'ADDED', object })}\n`);
      }
    } else {
      for (const event of this.#history) {
        if (event.rv > from && event.typeKey === query.typeKey && matches(event.object, query)) {
          res.write(`${JSON.stringify({ type: event.type, object: event.object })}\n`);
        }
      }
    }
    const open: OpenWatch = { query, res };
    this.#watches.add(open);
    this.#changed();
    res.on('close', () => {
      this.#watches.delete(open);
      this.#changed();
    });
  }
}
