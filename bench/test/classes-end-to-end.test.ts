import { describe, expect, test } from '@jest/globals';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '@shortline/proxy';
import { parseClassesArgs, type ClassesSettings } from '../classes/classes-options.js';
import { CLASSES_RECORD_COLUMNS } from '../classes/classes-records-csv.js';
import { runClassesBenchmark } from '../classes/run-classes-benchmark.js';

interface ReportJson {
  runs: Record<string, { hinted: boolean; live: Record<string, unknown>; simulated: Record<string, unknown>; learnt: { samples: number; classes: { key: string }[] } | null }>;
  routes: { route: string; calls: number }[];
  inputs: { invocations: number; warmup: number; slots: number };
}

describe('bench:classes end to end (real proxy process, real service backend, real sockets)', () => {
  test('a few dozen calls per run: every one answered with its scheduled duration, recorded and reported', async () => {
    const out = await mkdtemp(join(tmpdir(), 'shortline-bench-classes-'));
    try {
      const args = ['--invocations', '40', '--duration', '1', '--out', out];
      const logged: string[] = [];
      const outcome = await runClassesBenchmark(parseClassesArgs(args) as ClassesSettings, args.join(' '), {
        progress: { write: () => true, isTTY: false },
        log: (line) => logged.push(line),
      });

      expect((await readdir(outcome.dir)).sort()).toEqual(
        [
          'latency-cdf-live.svg',
          'latency-cdf-simulated.svg',
          'records.csv',
          'report.json',
          'report.md',
          'shortline-aging-srtf.yaml',
          'shortline-fifo.yaml',
          'shortline-oracle.yaml',
        ].sort(),
      );
      const report = JSON.parse(await readFile(join(outcome.dir, 'report.json'), 'utf8')) as ReportJson;
      expect(report.inputs).toMatchObject({ invocations: 40, warmup: 4, slots: 2 });
      for (const name of ['fifo', 'aging-srtf', 'oracle']) {
        const run = report.runs[name];
        // The backend computed every call's duration from its request, and it was the schedule's.
        expect(run?.live).toMatchObject({ completed: 36, errors: 0, durationMismatches: 0 });
        expect(run?.simulated).toMatchObject({ completed: 36 });
        // The proxy learnt from the schedule's 40 calls only: the injector's warm-up has a function of its own.
        expect(run?.learnt?.samples).toBe(40);
      }
      expect(report.runs['oracle']?.hinted).toBe(true);
      expect(report.runs['aging-srtf']?.learnt?.classes.map((entry) => entry.key)).toEqual(expect.arrayContaining(['GET /items/{n}']));
      expect(report.routes.reduce((sum, route) => sum + route.calls, 0)).toBe(36);

      // One catch-all function, no request classes configured; only the oracle trusts hints.
      const fifo = parseConfig(await readFile(join(outcome.dir, 'shortline-fifo.yaml'), 'utf8'), 'fifo');
      expect([fifo.defaultFunction, fifo.functions.find((fn) => fn.name === 'service')?.match]).toEqual(['service', {}]);
      expect([fifo.predictor.requestFeatures, fifo.predictor.features, fifo.trust.trustedSources]).toEqual([true, [], []]);
      const oracle = parseConfig(await readFile(join(outcome.dir, 'shortline-oracle.yaml'), 'utf8'), 'oracle');
      expect(oracle.trust.trustedSources.length).toBe(1);

      const [header, ...rows] = (await readFile(join(outcome.dir, 'records.csv'), 'utf8')).trimEnd().split('\n');
      expect(header).toBe(CLASSES_RECORD_COLUMNS.join(','));
      expect(rows).toHaveLength(120);
      const statuses = new Set(rows.map((row) => row.split(',')[CLASSES_RECORD_COLUMNS.indexOf('status')]));
      expect(statuses).toEqual(new Set(['200']));
      expect(await readFile(join(outcome.dir, 'report.md'), 'utf8')).toContain('| aging-srtf | live |');
      expect(logged.some((line) => line.startsWith('oracle: sending 40 calls'))).toBe(true);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
