export * from './config/index.js';
export * from './classify/index.js';
export { createAdminServer, type AdminServerOptions } from './admin-server.js';
export { BackendRegistry, DEFAULT_EJECTION_MS, staticBackendId, type BackendSpec, type BackendView } from './backend-registry.js';
export { Exchange, UpstreamCallStopped, type ExchangeContext, type ExchangePhase } from './exchange.js';
export { FunctionNameTakenError } from './function-table.js';
export type { Layer, RequestHandler } from './handler.js';
export { REFUSALS, refusalBody, writeRefusal, type Refusal, type RefusalReason } from './http-errors.js';
export type { ExchangeObserver, ObservedExchange } from './lifecycle.js';
export { createLogger } from './logger.js';
export { FunctionMetrics, ProxyMetrics } from './metrics/proxy-metrics.js';
export { buildRequestPath, type RequestPathOptions } from './request-path.js';
export { functionOptions, policySpec } from './scheduler-config.js';
export {
  createShortline,
  type DebugSnapshot,
  type ListeningPorts,
  type RuntimeFunction,
  type Shortline,
  type ShortlineOptions,
} from './shortline.js';
export { Upstream } from './upstream.js';
