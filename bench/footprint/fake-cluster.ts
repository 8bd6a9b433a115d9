import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ENDPOINT_SLICES, FakeKubeApi, privateSlice, REVISIONS, revision } from '@shortline/knative/testing';

/** The one revision the gateway finds, and the headers that route a request to it. */
export const REVISION = { namespace: 'default', name: 'hello-00001' } as const;
export const REVISION_HEADERS: Readonly<Record<string, string>> = {
  'knative-serving-namespace': REVISION.namespace,
  'knative-serving-revision': REVISION.name,
};

export interface FakeCluster {
  /** A kubeconfig file for the gateway, pointing at the in-process API server. */
  readonly kubeconfig: string;
  stop(): Promise<void>;
}

/**
 * What the gateway discovers, served by the in-process Kubernetes API (list/watch as the real one):
 * one revision with containerConcurrency `concurrency` whose one ready pod is the backend.
 */
export async function startFakeCluster(directory: string, podPort: number, concurrency: number): Promise<FakeCluster> {
  const api = new FakeKubeApi();
  await api.start();
  api.apply(REVISIONS, revision(REVISION.namespace, REVISION.name, concurrency));
  api.apply(ENDPOINT_SLICES, privateSlice(REVISION.namespace, REVISION.name, [{ ip: '127.0.0.1', port: podPort }]));
  const kubeconfig = join(directory, 'kubeconfig.json');
  await writeFile(kubeconfig, api.kubeConfig().exportConfig());
  return { kubeconfig, stop: () => api.stop() };
}
