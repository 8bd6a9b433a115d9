import { describe, expect, test } from '@jest/globals';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPolicy } from '@shortline/core';
import { parsePoliciesArgs, type PoliciesSettings } from '../policies/policies-options.js';
import { RECORD_COLUMNS } from '../policies/records-csv.js';
import { runPoliciesBenchmark } from '../policies/run-policies-benchmark.js';
import { FIXTURE_FUNCTIONS, writeFixtureTrace } from './policies-fixture.js';

interface ReportJson {
  policies: Record<string, { parameters: Record<string, number>; live: Record<string, unknown>; simulated: Record<string, unknown> }>;
  inputs: { invocations: number; warmup: number; slots: number };
}

/** Runs fifo and aging-srtf on 40 invocations of the fixture trace, then checks the report folder. */
async function runAndCheck(trace: string, out: string): Promise<void> {
  const args = ['--trace', trace, '--invocations', '40', '--duration', '0.5', '--slots', '2', '--out', out];
  const logged: string[] = [];
  const outcome = await runPoliciesBenchmark(parsePoliciesArgs(args) as PoliciesSettings, args.join(' '), {
    progress: { write: () => true, isTTY: false },
    log: (line) => logged.push(line),
  });

  expect(outcome.dir.startsWith(out)).toBe(true);
  expect((await readdir(outcome.dir)).sort()).toEqual(
    [
      'latency-aging-srtf.hgrm',
      'latency-cdf-live.svg',
      'latency-cdf-simulated.svg',
      'latency-fifo.hgrm',
      'p99-by-size.svg',
      'records.csv',
      'report.json',
      'report.md',
      'shortline-aging-srtf.yaml',
      'shortline-fifo.yaml',
    ].sort(),
  );

  const report = JSON.parse(await readFile(join(outcome.dir, 'report.json'), 'utf8')) as ReportJson;
  expect(report.inputs).toMatchObject({ invocations: 40, warmup: 4, slots: 2 });
  for (const name of ['fifo', 'aging-srtf'] as const) {
    const policy = report.policies[name];
    expect(policy?.live).toMatchObject({ completed: 36, errors: 0 });
    expect(policy?.simulated).toMatchObject({ completed: 36, errors: 0 });
    // The proxy ran the very parameters the simulator was given (checked against /debug/queue).
    expect(Object.keys(policy?.parameters ?? {})).toEqual(Object.keys(createPolicy(name).parameters));
  }

  const [header, ...rows] = (await readFile(join(outcome.dir, 'records.csv'), 'utf8')).trimEnd().split('\n');
  expect(header).toBe(RECORD_COLUMNS.join(','));
  expect(rows).toHaveLength(80);
  const cells = rows.map((row) => row.split(','));
  expect(new Set(cells.map((cell) => cell[RECORD_COLUMNS.indexOf('status')]))).toEqual(new Set(['200']));
  expect(new Set(cells.map((cell) => cell[RECORD_COLUMNS.indexOf('function')]))).toEqual(new Set(FIXTURE_FUNCTIONS.map((fn) => fn.hash)));
  // Every answer carried the proxy's Server-Timing.
  expect(cells.every((cell) => cell[RECORD_COLUMNS.indexOf('queue_wait_ms')] !== '' && cell[RECORD_COLUMNS.indexOf('service_ms')] !== '')).toBe(true);

  expect(await readFile(join(outcome.dir, 'report.md'), 'utf8')).toContain('| fifo | live |');
  expect(logged.some((line) => line.startsWith('fifo: sending 40 invocations'))).toBe(true);
}

describe('bench:policies end to end (real proxy process, real function server, real sockets)', () => {
  test('a few dozen invocations per policy: every one answered, recorded and reported', async () => {
    const trace = await writeFixtureTrace();
    const out = await mkdtemp(join(tmpdir(), 'shortline-bench-results-'));
    try {
      await runAndCheck(trace, out);
    } finally {
      await Promise.all([rm(trace, { recursive: true, force: true }), rm(out, { recursive: true, force: true })]);
    }
  });
});
