import protobuf from 'protobufjs';

/** Knative's Stat and WireStatMessages messages, written out independently of the encoders under test. */
const root = protobuf.parse(
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
  message WireStatMessage {
    string namespace = 1;
    string name = 2;
    Stat stat = 3;
  }
  message WireStatMessages {
    repeated WireStatMessage messages = 1;
  }
`,
  { keepCase: true },
).root;
const Stat = root.lookupType('Stat');
const WireStatMessages = root.lookupType('WireStatMessages');

/** Decodes a protobuf Stat, every field present (zero when the wire left it out). */
export function decodeStat(bytes: Uint8Array): Record<string, unknown> {
  return Stat.toObject(Stat.decode(bytes), { defaults: true, longs: Number }) as Record<string, unknown>;
}

/** Decodes the autoscaler's WireStatMessages: one entry per revision, every Stat field present. */
export function decodeWireStatMessages(bytes: Uint8Array): { namespace: string; name: string; stat: Record<string, unknown> }[] {
  const decoded = WireStatMessages.toObject(WireStatMessages.decode(bytes), { defaults: true, longs: Number }) as {
    messages: { namespace: string; name: string; stat: Record<string, unknown> }[];
  };
  return decoded.messages;
}
