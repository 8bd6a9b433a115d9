import http2 from 'node:http2';
import type { Timers } from '@shortline/proxy';
import type { ProbeAction } from './probe-spec.js';
import { CHECK_OK, checkFailed, PROBE_USER_AGENT, type CheckOutcome } from './check-outcome.js';

type GrpcAction = Extract<ProbeAction, { kind: 'grpc' }>;

const SERVING = 1;

/**
 * grpc.health.v1.HealthCheckRequest { string service = 1; } in a gRPC length-prefixed frame.
 * The message is tiny and fixed, so it is encoded by hand rather than pulling in a gRPC stack.
 */
function healthCheckFrame(service: string): Buffer {
  const name = Buffer.from(service, 'utf8');
  if (name.length > 127) throw new RangeError('gRPC health service names longer than 127 bytes are not supported');
  const message = name.length === 0 ? Buffer.alloc(0) : Buffer.concat([Buffer.from([0x0a, name.length]), name]);
  const header = Buffer.alloc(5);
  header.writeUInt32BE(message.length, 1);
  return Buffer.concat([header, message]);
}

/** Reads `status` (field 1, varint) from a HealthCheckResponse frame; 0 (UNKNOWN) if absent. */
function servingStatus(body: Buffer): number {
  if (body.length < 5 || body[0] !== 0) return 0;
  const message = body.subarray(5, 5 + body.readUInt32BE(1));
  let offset = 0;
  while (offset < message.length) {
    const tag = message[offset++] as number;
    if (tag === 0x08) return (message[offset] as number) & 0x7f;
    const wireType = tag & 7;
    if (wireType === 0) {
      while (((message[offset++] as number) & 0x80) !== 0);
    } else if (wireType === 2) {
      offset += (message[offset] as number) + 1;
    } else {
      return 0;
    }
  }
  return 0;
}

/**
 * One grpc.health.v1.Health/Check call over h2c; ready when the status is SERVING. Its timeout is on
 * `timers`: an HTTP/2 session has no timeout of its own for a whole call (its setTimeout is for idleness).
 */
export function checkGrpc(action: GrpcAction, timeoutMs: number, timers: Timers): Promise<CheckOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    const session = http2.connect(`http://${action.host}:${action.port}`);
    const finish = (outcome: CheckOutcome): void => {
      if (settled) return;
      settled = true;
      timers.clearTimeout(timer);
      session.destroy();
      resolve(outcome);
    };
    const timer = timers.setTimeout(finish, timeoutMs, checkFailed(`gRPC probe timed out after ${timeoutMs} ms`));
    session.on('error', (error) => finish(checkFailed(error.message)));
    const stream = session.request({
      ':method': 'POST',
      ':path': '/grpc.health.v1.Health/Check',
      'content-type': 'application/grpc',
      te: 'trailers',
      'user-agent': PROBE_USER_AGENT,
    });
    const chunks: Buffer[] = [];
    let grpcStatus: string | undefined;
    stream.on('response', (headers) => {
      grpcStatus = headers['grpc-status'] as string | undefined;
    });
    stream.on('trailers', (trailers) => {
      grpcStatus = trailers['grpc-status'] as string | undefined;
    });
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('error', (error) => finish(checkFailed(error.message)));
    stream.on('end', () => {
      if (grpcStatus !== '0') return finish(checkFailed(`gRPC health check ended with grpc-status ${grpcStatus ?? '(none)'}`));
      const status = servingStatus(Buffer.concat(chunks));
      finish(status === SERVING ? CHECK_OK : checkFailed(`gRPC health status is ${status}, not SERVING`));
    });
    stream.end(healthCheckFrame(action.service));
  });
}
