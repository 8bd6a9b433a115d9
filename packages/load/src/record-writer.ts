import { createWriteStream, type WriteStream } from 'node:fs';
import { RECORD_COLUMNS, type RecordColumn } from '@shortline/sim';
import type { LoadInvocation } from './invocation.js';
import type { InvocationResult } from './invocation-runner.js';

const ms = (value: number): string => (Number.isFinite(value) ? value.toFixed(3) : '');
const whole = (value: number): string => (Number.isFinite(value) ? String(Math.round(value)) : '');

/** Quotes a text cell only when it must be (RFC 4180), so that plain names stay plain. */
function text(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

type Cell = (invocation: LoadInvocation, result: InvocationResult) => string;

/** How each column of RECORD_COLUMNS is written; the Record type makes sure none is forgotten. */
const CELLS: Readonly<Record<RecordColumn, Cell>> = {
  id: (invocation) => String(invocation.id),
  function: (invocation) => text(invocation.functionName),
  route: (_, result) => text(result.route),
  body_bytes: (invocation) => whole(invocation.bodyBytes),
  scheduled_ms: (invocation) => ms(invocation.scheduledMs),
  sent_ms: (_, result) => ms(result.sentMs),
  duration_ms: (invocation) => ms(invocation.durationMs),
  status: (_, result) => String(result.status),
  latency_ms: (_, result) => ms(result.latencyMs),
  queue_ms: (_, result) => ms(result.queueMs),
  upstream_ms: (_, result) => ms(result.upstreamMs),
  cpu_ms: (_, result) => ms(result.cpuMs),
  peak_rss_kb: (_, result) => whole(result.peakRssKb),
  concurrency: (invocation) => (invocation.sweep === undefined ? '' : String(invocation.sweep.concurrency)),
  params: (invocation) => text(invocation.sweep?.paramsText ?? ''),
};

export const RECORDS_HEADER = RECORD_COLUMNS.join(',');

/** One row of records.csv, without its newline. */
export function recordLine(invocation: LoadInvocation, result: InvocationResult): string {
  return RECORD_COLUMNS.map((column) => CELLS[column](invocation, result)).join(',');
}

/**
 * Rows wait this long at most before they are written: one write per row costs the sending loop a
 * threadpool wake-up each (about 0.25 ms a row on the shared 2-core machine, measured), a batch one.
 */
const FLUSH_EVERY_MS = 100;

/**
 * Appends one row per settled invocation to records.csv, in batches written at least every
 * FLUSH_EVERY_MS, so that what a run has done is on disk even if it is killed (all but the last
 * moment of it; a stopped run writes everything). A new file starts with the header; a resumed
 * run appends.
 */
export class RecordWriter {
  readonly #stream: WriteStream;
  #error: Error | undefined;
  #batch = '';
  #timer: NodeJS.Timeout | undefined;

  private constructor(stream: WriteStream) {
    this.#stream = stream;
    stream.on('error', (error) => (this.#error ??= error));
  }

  /** Opens `file`: a new one (refused if it exists) or, with `append`, an existing one. */
  static async open(file: string, append: boolean): Promise<RecordWriter> {
    const stream = createWriteStream(file, { flags: append ? 'a' : 'wx' });
    await new Promise<void>((resolve, reject) => {
      stream.once('open', () => resolve());
      stream.once('error', reject);
    });
    const writer = new RecordWriter(stream);
    if (!append) stream.write(`${RECORDS_HEADER}\n`);
    return writer;
  }

  write(invocation: LoadInvocation, result: InvocationResult): void {
    this.#batch += `${recordLine(invocation, result)}\n`;
    if (this.#timer === undefined) {
      this.#timer = setTimeout(() => this.#flush(), FLUSH_EVERY_MS);
      this.#timer.unref();
    }
  }

  /** Writes what is left and closes; rejects if any write failed. */
  async close(): Promise<void> {
    this.#flush();
    await new Promise<void>((resolve) => this.#stream.end(() => resolve()));
    if (this.#error !== undefined) throw this.#error;
  }

  #flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#batch === '') return;
    this.#stream.write(this.#batch);
    this.#batch = '';
  }
}
