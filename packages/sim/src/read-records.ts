import { readCsvRows } from './csv-lines.js';
import { RECORD_COLUMNS, RECORD_FAILURES, type RecordColumn, type RecordFailure, type RecordStatus } from './record-columns.js';
import { TraceFileError, TraceFormatError } from './trace-errors.js';

/** A records.csv, column by column, in file order. Numbers are NaN where a cell is empty. */
export interface RecordsTable {
  readonly file: string;
  readonly length: number;
  readonly id: Float64Array;
  readonly functionName: readonly string[];
  readonly route: readonly (string | undefined)[];
  readonly bodyBytes: Float64Array;
  readonly scheduledMs: Float64Array;
  readonly sentMs: Float64Array;
  readonly durationMs: Float64Array;
  readonly status: readonly RecordStatus[];
  readonly latencyMs: Float64Array;
  readonly queueMs: Float64Array;
  readonly upstreamMs: Float64Array;
  readonly cpuMs: Float64Array;
  readonly peakRssKb: Float64Array;
  readonly concurrency: Float64Array;
  readonly params: readonly string[];
}

/** The columns that hold a number or nothing, and the field each fills. */
const OPTIONAL_NUMBERS = {
  body_bytes: 'bodyBytes',
  sent_ms: 'sentMs',
  duration_ms: 'durationMs',
  latency_ms: 'latencyMs',
  queue_ms: 'queueMs',
  upstream_ms: 'upstreamMs',
  cpu_ms: 'cpuMs',
  peak_rss_kb: 'peakRssKb',
  concurrency: 'concurrency',
} as const satisfies Partial<Record<RecordColumn, keyof RecordsTable>>;

type NumberField = (typeof OPTIONAL_NUMBERS)[keyof typeof OPTIONAL_NUMBERS];

const isFailure = (text: string): text is RecordFailure => (RECORD_FAILURES as readonly string[]).includes(text);

function parseStatus(text: string): RecordStatus | undefined {
  if (isFailure(text)) return text;
  const status = /^\d{3}$/.test(text) ? Number(text) : NaN;
  return status >= 100 && status <= 599 ? status : undefined;
}

/**
 * Reads a records.csv of `shortline load` (columns found by name; extra columns are ignored). A bad
 * cell, a missing column or an id seen twice is a TraceFormatError naming the file and line.
 */
export async function readRecords(file: string): Promise<RecordsTable> {
  let columns: ReadonlyMap<string, number> | undefined;
  let width = 0;
  const numbers = Object.fromEntries(Object.values(OPTIONAL_NUMBERS).map((field) => [field, [] as number[]])) as Record<NumberField, number[]>;
  const id: number[] = [];
  const scheduledMs: number[] = [];
  const functionName: string[] = [];
  const route: (string | undefined)[] = [];
  const status: RecordStatus[] = [];
  const params: string[] = [];
  const firstLineOf = new Map<number, number>();
  for await (const { fields, line } of readCsvRows(file)) {
    if (columns === undefined) {
      const found = new Map(fields.map((name, index) => [name.trim(), index]));
      const missing = RECORD_COLUMNS.filter((name) => !found.has(name));
      if (missing.length > 0) throw new TraceFormatError(file, line, `header lacks column(s) ${missing.join(', ')} (is this a records.csv of shortline load?)`);
      columns = found;
      width = fields.length;
      continue;
    }
    if (fields.length !== width) throw new TraceFormatError(file, line, `expected ${width} fields, found ${fields.length}`);
    const at = columns;
    const cell = (name: RecordColumn): string => fields[at.get(name) as number] as string;
    const number = (name: RecordColumn, required: boolean): number => {
      const text = cell(name);
      if (text === '' && !required) return NaN;
      const value = text === '' ? NaN : Number(text);
      if (!(Number.isFinite(value) && value >= 0)) throw new TraceFormatError(file, line, `${name} must be a number >= 0${required ? '' : ' or empty'}, found "${text}"`);
      return value;
    };
    const invocation = number('id', true);
    if (!Number.isSafeInteger(invocation)) throw new TraceFormatError(file, line, `id must be an integer, found "${cell('id')}"`);
    const seenOn = firstLineOf.get(invocation);
    if (seenOn !== undefined) throw new TraceFormatError(file, line, `id ${invocation} appears twice (first on line ${seenOn})`);
    firstLineOf.set(invocation, line);
    const name = cell('function');
    if (name === '') throw new TraceFormatError(file, line, 'function is empty');
    const parsedStatus = parseStatus(cell('status'));
    if (parsedStatus === undefined) {
      throw new TraceFormatError(file, line, `status must be an HTTP status or one of ${RECORD_FAILURES.join(', ')}, found "${cell('status')}"`);
    }
    id.push(invocation);
    functionName.push(name);
    route.push(cell('route') === '' ? undefined : cell('route'));
    scheduledMs.push(number('scheduled_ms', true));
    status.push(parsedStatus);
    params.push(cell('params'));
    for (const [column, field] of Object.entries(OPTIONAL_NUMBERS) as [RecordColumn, NumberField][]) numbers[field].push(number(column, false));
  }
  if (columns === undefined) throw new TraceFileError(file, 'is empty (expected a header line)');
  const floats = Object.fromEntries(Object.entries(numbers).map(([field, values]) => [field, Float64Array.from(values)])) as Record<NumberField, Float64Array>;
  return {
    file,
    length: id.length,
    id: Float64Array.from(id),
    functionName,
    route,
    scheduledMs: Float64Array.from(scheduledMs),
    status,
    params,
    ...floats,
  };
}
