// What a sidecar (Knative's queue-proxy stand-in) runs, and nothing heavier: no Kubernetes client, no
// discovery. `shortline serve` loads only this entry in sidecar mode, and a test holds it to that
// (packages/cli/test/serve-sidecar-imports.test.ts). The gateway's own pieces are in ./gateway.js.
export { ConfigMapError, ConfigSourceError, KnativeEnvError, ProbeSpecError } from './errors.js';

export { isKnativeSidecarEnv, parseKnativeEnv, type Environment, type KnativeEnv } from './env/knative-env.js';
export {
  applyKnativeEnv,
  KNATIVE_QUIET_PERIOD_MS,
  QUEUE_DEPTH_PER_SLOT,
  SIDECAR_PORTS,
  USER_CONTAINER_POOL,
} from './env/apply-knative-env.js';

export { IN_POD_HOST, parseReadinessProbes, type ProbeAction, type ProbeSpec } from './readiness/probe-spec.js';
export { PROBE_USER_AGENT, type CheckOutcome } from './readiness/check-outcome.js';
export { createReadinessProber, type ReadinessProber, type ReadinessProberOptions } from './readiness/readiness-prober.js';

export { isHealthCheck } from './probes/probe-request.js';
export {
  createKnativeProbeResponder,
  NETWORK_PROBE,
  QUEUE_PROBE,
  type KnativeProbesOptions,
  type ProbeAnswer,
  type ProbeResponder,
} from './probes/knative-probe-responder.js';
export {
  editGatewayRequestHeaders,
  editSidecarRequestHeaders,
  GATEWAY_UPSTREAM_HEADERS,
  type UpstreamHeaderEditor,
} from './headers/knative-request-headers.js';

export { ConcurrencyStats, type StatsWindow } from './stats/concurrency-stats.js';
export { encodeStat, type Stat } from './stats/stat-message.js';
export { createAutoscalerStats, type AutoscalerStats, type AutoscalerStatsOptions } from './stats/autoscaler-stats.js';
export {
  createAutoscalerStatsObserver,
  PROXIED_BY_ACTIVATOR,
  type AutoscalerStatsObserverOptions,
  type ObservedRequest,
  type RequestObserver,
} from './stats/autoscaler-stats-observer.js';
export { createStatMetrics, type StatMetricsOptions } from './stats/stat-metrics.js';
export { createStatsServer, PROTOBUF_MEDIA_TYPE, type StatsServerOptions } from './stats/stats-server.js';

export { createDrainAdminServer, WAIT_FOR_DRAIN_PATH, type DrainAdminServerOptions } from './drain/drain-admin-server.js';
export { drainInOrder } from './drain/drain-in-order.js';

export { createDualProtocolServer, H2_PREFACE, type DualProtocolServerOptions } from './listener/dual-protocol-server.js';
export type { DataListener } from './listener/data-listener.js';
export { listenDualProtocol } from './listener/listen-dual-protocol.js';
export { listenTls, type TlsFiles } from './listener/listen-tls.js';

export { CONFIG_MAP_KEY, CONFIG_MAP_NAME } from './kube/config-map-names.js';
export { streamConfigMap, type ConfigMapData, type ConfigMapStream, type ConfigMapStreamOptions } from './config-source/config-map-stream.js';
export { openKubeApi, SERVICE_ACCOUNT_DIRECTORY, type KubeApiAccess, type KubeApiLocation } from './config-source/kube-api-access.js';
export { POD_ANNOTATIONS_FILE, readPodAnnotations } from './config-source/pod-annotations.js';
export { readSidecarConfigSource } from './config-source/read-config-source-settings.js';
export {
  CONFIG_SOURCE_ANNOTATION,
  startSidecarConfigSource,
  type ConfigSource,
  type SidecarConfigSourceHandlers,
  type SidecarConfigSourceSettings,
} from './config-source/sidecar-config-source.js';

export { KNATIVE_SIDECAR_LISTENERS, readSidecarListeners, type SidecarListeners } from './sidecar/sidecar-listeners.js';
export { createSidecar, type Sidecar, type SidecarOptions, type SidecarPorts } from './sidecar/create-sidecar.js';
