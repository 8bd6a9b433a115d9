import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { loadAzureTrace, readDurations, readInvocations, splitCsvLine, TraceFileError, TraceFormatError } from '../src/index.js';
import { DURATIONS_HEADER, durationsRow, invocationsHeader, invocationsRow, traceFolder } from './trace-fixtures.js';

const PERCENTILES = [1, 2, 5, 10, 20, 80, 400];

/** The error a promise rejects with, for asserting on its fields. */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the promise to reject');
}

describe('loadAzureTrace', () => {
  it('joins invocations and durations on HashFunction and accounts for what it skips', async () => {
    const dir = await traceFolder({
      'invocations.csv': [
        invocationsHeader(3, 480),
        invocationsRow('a', [1, 0, 2]),
        invocationsRow('b', [5, 5, 5], 'timer'),
        invocationsRow('no-durations', [7, 0, 0]),
        invocationsRow('never', [0, 0, 0]),
        invocationsRow('a', [9, 9, 9]),
      ],
      'durations.csv': [
        DURATIONS_HEADER,
        durationsRow('b', 30, PERCENTILES),
        durationsRow('a', 12, PERCENTILES),
        durationsRow('never', 5, PERCENTILES),
        durationsRow('unused', 5, PERCENTILES),
      ],
      'memory.csv': ['HashFunction,HashOwner,HashApp,SampleCount'],
    });
    const trace = await loadAzureTrace(dir);
    expect(trace.invocationsFile).toBe(join(dir, 'invocations.csv'));
    expect(trace.firstMinute).toBe('480');
    expect(trace.minutes).toBe(3);
    expect(trace.functions.map((fn) => [fn.hashFunction, fn.trigger, fn.total, fn.averageMs])).toEqual([
      ['a', 'http', 3, 12],
      ['b', 'timer', 15, 30],
    ]);
    expect(Array.from(trace.functions[0]?.perMinute ?? [])).toEqual([1, 0, 2]);
    expect(Array.from(trace.functions[1]?.percentilesMs ?? [])).toEqual(PERCENTILES);
    expect(trace.invocations).toBe(18);
    expect(trace.skipped).toEqual({ withoutDurations: 1, invocationsWithoutDurations: 7, neverInvoked: 1, duplicateRows: 1 });
  });

  it('accepts any number of minute columns, quoted fields and CRLF line ends', async () => {
    const minutes = 1440;
    const dir = await traceFolder({
      'invocations.csv': [invocationsHeader(minutes) + '\r', `"own,er","app","f""1",http,${Array(minutes).fill(1).join(',')}\r`],
      'durations.csv': [DURATIONS_HEADER + '\r', durationsRow('"f""1"', 3, PERCENTILES) + '\r'],
    });
    const trace = await loadAzureTrace(dir);
    expect(trace.functions[0]?.hashFunction).toBe('f"1');
    expect(trace.invocations).toBe(minutes);
  });

  it('reads one day of the full public trace by its file names', async () => {
    const dir = await traceFolder({
      'invocations_per_function_md.anon.d02.csv': [invocationsHeader(2), invocationsRow('x', [1, 2])],
      'function_durations_percentiles.anon.d02.csv': [DURATIONS_HEADER, durationsRow('x', 8, PERCENTILES)],
      'invocations_per_function_md.anon.d01.csv': [invocationsHeader(2), invocationsRow('y', [3, 3])],
      'function_durations_percentiles.anon.d01.csv': [DURATIONS_HEADER, durationsRow('y', 8, PERCENTILES)],
    });
    expect((await loadAzureTrace(dir)).functions[0]?.hashFunction).toBe('y');
    expect((await loadAzureTrace(dir, { day: 2 })).functions[0]?.hashFunction).toBe('x');
    const missingDay = await rejection(loadAzureTrace(dir, { day: 3 }));
    expect(missingDay).toBeInstanceOf(TraceFileError);
    expect(missingDay.message).toContain('d03');
  });

  it('names the folder when it holds no trace, and fails when nothing joins', async () => {
    const empty = await traceFolder({ 'notes.txt': ['hello'] });
    const error = await rejection(loadAzureTrace(empty));
    expect(error).toBeInstanceOf(TraceFileError);
    expect((error as TraceFileError).file).toBe(empty);
    expect((error as TraceFileError).code).toBe('SHORTLINE_TRACE_FILE');
    const disjoint = await traceFolder({
      'invocations.csv': [invocationsHeader(1), invocationsRow('a', [1])],
      'durations.csv': [DURATIONS_HEADER, durationsRow('b', 1, PERCENTILES)],
    });
    expect(await rejection(loadAzureTrace(disjoint))).toBeInstanceOf(TraceFileError);
    expect(await rejection(loadAzureTrace(join(empty, 'missing')))).toBeInstanceOf(TraceFileError);
  });
});

describe('malformed rows get an error naming the file and the line', () => {
  const invocationCases: [string, string[], number, string][] = [
    ['a negative count', [invocationsHeader(2), invocationsRow('a', [1, 2]), invocationsRow('b', [1, -3])], 3, 'minute column 2'],
    ['a count that is not a number', [invocationsHeader(2), '', invocationsRow('a', [1, 'x' as unknown as number])], 3, '"x"'],
    ['a missing field', [invocationsHeader(3), invocationsRow('a', [1, 2])], 2, 'expected 7 fields, found 6'],
    ['a wrong header', ['HashOwner,HashApp,Function,Trigger,1', invocationsRow('a', [1])], 1, 'HashFunction'],
    ['no minute columns', ['HashOwner,HashApp,HashFunction,Trigger', 'o,a,f,http'], 1, 'no per-minute columns'],
    ['an unterminated quote', [invocationsHeader(1), '"owner,app,f,http,1'], 2, 'unterminated'],
    ['an empty function hash', [invocationsHeader(1), invocationsRow('', [1])], 2, 'HashFunction is empty'],
  ];
  it.each(invocationCases)('invocations file with %s', async (_, lines, line, reason) => {
    const dir = await traceFolder({ 'invocations.csv': lines });
    const error = await rejection(readInvocations(join(dir, 'invocations.csv')));
    expect(error).toBeInstanceOf(TraceFormatError);
    const format = error as TraceFormatError;
    expect(format.code).toBe('SHORTLINE_TRACE_FORMAT');
    expect(format.file).toBe(join(dir, 'invocations.csv'));
    expect(format.line).toBe(line);
    expect(format.message).toContain(`${join(dir, 'invocations.csv')}:${line}:`);
    expect(format.message).toContain(reason);
  });

  const durationCases: [string, string[], number, string][] = [
    ['a missing percentile column', [DURATIONS_HEADER.replace(',percentile_Average_99', ''), 'o,a,f,1,1,1,1,1,1,1,1,1,1'], 1, 'percentile_Average_99'],
    ['decreasing percentiles', [DURATIONS_HEADER, durationsRow('a', 1, PERCENTILES), durationsRow('b', 1, [1, 2, 5, 4, 20, 80, 400])], 3, 'must not decrease'],
    ['a negative average', [DURATIONS_HEADER, durationsRow('a', -1, PERCENTILES)], 2, 'Average'],
    ['an empty percentile', [DURATIONS_HEADER, 'o,a,f,1,100,1,400,1,2,5,10,20,80,'], 2, 'percentile_Average_100'],
    ['too many fields', [DURATIONS_HEADER, durationsRow('a', 1, PERCENTILES) + ',9'], 2, 'expected 14 fields, found 15'],
  ];
  it.each(durationCases)('durations file with %s', async (_, lines, line, reason) => {
    const dir = await traceFolder({ 'durations.csv': lines });
    const error = await rejection(readDurations(join(dir, 'durations.csv')));
    expect(error).toBeInstanceOf(TraceFormatError);
    expect((error as TraceFormatError).line).toBe(line);
    expect(error.message).toContain(`durations.csv:${line}:`);
    expect(error.message).toContain(reason);
  });

  it('says so when a file is empty', async () => {
    const dir = await traceFolder({ 'invocations.csv': [], 'durations.csv': [] });
    expect(await rejection(readInvocations(join(dir, 'invocations.csv')))).toBeInstanceOf(TraceFileError);
    expect(await rejection(readDurations(join(dir, 'durations.csv')))).toBeInstanceOf(TraceFileError);
  });
});

describe('splitCsvLine', () => {
  it('splits plain and quoted fields', () => {
    expect(splitCsvLine('a,b,,c')).toEqual(['a', 'b', '', 'c']);
    expect(splitCsvLine('"a,b","say ""hi""",c')).toEqual(['a,b', 'say "hi"', 'c']);
    expect(splitCsvLine('"open,b')).toBeUndefined();
  });
});
