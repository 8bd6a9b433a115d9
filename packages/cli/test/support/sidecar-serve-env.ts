/**
 * Knative's env contract for `shortline serve` in a test: the revision's names, QUEUE_SERVING_PORT,
 * the user container on 127.0.0.1:`userPort`, containerConcurrency 2, and the side listeners on free
 * loopback ports. `extra` adds or overrides.
 */
export function sidecarServeEnv(servingPort: number, userPort: number, extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  return {
    SERVING_NAMESPACE: 'default',
    SERVING_SERVICE: 'hello',
    SERVING_CONFIGURATION: 'hello',
    SERVING_REVISION: 'hello-00001',
    SERVING_POD: 'hello-00001-deployment-abc',
    SERVING_POD_IP: '127.0.0.1',
    QUEUE_SERVING_PORT: String(servingPort),
    USER_PORT: String(userPort),
    CONTAINER_CONCURRENCY: '2',
    SHORTLINE_SIDECAR_HOST: '127.0.0.1',
    SHORTLINE_SIDECAR_ADMIN_PORT: '0',
    SHORTLINE_SIDECAR_STATS_PORT: '0',
    SHORTLINE_SIDECAR_METRICS_PORT: '0',
    ...extra,
  };
}
