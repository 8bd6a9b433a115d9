import type { IncomingMessage } from 'node:http';
import type { TimerHandle, Timers } from '../timers/timers.js';

/** Told when the client stopped sending a body that is being read. */
export interface BodyIdleListener {
  bodyIdle(): void;
}

/**
 * Watches a request body while something reads it (the classifier, or the call to the backend): a
 * client that sent nothing for `idleMs`, while nothing it sent waits unread, has stalled. Checked
 * every `idleMs`; a backend that reads slower than the client sends is not the client's fault.
 */
export class BodyIdleWatch {
  readonly #req: IncomingMessage;
  readonly #listener: BodyIdleListener;
  readonly #timers: Timers;
  readonly #timer: TimerHandle;
  /** How far the body had come at the last check (see progress). */
  #seen: number;
  /** HTTP/2 only: body bytes counted since the watch began counting. */
  #h2Bytes = -1;
  #stopped = false;

  constructor(req: IncomingMessage, idleMs: number, timers: Timers, listener: BodyIdleListener) {
    this.#req = req;
    this.#listener = listener;
    this.#timers = timers;
    this.#seen = this.#progress();
    this.#timer = timers.setTimeout(BodyIdleWatch.#check, idleMs, this);
  }

  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#timers.clearTimeout(this.#timer);
  }

  /**
   * A count that grows while the body arrives; NaN when it cannot be told yet (then the check passes).
   * HTTP/1.1: the connection's bytes read. HTTP/2: the connection carries every stream, so the
   * stream's own chunks are counted, from the first check that finds the body flowing to its reader
   * (a 'data' listener added earlier would start the flow itself, before the reader is attached).
   */
  #progress(): number {
    const req = this.#req;
    if (req.httpVersionMajor === 1) return req.socket.bytesRead;
    if (this.#h2Bytes < 0 && req.readableFlowing === true) {
      this.#h2Bytes = 0;
      req.on('data', (chunk: Buffer) => {
        this.#h2Bytes += chunk.length;
      });
      return NaN;
    }
    return this.#h2Bytes < 0 ? NaN : this.#h2Bytes;
  }

  static #check(watch: BodyIdleWatch): void {
    const req = watch.#req;
    if (watch.#stopped || req.complete) {
      watch.#stopped = true;
      return;
    }
    const progress = watch.#progress();
    // Bytes arrived, or some wait unread because the reader is slower: not the client's fault.
    if (progress !== watch.#seen || req.readableLength > 0) {
      watch.#seen = progress;
      watch.#timer.refresh();
      return;
    }
    watch.#stopped = true;
    watch.#listener.bodyIdle();
  }
}
