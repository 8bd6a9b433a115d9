import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { REFUSALS, refusalBody, type RefusalContext, type RefusalReason } from '../http-errors.js';
import type { ClientResponse, ResponseCloseListener } from './client-response.js';

function rawAnswer(status: number, headers: readonly string[], body: string): string {
  let head = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\n`;
  for (let i = 0; i < headers.length; i += 2) head += `${headers[i] as string}: ${headers[i + 1] as string}\r\n`;
  return `${head}connection: close\r\n\r\n${body}`;
}

/**
 * The client's side of an upgrade (WebSocket) request: a raw socket with no response object. What
 * the request path answers itself is written on it as a whole HTTP/1.1 answer, and the connection
 * closes; an upgrade that is relayed hands the socket to the relay instead.
 */
export class UpgradeResponse implements ClientResponse {
  readonly socket: Duplex;
  /** The bytes that came after the upgrade request's head: the relay sends them on first. */
  readonly head: Buffer;
  #status = 0;

  constructor(socket: Duplex, head: Buffer) {
    this.socket = socket;
    this.head = head;
  }

  attach(listener: ResponseCloseListener): void {
    this.socket.once('close', () => listener.responseClosed(this.#status !== 0));
  }

  get headersSent(): boolean {
    return this.#status !== 0;
  }

  /** The proxy's own answer's status; 0 while none was written (a relayed upgrade's is the backend's). */
  get status(): number {
    return this.#status;
  }

  refuse(reason: RefusalReason, context: RefusalContext): void {
    const refusal = REFUSALS[reason];
    const headers = ['x-request-id', context.requestId, 'x-shortline-reason', reason, 'server-timing', context.serverTiming];
    if (refusal.retryAfter) headers.push('retry-after', String(context.retryAfterSeconds));
    this.#answer(refusal.status, headers, refusalBody(reason, context.functionName, context.requestId));
  }

  reply(status: number, body: string, headers: Readonly<Record<string, string>> = {}): void {
    this.#answer(status, Object.entries(headers).flat(), body);
  }

  /** An upgrade's connection always closes after the proxy's own answer. */
  closeAfterAnswer(): void {}

  #answer(status: number, headers: readonly string[], body: string): void {
    if (this.#status !== 0) return;
    this.#status = status;
    if (this.socket.writable) this.socket.end(rawAnswer(status, headers, body));
    else this.socket.destroy();
  }
}
