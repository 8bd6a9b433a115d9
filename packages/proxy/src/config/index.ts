export { CONFIG_DEFAULTS, FUNCTION_DEFAULTS, POOL_DEFAULTS } from './config-defaults.js';
export { ConfigError, type ConfigErrorCode, type ConfigProblem } from './config-error.js';
export { MAX_DURATION_MS } from './config-section.js';
export { defaultConfig, type AutoConcurrencyInput, type ConfigOverrides, type FunctionInput, type PoolInput } from './default-config.js';
export { poolCapacity } from './pool-capacity.js';
export { loadConfigFile } from './load-config-file.js';
export { parseConfig } from './parse-config.js';
export { EMBEDDED_CONFIG_PATH, resolveConfigPath } from './resolve-config-path.js';
export { sameConfig } from './same-config.js';
export { createCidrMatcher, parseCidr, type CidrMatcher } from './cidr.js';
export type {
  AutoConcurrencyConfig,
  ConnectionsConfig,
  DrainConfig,
  FunctionConfig,
  HintHeaders,
  LimitsConfig,
  ListenAddress,
  LoggingConfig,
  MetricsConfig,
  MatchRule,
  PoolConfig,
  PredictorConfig,
  PredictorFeature,
  SchedulerConfig,
  ShortlineConfig,
  SidecarConfig,
  TimeoutsConfig,
  TracingConfig,
  TracingProtocol,
  TrustConfig,
} from './shortline-config.js';
export { watchConfigFile, type ConfigWatcher, type ConfigWatchHandlers, type WatchConfigOptions } from './watch-config-file.js';
