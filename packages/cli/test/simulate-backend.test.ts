// `shortline simulate --backend`: one modelled container, compared across concurrency settings.
import { describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simulate } from './support/run-simulate.js';

const MIX = ['--synthetic', 'bimodal:short=5,long=250,long-share=0.1,sigma=0,functions=10', '--invocations', '6000'];

describe('shortline simulate --backend', () => {
  it('lists the backend options in --help', async () => {
    const { stdout } = await simulate(['--help']);
    for (const option of ['--backend MODEL', '--concurrency LIST', '--capacity-change S:K']) expect(stdout).toContain(option);
  });

  it('compares no limit, a fixed limit and auto on one sequential worker, each against no limit', async () => {
    const { code, stdout } = await simulate([...MIX, '--backend', 'sequential:1', '--load', '0.7', '--concurrency', '0,1,auto']);
    expect(code).toBe(0);
    expect(stdout).toContain('backend sequential:1, load 0.7 of 1 slots');
    const table = stdout.split('\n').filter((line) => /^(none|1|auto) /.test(line));
    expect(table.map((line) => line.split(/\s+/)[0])).toEqual(['none', '1', 'auto']);
    expect(table[0]).toContain('1.00×');
    expect(table[2]).toContain('sequential, 1 worker');
  });

  it('reports when the limit followed a change of capacity, as JSON too', async () => {
    const args = [...MIX, '--invocations', '20000', '--backend', 'sequential:4', '--slots', '2', '--load', '0.7', '--capacity-change', '100:2'];
    const { code, stdout } = await simulate([...args, '--concurrency', 'auto', '--json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as {
      rows: Record<string, { followedAfterMs: number | null; learnt: { kind: string; limit: number } | null; throughputPerSec: number }>;
      inputs: Record<string, unknown>;
    };
    expect(Object.keys(report.rows)).toEqual(['auto']);
    expect(report.rows['auto']?.learnt).toMatchObject({ kind: 'sequential', limit: 2 });
    expect(report.rows['auto']?.followedAfterMs).toBeLessThan(10_000);
    expect(report.inputs).toMatchObject({ backend: 'sequential:4', capacityChange: { atMs: 100_000, capacity: 2 }, slots: 2, load: 0.7 });
    const table = await simulate([...args, '--concurrency', 'auto']);
    expect(table.stdout).toContain('followed after');
  });

  it('gives the same JSON for the same seed', async () => {
    const args = [...MIX, '--backend', 'shared:2', '--load', '0.8', '--json', '--seed', '4'];
    expect((await simulate(args)).stdout).toBe((await simulate(args)).stdout);
  });

  it('writes a latency chart with one curve per setting', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'shortline-backend-svg-'));
    const file = join(dir, 'cdf.svg');
    const { code } = await simulate([...MIX, '--backend', 'io', '--concurrency', '0,4,auto', '--svg', file]);
    expect(code).toBe(0);
    const svg = await readFile(file, 'utf8');
    for (const name of ['concurrency none', 'concurrency 4', 'concurrency auto']) expect(svg).toContain(name);
  });

  const bad: [string[], string][] = [
    [['--backend', 'threads:2'], '--backend: unknown backend kind "threads"'],
    [['--backend', 'shared'], '--backend: shared needs its cores as an integer >= 1'],
    [['--backend', 'sequential:1', '--concurrency', 'lots'], '--concurrency: each item must be 0 (no limit), a number of calls or auto, got "lots"'],
    [['--backend', 'sequential:1', '--concurrency', 'auto,auto'], '--concurrency names auto twice'],
    [['--concurrency', 'auto'], '--concurrency needs --backend'],
    [['--backend', 'io', '--capacity-change', '10:2'], '--capacity-change needs a backend with workers or cores'],
    [['--backend', 'sequential:2', '--capacity-change', 'soon'], '--capacity-change must be SECONDS:CAPACITY'],
    [['--backend', 'sequential:2', '--policies', 'fifo,sept'], 'with --backend, --policies names one policy'],
    [['--backend', 'sequential:2', '--policies', 'oracle'], 'with --backend, --policies names one policy'],
  ];
  it.each(bad)('%j is a usage error naming the option', async (args, message) => {
    const { code, stderr } = await simulate([...MIX, ...args]);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });
});
