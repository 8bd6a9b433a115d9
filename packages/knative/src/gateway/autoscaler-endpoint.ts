import { hostname } from 'node:os';
import { envText, type Environment } from '../env/knative-env.js';
import { KnativeEnvError } from '../errors.js';

/** Where the gateway reports demand, and the name it reports under. */
export interface AutoscalerEndpoint {
  readonly url: string;
  readonly podName: string;
}

/** Knative's autoscaler Service and the port of its stat server. */
const AUTOSCALER_SERVICE = 'autoscaler';
const STAT_SERVER_PORT = 8080;

/**
 * From the gateway's env: `SHORTLINE_AUTOSCALER_URL` (a ws:// or wss:// URL, or `off`); when unset,
 * inside a cluster the autoscaler in `SYSTEM_NAMESPACE` (default knative-serving), outside none.
 * The stats carry `POD_NAME` (else the host name), as the activator's carry its pod's name.
 */
export function readAutoscalerEndpoint(env: Environment): AutoscalerEndpoint | undefined {
  const given = envText(env, 'SHORTLINE_AUTOSCALER_URL');
  if (given === 'off') return undefined;
  const podName = envText(env, 'POD_NAME', hostname());
  if (given !== '') {
    if (!/^wss?:\/\/[^/\s]+/.test(given)) throw new KnativeEnvError('SHORTLINE_AUTOSCALER_URL', given, 'must be a ws:// or wss:// URL, or off');
    return { url: given, podName };
  }
  if (envText(env, 'KUBERNETES_SERVICE_HOST') === '') return undefined;
  const namespace = envText(env, 'SYSTEM_NAMESPACE', 'knative-serving');
  return { url: `ws://${AUTOSCALER_SERVICE}.${namespace}.svc.cluster.local:${STAT_SERVER_PORT}`, podName };
}
