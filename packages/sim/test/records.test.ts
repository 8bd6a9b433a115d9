import { describe, expect, it } from '@jest/globals';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRecordsSchedule, Random, readRecords, RECORD_COLUMNS, runSimulation, TraceFormatError, type RecordColumn } from '../src/index.js';

/** A records.csv row from the cells given; the others empty. */
function row(cells: Partial<Record<RecordColumn, string | number>>): string {
  return RECORD_COLUMNS.map((column) => String(cells[column] ?? '')).join(',');
}

async function recordsFile(rows: readonly string[], header = RECORD_COLUMNS.join(',')): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'shortline-records-'));
  const file = join(dir, 'records.csv');
  await writeFile(file, [header, ...rows].join('\n') + '\n');
  return file;
}

describe('Random state', () => {
  it('a source made from another one\'s state continues its sequence exactly, through JSON', () => {
    const random = new Random(9);
    for (let i = 0; i < 100; i++) random.next();
    const copy = Random.fromState(JSON.parse(JSON.stringify(random.state())) as [number, number, number, number]);
    expect(Array.from({ length: 1000 }, () => copy.next())).toEqual(Array.from({ length: 1000 }, () => random.next()));
  });

  it('refuses a state that is not four unsigned 32-bit words, or all zero', () => {
    expect(() => Random.fromState([1, 2, 3] as unknown as [number, number, number, number])).toThrow(RangeError);
    expect(() => Random.fromState([1, 2, 3, -4])).toThrow(RangeError);
    expect(() => Random.fromState([0, 0, 0, 0])).toThrow(RangeError);
  });
});

describe('records of shortline load', () => {
  it('become a schedule: arrival = scheduled, duration = upstream else latency, route and size carried', async () => {
    const file = await recordsFile([
      row({ id: 1, function: 'b', route: '/b', scheduled_ms: 20, status: 200, latency_ms: 9, upstream_ms: 7.5 }),
      row({ id: 0, function: 'a', route: '/a', body_bytes: 512, scheduled_ms: 10, status: 200, latency_ms: 30 }),
      row({ id: 2, function: 'a', route: '/a', scheduled_ms: 30, status: 503, latency_ms: 1 }),
      row({ id: 3, function: 'a', scheduled_ms: 40, status: 'timeout' }),
      row({ id: 4, function: 'c', scheduled_ms: 50, status: 'not-sent' }),
    ]);
    const table = await readRecords(file);
    expect(table.length).toBe(5);
    const { schedule, records, skipped } = createRecordsSchedule(table);
    expect([records, skipped]).toEqual([5, 3]);
    expect(schedule.functions.map((fn) => fn.name)).toEqual(['a', 'b']);
    expect(Array.from(schedule.arrivalMs)).toEqual([10, 20]);
    expect(Array.from(schedule.durationMs)).toEqual([30, 7.5]);
    // Each record's route and body size become its request's features (records carry no method).
    expect(schedule.features?.map((features) => [features.path, features.query, features.contentLength])).toEqual([
      ['/a', '', 512],
      ['/b', '', -1],
    ]);
    expect(schedule.meanDurationMs).toBe(18.75);
    const result = runSimulation(schedule, { slots: 1, policies: [{ name: 'fifo' }], warmupFraction: 0 });
    expect(result.policies[0]?.metrics.completed).toBe(2);
  });

  it.each([
    [[row({ id: 0, function: 'a', scheduled_ms: 1, status: 'lost' })], 2, 'status must be an HTTP status or one of not-sent, timeout, refused, reset, aborted, error, found "lost"'],
    [[row({ id: 0, function: 'a', scheduled_ms: 'soon', status: 200 })], 2, 'scheduled_ms must be a number >= 0, found "soon"'],
    [[row({ id: 0, function: '', scheduled_ms: 1, status: 200 })], 2, 'function is empty'],
    [[row({ id: 0, function: 'a', scheduled_ms: 1, status: 200, latency_ms: -3 })], 2, 'latency_ms must be a number >= 0 or empty, found "-3"'],
    [[row({ id: 4, function: 'a', scheduled_ms: 1, status: 200 }), row({ id: 4, function: 'b', scheduled_ms: 2, status: 200 })], 3, 'id 4 appears twice (first on line 2)'],
    [['1,2,3'], 2, 'expected 15 fields, found 3'],
  ])('a bad line is an error naming file and line (%#)', async (rows, line, reason) => {
    const file = await recordsFile(rows);
    const error = await readRecords(file).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TraceFormatError);
    expect((error as TraceFormatError).message).toBe(`${file}:${line}: ${reason}`);
  });

  it('a file without the columns is refused at its header', async () => {
    const file = await recordsFile([], 'app,func,end_timestamp,duration');
    await expect(readRecords(file)).rejects.toThrow(`${file}:1: header lacks column(s) id, function, route,`);
  });

  it('records with no successful answer have nothing to simulate', async () => {
    const table = await readRecords(await recordsFile([row({ id: 0, function: 'a', scheduled_ms: 1, status: 'refused' })]));
    expect(() => createRecordsSchedule(table)).toThrow('has no successful invocation to simulate (of 1 records)');
  });
});
