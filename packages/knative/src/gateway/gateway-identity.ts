import type { Environment } from '../env/knative-env.js';

/** Which gateway replica this is: its Service's endpoints are the replicas that share the pods. */
export interface GatewayIdentity {
  readonly namespace: string;
  readonly service: string;
  /** '' outside a pod: the gateway then counts as a replica of its own. */
  readonly podIp: string;
}

function value(env: Environment, name: string, fallback: string): string {
  const given = env[name]?.trim();
  return given === undefined || given === '' ? fallback : given;
}

/** From the Deployment's env (k8s/base): POD_NAMESPACE, SHORTLINE_GATEWAY_SERVICE, POD_IP. */
export function readGatewayIdentity(env: Environment): GatewayIdentity {
  return {
    namespace: value(env, 'POD_NAMESPACE', 'shortline'),
    service: value(env, 'SHORTLINE_GATEWAY_SERVICE', 'shortline-gateway'),
    podIp: value(env, 'POD_IP', ''),
  };
}
