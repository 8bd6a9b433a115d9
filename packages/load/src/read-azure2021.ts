import { readCsvRows, TraceFileError, TraceFormatError } from '@shortline/sim';
import { createInvocationTrace, type InvocationTrace, type TracedCall } from './invocation-trace.js';

/** The Azure Functions 2021 invocation trace: one row per call, times in seconds. */
export const AZURE2021_COLUMNS = ['app', 'func', 'end_timestamp', 'duration'] as const;

/**
 * Reads an Azure Functions 2021 invocation trace (`app,func,end_timestamp,duration`, columns found by
 * name): each call starts at end_timestamp − duration. Functions are named by their `func` hash.
 * A bad line is a TraceFormatError naming the file and line.
 */
export async function readAzure2021(file: string): Promise<InvocationTrace> {
  let columns: ReadonlyMap<string, number> | undefined;
  let width = 0;
  const calls: TracedCall[] = [];
  for await (const { fields, line } of readCsvRows(file)) {
    if (columns === undefined) {
      const found = new Map(fields.map((name, index) => [name.trim(), index]));
      const missing = AZURE2021_COLUMNS.filter((name) => !found.has(name));
      if (missing.length > 0) throw new TraceFormatError(file, line, `header lacks column(s) ${missing.join(', ')} (expected ${AZURE2021_COLUMNS.join(',')})`);
      columns = found;
      width = fields.length;
      continue;
    }
    if (fields.length !== width) throw new TraceFormatError(file, line, `expected ${width} fields, found ${fields.length}`);
    const at = columns;
    const cell = (name: (typeof AZURE2021_COLUMNS)[number]): string => (fields[at.get(name) as number] as string).trim();
    const seconds = (name: 'end_timestamp' | 'duration'): number => {
      const text = cell(name);
      const value = text === '' ? NaN : Number(text);
      if (!(Number.isFinite(value) && value >= 0)) throw new TraceFormatError(file, line, `${name} must be a number of seconds >= 0, found "${text}"`);
      return value;
    };
    const functionName = cell('func');
    if (functionName === '') throw new TraceFormatError(file, line, 'func is empty');
    const end = seconds('end_timestamp');
    const duration = seconds('duration');
    calls.push({ functionName, startMs: (end - duration) * 1000, durationMs: duration * 1000, bodyBytes: NaN });
  }
  if (columns === undefined) throw new TraceFileError(file, 'is empty (expected a header line)');
  if (calls.length === 0) throw new TraceFileError(file, 'has no invocations');
  return createInvocationTrace(file, calls);
}
