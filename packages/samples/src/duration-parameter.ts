import type { IncomingMessage } from 'node:http';

/** Longest a sample function may be asked to take by default: 10 minutes. */
export const DEFAULT_MAX_MS = 600_000;

const DECIMAL = /^\d+(?:\.\d+)?$/;

/**
 * How long a request asks a sample function to take: `?ms=` in the query, else the `x-<kind>-ms`
 * header (`x-sleep-ms`, `x-spin-ms`), else 0. Returns why the value is unusable, naming the parameter.
 */
export function durationParameter(request: IncomingMessage, header: string, maxMs: number): { ms: number } | { problem: string } {
  const url = request.url ?? '';
  const query = url.indexOf('?');
  const fromQuery = query < 0 ? null : new URLSearchParams(url.slice(query + 1)).get('ms');
  const fromHeader = request.headers[header];
  const [name, raw] = fromQuery !== null ? ['ms', fromQuery] : [header, typeof fromHeader === 'string' ? fromHeader : undefined];
  if (raw === undefined) return { ms: 0 };
  const ms = DECIMAL.test(raw) ? Number(raw) : NaN;
  if (!(ms <= maxMs)) {
    return { problem: `${name} must be a number of milliseconds from 0 to ${maxMs}, got ${JSON.stringify(raw.slice(0, 40))}` };
  }
  return { ms };
}
