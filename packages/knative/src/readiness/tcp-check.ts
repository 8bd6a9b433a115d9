import net from 'node:net';
import type { ProbeAction } from './probe-spec.js';
import { CHECK_OK, checkFailed, type CheckOutcome } from './check-outcome.js';

type TcpAction = Extract<ProbeAction, { kind: 'tcp' }>;

/** Ready when a TCP connection opens. */
export function checkTcp(action: TcpAction, timeoutMs: number): Promise<CheckOutcome> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: action.host, port: action.port });
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`TCP probe timed out after ${timeoutMs} ms`)));
    socket.once('connect', () => {
      socket.destroy();
      resolve(CHECK_OK);
    });
    socket.once('error', (error) => resolve(checkFailed(error.message)));
  });
}
