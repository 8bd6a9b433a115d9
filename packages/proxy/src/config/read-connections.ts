import { CONFIG_DEFAULTS } from './config-defaults.js';
import type { ConfigSection } from './config-section.js';
import type { ConnectionsConfig } from './shortline-config.js';

const CONNECTION_KEYS = ['maxHeaderBytes', 'headersTimeoutMs', 'bodyIdleTimeoutMs'] as const;
/** Below this a browser's or an SDK's ordinary headers would not fit. */
const MIN_HEADER_BYTES = 1024;
/** Go's default (what Knative's queue-proxy allows); every held request may keep this much. */
const MAX_HEADER_BYTES = 1_048_576;

/** The `connections:` section: the limits that protect the data listener from its clients. */
export function readConnections(top: ConfigSection): ConnectionsConfig {
  const section = top.section('connections', CONNECTION_KEYS);
  const defaults = CONFIG_DEFAULTS.connections;
  return {
    maxHeaderBytes: section.integer('maxHeaderBytes', defaults.maxHeaderBytes, { min: MIN_HEADER_BYTES, max: MAX_HEADER_BYTES }),
    headersTimeoutMs: section.durationMs('headersTimeoutMs', defaults.headersTimeoutMs, { minExclusive: true }),
    bodyIdleTimeoutMs: section.durationMs('bodyIdleTimeoutMs', defaults.bodyIdleTimeoutMs),
  };
}
