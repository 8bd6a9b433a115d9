import { parseSampleUsage, SAMPLE_USAGE_HEADER } from '@shortline/samples';
import type { RecordStatus } from '@shortline/sim';
import { Agent } from 'undici';
import { failureOf } from './failure-of.js';
import type { HttpCall } from './request-builder.js';
import { serverTimingMs } from './server-timing.js';

/** What one request came to. Durations are ms; NaN where the answer did not say. */
export interface Answer {
  readonly status: RecordStatus;
  /** performance.now() when the body ended, or when the request failed. */
  readonly endedAt: number;
  /** Server-Timing `queue` and `upstream`: what a Shortline in the path reports. */
  readonly queueMs: number;
  readonly upstreamMs: number;
  /** What the project's sample servers report when asked (SAMPLE_USAGE_HEADER). */
  readonly cpuMs: number;
  readonly peakRssKb: number;
  /** The value of `captureHeader`, when asked for and present. */
  readonly captured: string | undefined;
}

export interface HttpClientOptions {
  /** Connections per origin; undefined: as many as there are requests in flight. */
  readonly connections?: number | undefined;
  /** No answer head within this long, or a body that stalls this long: a `timeout`. */
  readonly timeoutMs: number;
  /** A response header (lower case) to keep in `Answer.captured`. */
  readonly captureHeader?: string | undefined;
}

/** The bodies of answers are read to their end and dropped, however long: the end is what is timed. */
const WHOLE_BODY = { limit: Number.MAX_SAFE_INTEGER };

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

/**
 * The HTTP side of the injector: one undici Agent (keep-alive, no pipelining, a pool per origin),
 * every request bounded by the timeout, never throwing: a request that gets no answer resolves to
 * its failure class.
 */
export class HttpClient {
  readonly #agent: Agent;
  readonly #timeoutMs: number;
  readonly #capture: string | undefined;

  constructor(options: HttpClientOptions) {
    this.#agent = new Agent({ pipelining: 1, ...(options.connections === undefined ? {} : { connections: options.connections }) });
    this.#timeoutMs = options.timeoutMs;
    this.#capture = options.captureHeader;
  }

  async send(call: HttpCall): Promise<Answer> {
    try {
      const response = await this.#agent.request({
        origin: call.origin,
        path: call.path,
        method: call.method,
        headers: call.headers ?? null,
        body: call.body ?? null,
        headersTimeout: this.#timeoutMs,
        bodyTimeout: this.#timeoutMs,
      });
      const { headers } = response;
      const timing = headerText(headers['server-timing']);
      const usage = parseSampleUsage(headerText(headers[SAMPLE_USAGE_HEADER]));
      const captured = this.#capture === undefined ? undefined : headerText(headers[this.#capture]);
      await response.body.dump(WHOLE_BODY);
      return {
        status: response.statusCode,
        endedAt: performance.now(),
        queueMs: serverTimingMs(timing, 'queue'),
        upstreamMs: serverTimingMs(timing, 'upstream'),
        cpuMs: usage?.cpuMs ?? NaN,
        peakRssKb: usage?.peakRssKb ?? NaN,
        captured,
      };
    } catch (error) {
      return { status: failureOf(error), endedAt: performance.now(), queueMs: NaN, upstreamMs: NaN, cpuMs: NaN, peakRssKb: NaN, captured: undefined };
    }
  }

  /** Closes the connections once the requests on them have ended (at once if destroyed). */
  async close(): Promise<void> {
    if (!this.#agent.destroyed) await this.#agent.close();
  }

  /** Cuts every request still in flight (each resolves as a failure) and closes the connections. */
  destroy(): Promise<void> {
    return this.#agent.destroy();
  }
}
