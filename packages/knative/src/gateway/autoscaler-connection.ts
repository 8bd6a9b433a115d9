import { REAL_TIMERS, type Shortline, type TimerHandle, type Timers } from '@shortline/proxy';
import { WebSocket } from 'undici';

export interface AutoscalerConnectionOptions {
  /** The autoscaler's stat server, e.g. ws://autoscaler.knative-serving.svc.cluster.local:8080 */
  readonly url: string;
  readonly logger: Shortline['logger'];
  /** Wait before reconnecting after the connection failed or closed. */
  readonly retryDelayMs?: number;
  readonly timers?: Timers;
}

/**
 * A websocket to the autoscaler's stat server that reconnects whenever it is lost, as the
 * activator's does. Stats sent while it is down are dropped: the next report carries the state.
 */
export class AutoscalerConnection {
  readonly #url: string;
  readonly #logger: Shortline['logger'];
  readonly #retryDelayMs: number;
  readonly #timers: Timers;
  #socket: WebSocket | undefined = undefined;
  #retryTimer: TimerHandle | undefined = undefined;
  #stopped = true;
  /** The last connect failed and was logged: the next failures of this outage stay at debug. */
  #down = false;

  constructor(options: AutoscalerConnectionOptions) {
    this.#url = options.url;
    this.#logger = options.logger;
    this.#retryDelayMs = options.retryDelayMs ?? 1000;
    this.#timers = options.timers ?? REAL_TIMERS;
  }

  get connected(): boolean {
    return this.#socket?.readyState === WebSocket.OPEN;
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#connect();
  }

  /** Sends one binary message; false (and nothing sent) while not connected. */
  send(message: Buffer): boolean {
    const socket = this.#socket;
    if (socket === undefined || socket.readyState !== WebSocket.OPEN) return false;
    socket.send(message);
    return true;
  }

  stop(): void {
    this.#stopped = true;
    if (this.#retryTimer !== undefined) this.#timers.clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    this.#socket?.close();
    this.#socket = undefined;
  }

  static #reconnect(connection: AutoscalerConnection): void {
    connection.#retryTimer = undefined;
    connection.#connect();
  }

  #connect(): void {
    const socket = new WebSocket(this.#url);
    this.#socket = socket;
    socket.addEventListener('open', () => {
      if (this.#down) this.#logger.info({ autoscaler: this.#url }, 'autoscaler stat server reachable again');
      this.#down = false;
    });
    socket.addEventListener('close', () => {
      if (this.#socket !== socket || this.#stopped) return;
      this.#socket = undefined;
      if (!this.#down) this.#logger.warn({ autoscaler: this.#url }, 'autoscaler stat server unreachable; retrying (revisions at zero are not woken meanwhile)');
      this.#down = true;
      this.#retryTimer = this.#timers.setTimeout(AutoscalerConnection.#reconnect, this.#retryDelayMs, this).unref();
    });
    // An error is followed by 'close', which schedules the retry.
    socket.addEventListener('error', () => undefined);
  }
}
