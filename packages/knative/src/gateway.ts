// The activator-style gateway: Kubernetes discovery, the ConfigMap watch, demand reports to the
// autoscaler. Loads @kubernetes/client-node, which the sidecar never needs (./sidecar.js).
export { loadKubeConfig } from './kube/load-kube-config.js';
export { watchCollection, type WatchedCollection, type WatchedCollectionOptions } from './kube/watched-collection.js';
export { watchConfigMap, type ConfigMapWatchOptions } from './kube/config-map-watch.js';

export { encodeWireStatMessages, type RevisionStat } from './stats/wire-stat-messages.js';
export { compareIps, replicaPosition, replicaShare, type ReplicaShareInput } from './gateway/replica-share.js';
export {
  DEFAULT_POD_PORT,
  DEFAULT_REVISION_TIMEOUT_SECONDS,
  readEndpoints,
  readEndpointSlice,
  readRevision,
  readRoute,
  readyIps,
  revisionKey,
  type PodAddress,
  type RevisionInfo,
  type RouteHosts,
} from './gateway/knative-objects.js';
export {
  addressKey,
  diffTopology,
  EMPTY_TOPOLOGY,
  loadBalancingFor,
  planTopology,
  resolveRevision,
  type DesiredBackend,
  type DesiredRevision,
  type GatewayTopology,
  type TopologyChange,
  type TopologyInput,
} from './gateway/gateway-topology.js';
export { ACTIVATOR_PROBE_USER_AGENT, probePod } from './gateway/pod-prober.js';
export {
  DEADLINE_ANNOTATION,
  DEFAULT_REVISION_SCHEDULING,
  PRIORITY_ANNOTATION,
  readRevisionScheduling,
  type IgnoredAnnotation,
  type RevisionScheduling,
} from './gateway/revision-scheduling.js';
export {
  createGatewayDiscovery,
  PRIVATE_SERVICE_SELECTOR,
  type GatewayDiscovery,
  type GatewayDiscoveryOptions,
} from './gateway/gateway-discovery.js';
export { createRevisionClassifier } from './gateway/revision-classifier.js';
export { applyTopologyChanges } from './gateway/apply-topology-changes.js';
export { readGatewayIdentity, type GatewayIdentity } from './gateway/gateway-identity.js';
export { readAutoscalerEndpoint, type AutoscalerEndpoint } from './gateway/autoscaler-endpoint.js';
export { AutoscalerReporter, type AutoscalerReporterOptions } from './gateway/autoscaler-reporter.js';
export { RevisionDemand, type RevisionWindow } from './gateway/revision-demand.js';
export { createGateway, type Gateway, type GatewayOptions } from './gateway/create-gateway.js';
