/** The few pieces of the protobuf wire format that Knative's stat messages need. */

export const WIRE_FIXED64 = 1;
export const WIRE_LENGTH_DELIMITED = 2;

export function varintLength(value: number): number {
  let length = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 128);
    length++;
  }
  return length;
}

/** Writes `value` (a non-negative integer) as a varint at `offset`; returns the offset after it. */
export function writeVarint(target: Buffer, offset: number, value: number): number {
  while (value >= 0x80) {
    target[offset++] = (value & 0x7f) | 0x80;
    value = Math.floor(value / 128);
  }
  target[offset++] = value;
  return offset;
}

/** A length-delimited field (string, bytes, embedded message): tag, length, payload. */
export function lengthDelimitedField(field: number, payload: Buffer): Buffer {
  const out = Buffer.allocUnsafe(1 + varintLength(payload.length) + payload.length);
  out[0] = (field << 3) | WIRE_LENGTH_DELIMITED;
  payload.copy(out, writeVarint(out, 1, payload.length));
  return out;
}

/** A proto3 string field: left out when empty. */
export function stringField(field: number, value: string): Buffer {
  return value === '' ? Buffer.alloc(0) : lengthDelimitedField(field, Buffer.from(value, 'utf8'));
}
