import { lengthDelimitedField, stringField } from './protobuf-wire.js';
import { encodeStat, type Stat } from './stat-message.js';

/** One revision's Stat, as the activator sends it to the autoscaler. */
export interface RevisionStat {
  readonly namespace: string;
  readonly name: string;
  readonly stat: Stat;
}

/**
 * Encodes the autoscaler's `WireStatMessages` (knative.dev/serving/pkg/autoscaler/metrics, proto3):
 *   WireStatMessages { repeated WireStatMessage messages = 1 }
 *   WireStatMessage { string namespace = 1; string name = 2; Stat stat = 3 }
 * the binary websocket message the activator sends to the autoscaler's stat server.
 */
export function encodeWireStatMessages(messages: readonly RevisionStat[]): Buffer {
  return Buffer.concat(
    messages.map((message) =>
      lengthDelimitedField(
        1,
        Buffer.concat([stringField(1, message.namespace), stringField(2, message.name), lengthDelimitedField(3, encodeStat(message.stat))]),
      ),
    ),
  );
}
