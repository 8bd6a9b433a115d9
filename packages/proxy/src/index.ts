export * from './config/index.js';
export * from './classify/index.js';
export { createAdminServer, type AdminServerOptions } from './admin-server.js';
export type { DebugFunction } from './admin/debug-function.js';
export {
  createLiveQueue,
  type LiveCompletion,
  type LiveQueue,
  type LiveQueueOptions,
  type LiveQueueSnapshot,
  type LiveRequest,
} from './admin/live-queue.js';
export { staticBackendId, type BackendSpec } from './dispatch/backend-registry.js';
export { DEFAULT_EJECTION_MS, type BackendView, type SchedulerView } from './dispatch/dispatch-loop.js';
export { createDrainer, type Drainer, type DrainerOptions } from './drain/drainer.js';
export { QuietPeriod } from './drain/quiet-period.js';
export type { ClientResponse } from './exchange/client-response.js';
export { Exchange } from './exchange/exchange.js';
export { IllegalTransitionError, type ExchangePhase } from './exchange/exchange-phase.js';
export { FunctionNameTakenError } from './exchange/function-table.js';
export { UpstreamCallStopped } from './exchange/upstream-call.js';
export { REFUSALS, refusalBody, type Refusal, type RefusalReason } from './http-errors.js';
export type { ExchangeObserver, ObservedExchange } from './lifecycle.js';
export { closeServer, listenOn } from './listen.js';
export { createLogger } from './logger.js';
export { functionOptions, policySpec } from './dispatch/scheduler-config.js';
export { replyText } from './reply-text.js';
export type { Layer, RequestHandler } from './request-path/handler.js';
export {
  createShortline,
  type BackendControl,
  type DebugSnapshot,
  type DiscoveredFunction,
  type ListeningPorts,
  type Shortline,
  type ShortlineOptions,
} from './shortline.js';
export { ManualTimers } from './timers/manual-timers.js';
export { REAL_TIMERS, type TimerHandle, type Timers } from './timers/timers.js';
export { createRequestTracing, type RequestTracing, type RequestTracingOptions } from './tracing/request-tracing.js';
