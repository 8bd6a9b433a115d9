import type { Writable } from 'node:stream';
import { createLogger, type LoggingConfig, type Shortline } from '@shortline/proxy';

const LEVELS: Readonly<Record<number, string>> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
/** Fields every line has, or that the line's layout shows already. */
const SHOWN_APART = new Set(['level', 'time', 'pid', 'hostname', 'name', 'msg', 'err']);

function clock(time: unknown): string {
  return typeof time === 'number' ? new Date(time).toTimeString().slice(0, 8) : '--:--:--';
}

function value(field: unknown): string {
  return typeof field === 'string' && !/\s/.test(field) ? field : JSON.stringify(field);
}

/**
 * One log entry (pino's JSON) as a person reads it on a terminal: time, level, message, the other
 * fields as key=value, and an error's message lines indented below (its stack only where the logger
 * kept one: not for a refused configuration).
 */
export function formatLogLine(line: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line.endsWith('\n') ? line : `${line}\n`;
  }
  const level = LEVELS[entry['level'] as number] ?? String(entry['level']);
  const fields = Object.entries(entry)
    .filter(([key]) => !SHOWN_APART.has(key))
    .map(([key, field]) => `${key}=${value(field)}`);
  const head = [clock(entry['time']), level.padEnd(5), String(entry['msg'] ?? ''), ...fields].join(' ');
  const err = entry['err'] as { message?: string; stack?: string } | undefined;
  const detail = err === undefined ? [] : (err.stack ?? err.message ?? '').split('\n').map((text) => `    ${text}`);
  return [head, ...detail].join('\n') + '\n';
}

/**
 * The logger `shortline serve` and `demo` run with: JSON lines (for log collectors) unless `out` is a
 * terminal, where each line is written as text a person reads.
 */
export function createTerminalLogger(level: LoggingConfig['level'], out: Writable & { isTTY?: boolean } = process.stdout): Shortline['logger'] {
  if (out.isTTY !== true) return createLogger(level);
  return createLogger(level, { write: (line: string) => void out.write(formatLogLine(line)) });
}
