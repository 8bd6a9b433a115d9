import { envText, type Environment } from '../env/knative-env.js';

/** Which gateway replica this is: its Service's endpoints are the replicas that share the pods. */
export interface GatewayIdentity {
  readonly namespace: string;
  readonly service: string;
  /** '' outside a pod: the gateway then counts as a replica of its own. */
  readonly podIp: string;
}

/** From the Deployment's env (k8s/base): POD_NAMESPACE, SHORTLINE_GATEWAY_SERVICE, POD_IP. */
export function readGatewayIdentity(env: Environment): GatewayIdentity {
  return {
    namespace: envText(env, 'POD_NAMESPACE', 'shortline'),
    service: envText(env, 'SHORTLINE_GATEWAY_SERVICE', 'shortline-gateway'),
    podIp: envText(env, 'POD_IP'),
  };
}
