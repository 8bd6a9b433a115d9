import { describe, expect, test } from '@jest/globals';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TraceFileError, TraceFormatError } from '@shortline/sim';
import { openTraceSchedule, readAzure2021, readRecordsTrace, recordLine, RECORDS_HEADER, type InvocationResult, type TraceWorkloadSettings } from '../src/index.js';
import { azure2021Fixture } from './fixtures.js';

async function file(name: string, lines: readonly string[]): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'shortline-trace-')), name);
  await writeFile(path, lines.join('\n') + '\n');
  return path;
}

const result = (overrides: Partial<InvocationResult>): InvocationResult => ({
  status: 200,
  sentMs: 1,
  latencyMs: 9,
  route: '/a',
  queueMs: NaN,
  upstreamMs: NaN,
  cpuMs: NaN,
  peakRssKb: NaN,
  captured: undefined,
  ...overrides,
});

describe('Azure Functions 2021 invocation traces', () => {
  test('each call starts at end − duration; calls are sorted by start, functions named by func', async () => {
    const trace = await readAzure2021(await azure2021Fixture([
      { func: 'f1', end: 5, duration: 1 },
      { func: 'f2', end: 3.5, duration: 0.5 },
    ]));
    expect(trace.functions).toEqual(['f2', 'f1']);
    expect(Array.from(trace.startMs)).toEqual([0, 1000]);
    expect(Array.from(trace.durationMs)).toEqual([500, 1000]);
  });

  test.each([
    [['a1,f1,12,x'], 3, 'duration must be a number of seconds >= 0, found "x"'],
    [['a1,f1,-1,1'], 3, 'end_timestamp must be a number of seconds >= 0, found "-1"'],
    [['a1,,12,1'], 3, 'func is empty'],
    [['a1,f1,12'], 3, 'expected 4 fields, found 3'],
  ])('a bad line is a TraceFormatError naming file and line (%#)', async (extra, line, reason) => {
    const path = await azure2021Fixture([{ func: 'f0', end: 1, duration: 0.1 }], extra);
    const error = await readAzure2021(path).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TraceFormatError);
    expect((error as Error).message).toBe(`${path}:${line}: ${reason}`);
  });

  test('a header without the columns names the ones missing', async () => {
    const path = await file('calls.csv', ['app,func,end', 'a,f,1']);
    await expect(readAzure2021(path)).rejects.toThrow(`${path}:1: header lacks column(s) end_timestamp, duration`);
  });
});

describe('records of an earlier run as a trace', () => {
  test('each invocation at its scheduled time with the duration it stood for, else the time it took', async () => {
    const at = (id: number, scheduledMs: number, durationMs: number): Parameters<typeof recordLine>[0] => ({ id, functionName: 'f', scheduledMs, durationMs, bodyBytes: id === 0 ? 64 : NaN });
    const path = await file('records.csv', [
      RECORDS_HEADER,
      recordLine(at(1, 30, NaN), result({ upstreamMs: 7 })),
      recordLine(at(0, 10, 4), result({})),
      recordLine(at(2, 50, NaN), result({ latencyMs: 11 })),
    ]);
    const trace = await readRecordsTrace(path);
    expect(Array.from(trace.startMs)).toEqual([0, 20, 40]);
    expect(Array.from(trace.durationMs)).toEqual([4, 7, 11]);
    expect(Array.from(trace.bodyBytes)).toEqual([64, NaN, NaN]);
  });
});

describe('telling the format', () => {
  const settings = (path: string): TraceWorkloadSettings => ({
    kind: 'trace',
    path,
    format: undefined,
    mode: 'replay',
    rate: undefined,
    timeScale: 1,
    durationS: undefined,
    invocations: undefined,
    seed: 1,
  });

  test('a file is told by its header; one that is neither format is refused', async () => {
    expect((await openTraceSchedule(settings(await azure2021Fixture([{ func: 'f', end: 1, duration: 1 }])), NaN)).format).toBe('azure2021');
    const path = await file('other.csv', ['a,b,c', '1,2,3']);
    await expect(openTraceSchedule(settings(path), NaN)).rejects.toThrow(`${path}: cannot tell its format from its first line`);
  });

  test('a path that is not there is a TraceFileError naming it', async () => {
    await expect(openTraceSchedule(settings('/nonexistent/shortline-trace.csv'), NaN)).rejects.toBeInstanceOf(TraceFileError);
  });
});
