import { varintLength, WIRE_FIXED64, WIRE_LENGTH_DELIMITED, writeVarint } from './protobuf-wire.js';

/**
 * The autoscaler's `Stat` message (knative.dev/serving/pkg/autoscaler/metrics, proto3):
 *   1 pod_name string, 2 average_concurrent_requests double, 3 average_proxied_concurrent_requests
 *   double, 4 request_count double (per second), 5 proxied_request_count double (per second),
 *   6 process_uptime double (seconds), 7 timestamp int64 (left unset, as the queue-proxy does).
 */
export interface Stat {
  readonly podName: string;
  readonly averageConcurrentRequests: number;
  readonly averageProxiedConcurrentRequests: number;
  readonly requestCount: number;
  readonly proxiedRequestCount: number;
  readonly processUptime: number;
}

/**
 * Encodes a Stat in protobuf wire format, fields in number order and zero values left out (proto3),
 * byte for byte what gogo/protobuf produces for the queue-proxy.
 */
export function encodeStat(stat: Stat): Buffer {
  const name = Buffer.from(stat.podName, 'utf8');
  const doubles: [field: number, value: number][] = [
    [2, stat.averageConcurrentRequests],
    [3, stat.averageProxiedConcurrentRequests],
    [4, stat.requestCount],
    [5, stat.proxiedRequestCount],
    [6, stat.processUptime],
  ];
  let size = name.length > 0 ? 1 + varintLength(name.length) + name.length : 0;
  for (const [, value] of doubles) if (value !== 0) size += 9;
  const out = Buffer.allocUnsafe(size);
  let offset = 0;
  if (name.length > 0) {
    out[offset++] = (1 << 3) | WIRE_LENGTH_DELIMITED;
    offset = writeVarint(out, offset, name.length);
    offset += name.copy(out, offset);
  }
  for (const [field, value] of doubles) {
    if (value === 0) continue;
    out[offset++] = (field << 3) | WIRE_FIXED64;
    out.writeDoubleLE(value, offset);
    offset += 8;
  }
  return out;
}
