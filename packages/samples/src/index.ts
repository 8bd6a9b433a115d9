export { createSampleServer, type SampleServerOptions } from './create-sample-server.js';
export { DEFAULT_MAX_MS } from './duration-parameter.js';
export type { ListenOptions, RunningSample } from './running-sample.js';
export { DEFAULT_CAPACITY, isSampleKind, SAMPLE_KINDS, type SampleKind } from './sample-kind.js';
export { CAPACITY_PATH } from './modelled-handler.js';
export { SampleStartError, spawnSampleServer } from './spawn-sample-server.js';
export { startSampleServer } from './start-sample-server.js';
export { formatSampleUsage, parseSampleUsage, SAMPLE_USAGE_HEADER, startUsageMeter, type SampleUsage } from './sample-usage.js';
