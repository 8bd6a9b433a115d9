import { readFile } from 'node:fs/promises';

/** Where a pod's service-account credentials are mounted (when the pod automounts them, the default). */
export const SERVICE_ACCOUNT_DIRECTORY = '/var/run/secrets/kubernetes.io/serviceaccount';

/** How to reach the Kubernetes API with a pod's own credentials, without a client library. */
export interface KubeApiAccess {
  /** `https://host:port` of the API server; `http:` only for tests and local proxies. */
  readonly url: URL;
  /** The bearer token, read again for every request: Kubernetes rotates projected tokens. */
  readonly token: () => Promise<string | undefined>;
  /** The cluster CA to trust; undefined: the system's. */
  readonly ca: Buffer | undefined;
}

export interface KubeApiLocation {
  /** `https://KUBERNETES_SERVICE_HOST:KUBERNETES_SERVICE_PORT` in a pod. */
  readonly url: string;
  /** The service-account token file; missing: requests go without one. */
  readonly tokenFile: string;
  /** The cluster CA file; missing: the system's CAs. */
  readonly caFile: string;
}

async function readIfPresent(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch {
    return undefined;
  }
}

/** Reads the CA once; the token file is read at each request. */
export async function openKubeApi(location: KubeApiLocation): Promise<KubeApiAccess> {
  const ca = await readIfPresent(location.caFile);
  return {
    url: new URL(location.url),
    token: async () => (await readIfPresent(location.tokenFile))?.toString('utf8').trim() || undefined,
    ca,
  };
}
