import { readCsvRows } from './csv-lines.js';
import { TraceFileError, TraceFormatError } from './trace-errors.js';

/** The columns that come before the per-minute counts, in this order. */
export const INVOCATION_KEY_COLUMNS = ['HashOwner', 'HashApp', 'HashFunction', 'Trigger'] as const;

export interface FunctionInvocations {
  readonly hashOwner: string;
  readonly hashApp: string;
  readonly hashFunction: string;
  readonly trigger: string;
  /** Invocations in each minute of the trace window, in column order. */
  readonly perMinute: Uint32Array;
  readonly total: number;
}

export interface InvocationsTable {
  readonly file: string;
  /** The header of the first minute column (480 in the samples, 1 in a full day file). */
  readonly firstMinute: string;
  readonly minutes: number;
  readonly functions: readonly FunctionInvocations[];
  /** Rows whose HashFunction was already seen: skipped, the first row wins. */
  readonly duplicateRows: number;
}

/**
 * Reads an Azure Functions 2019 invocations file (HashOwner, HashApp, HashFunction, Trigger, then one
 * count column per minute, any number of them), streaming it line by line.
 */
export async function readInvocations(file: string): Promise<InvocationsTable> {
  let minutes = -1;
  let firstMinute = '';
  const functions: FunctionInvocations[] = [];
  const seen = new Set<string>();
  let duplicateRows = 0;
  for await (const { fields, line } of readCsvRows(file)) {
    if (minutes < 0) {
      INVOCATION_KEY_COLUMNS.forEach((name, index) => {
        if (fields[index]?.trim() !== name) {
          throw new TraceFormatError(file, line, `header column ${index + 1} must be ${name}, found "${fields[index] ?? ''}"`);
        }
      });
      minutes = fields.length - INVOCATION_KEY_COLUMNS.length;
      if (minutes < 1) throw new TraceFormatError(file, line, 'header has no per-minute columns after Trigger');
      firstMinute = (fields[INVOCATION_KEY_COLUMNS.length] as string).trim();
      continue;
    }
    if (fields.length !== minutes + INVOCATION_KEY_COLUMNS.length) {
      throw new TraceFormatError(file, line, `expected ${minutes + INVOCATION_KEY_COLUMNS.length} fields, found ${fields.length}`);
    }
    const [hashOwner, hashApp, hashFunction, trigger] = fields as [string, string, string, string];
    if (hashFunction === '') throw new TraceFormatError(file, line, 'HashFunction is empty');
    const perMinute = new Uint32Array(minutes);
    let total = 0;
    for (let minute = 0; minute < minutes; minute++) {
      const text = fields[minute + INVOCATION_KEY_COLUMNS.length] as string;
      const count = text === '' ? NaN : Number(text);
      if (!(Number.isInteger(count) && count >= 0 && count <= 0xffffffff)) {
        throw new TraceFormatError(file, line, `minute column ${minute + 1} must be a count (an integer >= 0), found "${text}"`);
      }
      perMinute[minute] = count;
      total += count;
    }
    if (seen.has(hashFunction)) {
      duplicateRows++;
      continue;
    }
    seen.add(hashFunction);
    functions.push({ hashOwner, hashApp, hashFunction, trigger, perMinute, total });
  }
  if (minutes < 0) throw new TraceFileError(file, 'is empty (expected a header line)');
  return { file, firstMinute, minutes, functions, duplicateRows };
}
