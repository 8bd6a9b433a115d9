import { readCsvRows } from './csv-lines.js';
import { PERCENTILE_POINTS } from './percentile-sampler.js';
import { TraceFileError, TraceFormatError } from './trace-errors.js';

/** The percentile columns, in the order of PERCENTILE_POINTS. */
export const PERCENTILE_COLUMNS = PERCENTILE_POINTS.map((point) => `percentile_Average_${Math.round(point * 100)}`);
const REQUIRED_COLUMNS = ['HashFunction', 'Average', 'Count', 'Minimum', 'Maximum', ...PERCENTILE_COLUMNS];

export interface FunctionDurations {
  readonly hashFunction: string;
  /** Mean execution time in ms over the day. */
  readonly averageMs: number;
  /** Execution time in ms at each of PERCENTILE_POINTS. */
  readonly percentilesMs: Float64Array;
}

export interface DurationsTable {
  readonly file: string;
  readonly functions: ReadonlyMap<string, FunctionDurations>;
  /** Rows whose HashFunction was already seen: skipped, the first row wins. */
  readonly duplicateRows: number;
}

/**
 * Reads an Azure Functions 2019 durations file (HashOwner, HashApp, HashFunction, Average, Count,
 * Minimum, Maximum, percentile_Average_{0,1,25,50,75,99,100}; columns found by name).
 */
export async function readDurations(file: string): Promise<DurationsTable> {
  let columns: Map<string, number> | undefined;
  let width = 0;
  const functions = new Map<string, FunctionDurations>();
  let duplicateRows = 0;
  for await (const { fields, line } of readCsvRows(file)) {
    if (columns === undefined) {
      columns = new Map(fields.map((name, index) => [name.trim(), index]));
      const missing = REQUIRED_COLUMNS.filter((name) => !columns?.has(name));
      if (missing.length > 0) throw new TraceFormatError(file, line, `header lacks column(s) ${missing.join(', ')}`);
      width = fields.length;
      continue;
    }
    if (fields.length !== width) throw new TraceFormatError(file, line, `expected ${width} fields, found ${fields.length}`);
    const column = columns;
    const numberAt = (name: string): number => {
      const text = fields[column.get(name) as number] as string;
      const value = text === '' ? NaN : Number(text);
      if (!(Number.isFinite(value) && value >= 0)) throw new TraceFormatError(file, line, `${name} must be a number >= 0, found "${text}"`);
      return value;
    };
    const hashFunction = fields[column.get('HashFunction') as number] as string;
    if (hashFunction === '') throw new TraceFormatError(file, line, 'HashFunction is empty');
    const averageMs = numberAt('Average');
    for (const name of ['Count', 'Minimum', 'Maximum']) numberAt(name);
    const percentilesMs = Float64Array.from(PERCENTILE_COLUMNS, numberAt);
    for (let i = 1; i < percentilesMs.length; i++) {
      if ((percentilesMs[i] as number) < (percentilesMs[i - 1] as number)) {
        throw new TraceFormatError(file, line, `${PERCENTILE_COLUMNS[i]} is below ${PERCENTILE_COLUMNS[i - 1]}: percentiles must not decrease`);
      }
    }
    if (functions.has(hashFunction)) {
      duplicateRows++;
      continue;
    }
    functions.set(hashFunction, { hashFunction, averageMs, percentilesMs });
  }
  if (columns === undefined) throw new TraceFileError(file, 'is empty (expected a header line)');
  return { file, functions, duplicateRows };
}
