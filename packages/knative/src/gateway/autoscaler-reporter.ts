import { REAL_TIMERS, type ExchangeObserver, type Shortline, type Timers } from '@shortline/proxy';
import { Counter, Gauge } from 'prom-client';
import { encodeWireStatMessages, type RevisionStat } from '../stats/wire-stat-messages.js';
import { repeatEvery } from '../timers/repeat-every.js';
import { AutoscalerConnection } from './autoscaler-connection.js';
import { RevisionDemand, type RevisionWindow } from './revision-demand.js';

export interface AutoscalerReporterOptions {
  /** The autoscaler's stat server (ws://…:8080). */
  readonly url: string;
  /** The name the stats carry (the autoscaler counts senders by it): this gateway's pod name. */
  readonly podName: string;
  readonly logger: Shortline['logger'];
  /** Where its own metrics go: whether the stat server is reachable, and the reports sent and dropped. */
  readonly registry: Shortline['registry'];
  /** The clock of the windows, the reporting timer and the reconnect delay. Default: the process's. */
  readonly timers?: Timers;
  /** Knative reports every second. */
  readonly reportingPeriodMs?: number;
  readonly retryDelayMs?: number;
}

function revisionStat(key: string, podName: string, concurrency: number, requestsPerSecond: number): RevisionStat {
  const slash = key.indexOf('/');
  return {
    namespace: key.slice(0, slash),
    name: key.slice(slash + 1),
    stat: {
      podName,
      averageConcurrentRequests: concurrency,
      averageProxiedConcurrentRequests: 0,
      requestCount: requestsPerSecond,
      proxiedRequestCount: 0,
      processUptime: 0,
    },
  };
}

/**
 * Tells Knative's autoscaler the demand the gateway holds for each revision, as the activator does:
 * every period the time-weighted concurrency and request rate of each revision with traffic, and at
 * once when a revision without demand in the last period gets a request (one in flight, one per
 * second). That first report is what wakes a revision scaled to zero; its requests wait in the
 * queue meanwhile, until a pod is ready or their timeout passes.
 */
export class AutoscalerReporter {
  readonly observer: ExchangeObserver;
  readonly #podName: string;
  readonly #timers: Timers;
  readonly #periodMs: number;
  readonly #demand = new RevisionDemand();
  readonly #connection: AutoscalerConnection;
  readonly #reports: Counter<'result'>;
  #stopTimer: (() => void) | undefined = undefined;

  constructor(options: AutoscalerReporterOptions) {
    const timers = options.timers ?? REAL_TIMERS;
    this.#podName = options.podName;
    this.#timers = timers;
    this.#periodMs = options.reportingPeriodMs ?? 1000;
    this.#connection = new AutoscalerConnection({
      url: options.url,
      logger: options.logger,
      timers,
      ...(options.retryDelayMs === undefined ? {} : { retryDelayMs: options.retryDelayMs }),
    });
    const registers = [options.registry];
    const connection = this.#connection;
    new Gauge({
      name: 'shortline_autoscaler_connected',
      help: "1 while the websocket to Knative's autoscaler stat server is open (needed to wake revisions at zero), else 0.",
      registers,
      collect(this: Gauge) {
        this.set(connection.connected ? 1 : 0);
      },
    });
    this.#reports = new Counter({
      name: 'shortline_autoscaler_reports_total',
      help: "Demand reports to Knative's autoscaler: sent, or dropped while its stat server was unreachable.",
      labelNames: ['result'],
      registers,
    });
    this.observer = {
      classified: (exchange) => {
        if (this.#demand.arrived(exchange.functionName, timers.now())) this.#send([revisionStat(exchange.functionName, options.podName, 1, 1)]);
      },
      finished: (exchange) => {
        if (exchange.functionName !== '') this.#demand.finished(exchange.functionName, timers.now());
      },
    };
  }

  get connected(): boolean {
    return this.#connection.connected;
  }

  start(): void {
    this.#connection.start();
    this.#stopTimer ??= repeatEvery(this.#timers, this.#periodMs, () => this.report());
  }

  /** Closes the window now and sends what it saw (the timer calls it every period). */
  report(): void {
    const seconds = this.#periodMs / 1000;
    const windows = this.#demand.report(this.#timers.now());
    if (windows.length === 0) return;
    this.#send(windows.map(({ key, window }: RevisionWindow) => revisionStat(key, this.#podName, window.averageConcurrency, window.requestCount / seconds)));
  }

  stop(): void {
    this.#stopTimer?.();
    this.#stopTimer = undefined;
    this.#connection.stop();
  }

  #send(stats: readonly RevisionStat[]): void {
    this.#reports.inc({ result: this.#connection.send(encodeWireStatMessages(stats)) ? 'sent' : 'dropped' });
  }
}
