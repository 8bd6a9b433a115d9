import { envText, type Environment, type KnativeEnv } from '../env/knative-env.js';
import { CONFIG_MAP_KEY, CONFIG_MAP_NAME } from '../kube/config-map-names.js';
import { SERVICE_ACCOUNT_DIRECTORY } from './kube-api-access.js';
import { POD_ANNOTATIONS_FILE } from './pod-annotations.js';
import type { SidecarConfigSourceSettings } from './sidecar-config-source.js';

/** The API server the pod sees: Kubernetes sets these in every container. */
function inClusterUrl(env: Environment): string | undefined {
  const host = envText(env, 'KUBERNETES_SERVICE_HOST');
  if (host === '') return undefined;
  const port = envText(env, 'KUBERNETES_SERVICE_PORT', '443');
  return `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/**
 * Where a sidecar without a configuration file reads its configuration: `config-shortline` in its
 * revision's namespace, key `<service>.yaml` if the ConfigMap has one, else `config.yaml`. Undefined
 * when SHORTLINE_CONFIG_SOURCE is `off` or there is no API server to ask (not in a pod);
 * SHORTLINE_KUBE_API_URL names another one (a local proxy, a test).
 */
export function readSidecarConfigSource(env: Environment, knative: KnativeEnv): SidecarConfigSourceSettings | undefined {
  if (envText(env, 'SHORTLINE_CONFIG_SOURCE').toLowerCase() === 'off') return undefined;
  const url = envText(env, 'SHORTLINE_KUBE_API_URL') || inClusterUrl(env);
  if (url === undefined) return undefined;
  const serviceKey = `${knative.service || knative.configuration}.yaml`;
  return {
    api: { url, tokenFile: `${SERVICE_ACCOUNT_DIRECTORY}/token`, caFile: `${SERVICE_ACCOUNT_DIRECTORY}/ca.crt` },
    namespace: knative.namespace,
    configMap: CONFIG_MAP_NAME,
    keys: serviceKey === '.yaml' ? [CONFIG_MAP_KEY] : [serviceKey, CONFIG_MAP_KEY],
    podAnnotationsFile: POD_ANNOTATIONS_FILE,
  };
}
