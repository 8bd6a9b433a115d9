import protobuf from 'protobufjs';

/** Knative's Stat message, written out independently of the encoder under test. */
const Stat = protobuf.parse(
  `
  syntax = "proto3";
  message Stat {
    string pod_name = 1;
    double average_concurrent_requests = 2;
    double average_proxied_concurrent_requests = 3;
    double request_count = 4;
    double proxied_request_count = 5;
    double process_uptime = 6;
    int64 timestamp = 7;
  }
`,
  { keepCase: true },
).root.lookupType('Stat');

/** Decodes a protobuf Stat, every field present (zero when the wire left it out). */
export function decodeStat(bytes: Uint8Array): Record<string, unknown> {
  return Stat.toObject(Stat.decode(bytes), { defaults: true, longs: Number }) as Record<string, unknown>;
}
