export { TraceFileError, TraceFormatError } from './trace-errors.js';
export { readCsvRows, splitCsvLine, type CsvRow } from './csv-lines.js';
export { readInvocations, INVOCATION_KEY_COLUMNS, type FunctionInvocations, type InvocationsTable } from './read-invocations.js';
export { readDurations, PERCENTILE_COLUMNS, type DurationsTable, type FunctionDurations } from './read-durations.js';
export { loadAzureTrace, type AzureTrace, type LoadAzureTraceOptions, type TraceFunction } from './load-azure-trace.js';
export { PercentileSampler, PERCENTILE_POINTS, MIN_TRACE_DURATION_MS } from './percentile-sampler.js';
export { normalQuantile } from './normal-quantile.js';
export { Random, type RandomState } from './random.js';
export { MixArrivals } from './mix-arrivals.js';
export { drawReplayMinute, minuteCount, type ReplayMinuteOutput } from './replay-minute.js';
export type { DrawnRequest, Workload, WorkloadFunction } from './workload.js';
export { createRequestWorkload, type RequestRoute } from './request-workload.js';
export { serviceBaseMs } from './service-routes.js';
export { createTraceWorkload, type TraceWorkload } from './trace-workload.js';
export {
  createSyntheticWorkload,
  parseSyntheticSpec,
  SYNTHETIC_KINDS,
  SyntheticSpecError,
  type SyntheticKind,
  type SyntheticSpec,
  type SyntheticWorkload,
} from './synthetic-workload.js';
export { createMixSchedule, createReplaySchedule, type Schedule, type ScheduleOptions } from './schedule.js';
export { createBurstySchedule, DEFAULT_BURSTS, type BurstOptions } from './bursty-schedule.js';
export {
  ORACLE,
  runPolicy,
  type PolicyRun,
  type PriorSource,
  type FunctionSettings,
  type RunPolicyOptions,
  type SimulatedPolicy,
  type SimulatedPolicyName,
} from './run-policy.js';
export {
  LARGEST_SHARE,
  largestByDuration,
  percentile,
  SLOWDOWN_FLOOR_MS,
  summarizeRun,
  type PolicyMetrics,
  type RunSummary,
} from './metrics.js';
export { DEFAULT_WARMUP_FRACTION, runSimulation, type PolicyResult, type SimulationOptions, type SimulationResult } from './run-simulation.js';
export { formatResultTable } from './format-table.js';
export { summarizeFairness, type DeadlineMetrics, type FairnessMetrics, type FairnessSummaryOptions, type TierMetrics } from './fairness-metrics.js';
export { createWaitBound, type WaitBound } from './wait-bound.js';
export { formatFairnessTables } from './format-fairness-tables.js';
export { createFairnessReport } from './fairness-report.js';
export { renderLatencyCdfSvg, type LatencyCdfSvgOptions, type LatencyCurve } from './latency-cdf-svg.js';
export { createSimulationReport, type SimulationReport } from './simulation-report.js';
export {
  isSuccess,
  RECORD_COLUMNS,
  RECORD_FAILURES,
  statusClass,
  type RecordColumn,
  type RecordFailure,
  type RecordStatus,
} from './record-columns.js';
export { numberFunctions } from './number-functions.js';
export { readRecords, type RecordsTable } from './read-records.js';
export { createRecordsSchedule, type RecordsSchedule } from './records-schedule.js';
export {
  CONTAINER_MODEL_KINDS,
  ContainerSpecError,
  formatContainerModelSpec,
  parseContainerModelSpec,
  type ContainerModel,
  type ContainerModelKind,
  type ContainerModelSpec,
} from './container-model.js';
export { createContainerModel } from './create-container-model.js';
export { SequentialWorkers } from './sequential-workers.js';
export { ProcessorSharing } from './processor-sharing.js';
export { IoBoundContainer } from './io-bound-container.js';
export { runContainer, type CapacityChange, type ContainerRun, type ContainerRunOptions, type LimitStep } from './run-container.js';
export { summarizeContainerRun, type ContainerMetrics, type ContainerSummary } from './container-metrics.js';
export {
  compareConcurrency,
  concurrencyName,
  type ConcurrencyChoice,
  type ConcurrencyComparison,
  type ConcurrencyComparisonOptions,
  type ConcurrencyRow,
} from './compare-concurrency.js';
export { formatConcurrencyTable } from './format-concurrency-table.js';
