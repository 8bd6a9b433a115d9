import type { ServerResponse } from 'node:http';
import type { Http2ServerResponse } from 'node:http2';
import { writeRefusal, type RefusalContext, type RefusalReason } from '../http-errors.js';
import { replyText } from '../reply-text.js';

/** Told once when the client's side of an exchange closes: `complete` if its answer was all written. */
export interface ResponseCloseListener {
  responseClosed(complete: boolean): void;
}

/**
 * The one owner of what the client is sent. Layers and the dispatch loop answer through it, never by
 * writing the response themselves, so every request is answered exactly once.
 */
export interface ClientResponse {
  /** Tells `listener` when the client's side closes; called once, by the exchange it belongs to. */
  attach(listener: ResponseCloseListener): void;
  /** The answer's head is out: from now on a failure can only cut the connection. */
  readonly headersSent: boolean;
  /** The status the client was answered with; 0 while no head is out. */
  readonly status: number;
  /** The proxy's own answer for `reason`; or, once the head is out, the connection cut. */
  refuse(reason: RefusalReason, context: RefusalContext): void;
  /** A layer's own short plain-text answer (a Knative probe's). */
  reply(status: number, body: string, headers?: Readonly<Record<string, string>>): void;
  /** Asks the client to close the connection after this answer (draining). */
  closeAfterAnswer(): void;
}

/** A node:http (or node:http2 compatibility) response, passed through from the backend or refused. */
export class HttpClientResponse implements ClientResponse {
  readonly res: ServerResponse;
  #listener: ResponseCloseListener | undefined = undefined;
  /** Its response waited behind another on the connection when it arrived. */
  #detached = false;
  #closed = false;
  #resume: (() => void) | undefined = undefined;

  constructor(res: ServerResponse) {
    this.res = res;
  }

  attach(listener: ResponseCloseListener): void {
    this.#listener = listener;
    const res = this.res;
    res.on('close', this.#onClose);
    // A pipelined request's response waits its turn detached, and Node never closes it if the
    // connection dies first: the connection's own close ends it then.
    this.#detached = res.socket === null;
    if (this.#detached) res.req.socket.once('close', this.#onClose);
  }

  get headersSent(): boolean {
    return this.res.headersSent;
  }

  get status(): number {
    return this.res.headersSent ? this.res.statusCode : 0;
  }

  refuse(reason: RefusalReason, context: RefusalContext): void {
    if (this.res.headersSent) this.cut();
    else writeRefusal(this.res, reason, context);
  }

  reply(status: number, body: string, headers: Readonly<Record<string, string>> = {}): void {
    replyText(this.res, status, body, headers);
  }

  closeAfterAnswer(): void {
    this.res.shouldKeepAlive = false;
  }

  /** The backend's response head, passed on. */
  head(status: number, statusText: string, headers: string[]): void {
    if (statusText === '') this.res.writeHead(status, headers);
    else this.res.writeHead(status, statusText, headers);
  }

  /** A chunk of the backend's body; false when the client is slower: `resume` is called once it drains. */
  write(chunk: Buffer, resume: () => void): boolean {
    if (this.res.write(chunk)) return true;
    if (this.#resume === undefined) this.res.on('drain', () => this.#resume?.());
    this.#resume = resume;
    return false;
  }

  /** The backend's response is complete; an HTTP/2 client also gets its trailers (gRPC's status). */
  end(trailers: Readonly<Record<string, string>> | undefined): void {
    if (trailers !== undefined && this.res.req.httpVersionMajor === 2) (this.res as unknown as Http2ServerResponse).addTrailers(trailers);
    this.res.end();
  }

  /** Cuts the connection, so that the client cannot take a short body for a whole one. */
  cut(): void {
    this.res.destroy();
  }

  readonly #onClose = (): void => {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#detached) this.res.req.socket.off('close', this.#onClose);
    this.#listener?.responseClosed(this.res.writableFinished);
  };
}
