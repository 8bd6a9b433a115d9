import type { LoadBalancing, Priority } from '@shortline/core';
import type {
  ConnectionsConfig,
  DrainConfig,
  HintHeaders,
  LimitsConfig,
  ListenAddress,
  LoggingConfig,
  MatchRule,
  MetricsConfig,
  PredictorConfig,
  SchedulerConfig,
  ShortlineConfig,
  SidecarConfig,
  TimeoutsConfig,
  TracingConfig,
} from './shortline-config.js';
import { validateConfig } from './validate-config.js';

/** `autoConcurrency` as a program gives it: bounds for `concurrency: auto` (giving it implies auto). */
export interface AutoConcurrencyInput {
  readonly min?: number | undefined;
  readonly max?: number | undefined;
}

/** An entry of `pools:` as a program gives it; what it leaves out takes the default. */
export interface PoolInput {
  readonly name: string;
  readonly backends?: readonly string[] | undefined;
  readonly concurrency?: number | 'auto' | undefined;
  readonly autoConcurrency?: AutoConcurrencyInput | undefined;
  readonly loadBalancing?: LoadBalancing | undefined;
}

/** An entry of `functions:` as a program gives it: `pool`, or `backends` (and their concurrency) inline. */
export interface FunctionInput {
  readonly name: string;
  readonly match?: MatchRule | undefined;
  readonly pool?: string | undefined;
  readonly backends?: readonly string[] | undefined;
  readonly concurrency?: number | 'auto' | undefined;
  readonly autoConcurrency?: AutoConcurrencyInput | undefined;
  readonly loadBalancing?: LoadBalancing | undefined;
  readonly expectedDurationMs?: number | undefined;
  readonly maxQueued?: number | undefined;
  readonly maxQueueWaitMs?: number | undefined;
  readonly timeoutMs?: number | undefined;
  readonly priority?: Priority | undefined;
  readonly deadlineMs?: number | undefined;
}

/** Any part of a configuration; a whole ShortlineConfig is one too. An undefined key takes the default. */
export interface ConfigOverrides {
  readonly mode?: ShortlineConfig['mode'] | undefined;
  readonly listen?: Partial<ListenAddress> | undefined;
  readonly admin?: Partial<ListenAddress> | undefined;
  readonly scheduler?: Partial<SchedulerConfig> | undefined;
  readonly predictor?: Partial<PredictorConfig> | undefined;
  readonly timeouts?: Partial<TimeoutsConfig> | undefined;
  readonly drain?: Partial<DrainConfig> | undefined;
  readonly limits?: Partial<LimitsConfig> | undefined;
  readonly connections?: Partial<ConnectionsConfig> | undefined;
  readonly trust?:
    | { readonly trustedSources?: readonly string[] | undefined; readonly hintHeaders?: Partial<HintHeaders> | undefined }
    | undefined;
  readonly logging?: Partial<LoggingConfig> | undefined;
  readonly metrics?: Partial<MetricsConfig> | undefined;
  readonly tracing?: Partial<TracingConfig> | undefined;
  readonly sidecar?: Partial<SidecarConfig> | undefined;
  readonly pools?: readonly PoolInput[] | undefined;
  readonly functions?: readonly FunctionInput[] | undefined;
  readonly defaultFunction?: string | undefined;
}

/**
 * A complete, valid configuration: the defaults, with `overrides` applied key by key. The overrides
 * go through the same validation as a file, so a bad one throws the same ConfigError.
 */
export function defaultConfig(overrides: ConfigOverrides = {}): ShortlineConfig {
  return validateConfig(overrides, 'defaultConfig()');
}
