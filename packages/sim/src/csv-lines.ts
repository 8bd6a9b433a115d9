import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { TraceFileError, TraceFormatError } from './trace-errors.js';

export interface CsvRow {
  readonly fields: readonly string[];
  /** 1-based line number in the file, for error messages. */
  readonly line: number;
}

/**
 * Splits one CSV line (RFC 4180 fields: optionally double-quoted, "" for a quote inside quotes).
 * Returns undefined for an unterminated quote. Quoted fields spanning lines are not supported: the
 * Azure trace has none, and a line-by-line reader keeps memory flat on the full day files.
 */
export function splitCsvLine(line: string): string[] | undefined {
  if (!line.includes('"')) return line.split(',');
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quoted) {
      if (char !== '"') field += char;
      else if (line[i + 1] === '"') {
        field += '"';
        i++;
      } else quoted = false;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      fields.push(field);
      field = '';
    } else field += char;
  }
  if (quoted) return undefined;
  fields.push(field);
  return fields;
}

/**
 * Streams the rows of a CSV file, skipping blank lines. An unreadable file becomes a TraceFileError;
 * a broken quote a TraceFormatError naming the line.
 */
export async function* readCsvRows(file: string): AsyncGenerator<CsvRow> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    throw new TraceFileError(file, `cannot open: ${(error as Error).message}`, { cause: error });
  }
  const input = handle.createReadStream({ encoding: 'utf8' });
  const lines = createInterface({ input, crlfDelay: Infinity });
  let line = 0;
  try {
    for await (const text of lines) {
      line++;
      if (text.trim() === '') continue;
      const fields = splitCsvLine(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
      if (fields === undefined) throw new TraceFormatError(file, line, 'unterminated quoted field');
      yield { fields, line };
    }
  } catch (error) {
    if (error instanceof TraceFormatError) throw error;
    throw new TraceFileError(file, `cannot read: ${(error as Error).message}`, { cause: error });
  } finally {
    lines.close();
    input.destroy();
  }
}
