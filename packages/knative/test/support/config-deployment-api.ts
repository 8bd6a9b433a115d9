import http from 'node:http';
import { close, listen } from './http.js';

/** A request to the API server, as kubectl sent it. */
export interface ApiRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly contentType: string;
  readonly body: string;
}

export interface ConfigDeploymentApi {
  readonly url: string;
  readonly requests: ApiRequest[];
  close(): Promise<void>;
}

/**
 * Just enough of a Kubernetes API server for the install guide's kubectl commands: discovery of the
 * core group's configmaps, and Knative's `knative-serving/config-deployment` as a stock install has
 * it. GET answers it; PATCH (server-side apply or merge patch) must be a dry run (`dryRun=All`), is
 * recorded and changes nothing. Anything else is 404, as for a cluster that does not have it.
 */
export async function startConfigDeploymentApi(queueSidecarImage: string): Promise<ConfigDeploymentApi> {
  const configDeployment = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'config-deployment', namespace: 'knative-serving', resourceVersion: '1', uid: '6f1c1d4e-0000-4000-8000-000000000001' },
    data: { 'queue-sidecar-image': queueSidecarImage, 'progress-deadline': '600s' },
  };
  const requests: ApiRequest[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://api');
      requests.push({ method: req.method ?? '', path: url.pathname, query: url.searchParams, contentType: req.headers['content-type'] ?? '', body });
      const answer = (status: number, value: unknown): void => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      const notFound = { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 };
      switch (url.pathname) {
        case '/version':
          return answer(200, { major: '1', minor: '32', gitVersion: 'v1.32.0' });
        case '/api':
          return answer(200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }] });
        case '/apis':
          return answer(200, { kind: 'APIGroupList', apiVersion: 'v1', groups: [] });
        case '/api/v1':
          return answer(200, {
            kind: 'APIResourceList',
            groupVersion: 'v1',
            resources: [{ name: 'configmaps', singularName: 'configmap', namespaced: true, kind: 'ConfigMap', verbs: ['get', 'list', 'patch', 'update', 'watch'], shortNames: ['cm'] }],
          });
        case '/api/v1/namespaces/knative-serving/configmaps/config-deployment':
          if (req.method === 'GET') return answer(200, configDeployment);
          if (req.method === 'PATCH' && url.searchParams.get('dryRun') === 'All') return answer(200, configDeployment);
          return answer(403, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Forbidden', message: 'only dry runs here', code: 403 });
        default:
          return answer(404, notFound);
      }
    });
  });
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}`, requests, close: () => close(server) };
}
