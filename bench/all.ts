import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runScript, type ScriptRun } from './lib/run-script.js';

// npm run bench: every benchmark in its short mode, each in its own process, one after the other
// (they would measure each other otherwise), then one summary table. Exit 1 if any of them failed.

interface Benchmark {
  readonly name: string;
  readonly script: string;
  readonly args: readonly string[];
  readonly timeoutMs: number;
  /** The one line worth quoting, read from the script's output. */
  headline(run: ScriptRun): Promise<string>;
}

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));
const fixed = (value: unknown, digits: number): string => (typeof value === 'number' && Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
const percent = (fraction: unknown): string => (typeof fraction === 'number' ? `${(100 * fraction).toFixed(0)}%` : 'n/a');
const signed = (fraction: unknown): string => (typeof fraction === 'number' ? `${fraction >= 0 ? '+' : ''}${(100 * fraction).toFixed(0)}%` : 'n/a');

interface CoreRow {
  readonly name: string;
  readonly meanNs: number;
}

interface PoliciesReport {
  readonly valid: boolean;
  readonly versusFifo: readonly { policy: string; live: { meanReduction: number; p99Ratio: number }; simulated: { meanReduction: number } }[];
  readonly policies: Readonly<Record<string, { liveVsSimulatedMean: number }>>;
}

const BENCHMARKS: readonly Benchmark[] = [
  {
    name: 'core',
    script: here('./core/run.js'),
    args: ['--quick', '--json'],
    timeoutMs: 60_000,
    headline: async (run) => {
      const rows = run.stdout
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as CoreRow);
      const typical = rows.find((row) => row.name === 'cycle aging-srtf waiting=10000 functions=1000');
      const slowest = rows.reduce<CoreRow | undefined>((worst, row) => (worst === undefined || row.meanNs > worst.meanNs ? row : worst), undefined);
      return `aging-srtf cycle (10k waiting, 1k functions) ${fixed(typical?.meanNs, 0)} ns; slowest case: ${slowest?.name ?? 'n/a'} ${fixed(slowest?.meanNs, 0)} ns`;
    },
  },
  {
    name: 'overhead',
    script: here('./overhead/run.js'),
    args: ['--json', '--rounds', '3', '--duration-ms', '1000', '--warmup-ms', '300'],
    timeoutMs: 90_000,
    headline: async (run) => {
      const report = JSON.parse(run.stdout) as { ratios: { agingSrtfThroughputVsPassThrough: number; openLoopMedianAddedMs: number } };
      return `aging-srtf / pass-through throughput ${fixed(report.ratios.agingSrtfThroughputVsPassThrough, 2)}x; open-loop median added ${fixed(report.ratios.openLoopMedianAddedMs, 2)} ms`;
    },
  },
  {
    name: 'policies',
    script: here('./policies/run.js'),
    args: ['--quick'],
    timeoutMs: 150_000,
    headline: async (run) => {
      const dir = run.stdout.trim().split('\n').at(-1) ?? '';
      const report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as PoliciesReport;
      const versus = report.versusFifo
        .map((entry) => `${entry.policy} mean ${percent(entry.live.meanReduction)} below fifo (sim ${percent(entry.simulated.meanReduction)}), p99 ${fixed(entry.live.p99Ratio, 2)}x`)
        .join('; ');
      const fidelity = Object.entries(report.policies)
        .map(([name, policy]) => `${name} ${signed(policy.liveVsSimulatedMean)}`)
        .join(', ');
      return `${report.valid ? '' : 'INVALID RUN: '}${versus}; live vs simulated mean: ${fidelity}; ${dir}`;
    },
  },
];

const results: { name: string; status: string; seconds: string; headline: string }[] = [];
for (const benchmark of BENCHMARKS) {
  process.stderr.write(`\n== bench ${benchmark.name}: node ${benchmark.script} ${benchmark.args.join(' ')}\n`);
  const run = await runScript(benchmark.script, benchmark.args, benchmark.timeoutMs);
  let headline: string;
  try {
    headline = await benchmark.headline(run);
  } catch (error) {
    headline = `no result: ${(error as Error).message}`;
  }
  const status = run.code === 0 ? 'ok' : run.code === null ? 'killed' : `exit ${run.code}`;
  results.push({ name: benchmark.name, status, seconds: run.seconds.toFixed(1), headline });
}

const header = { name: 'benchmark', status: 'status', seconds: 'time s', headline: 'result' };
const rows = [header, ...results];
const width = (key: 'name' | 'status' | 'seconds'): number => Math.max(...rows.map((row) => row[key].length));
process.stdout.write('\nSummary (short mode; full runs: npm run bench:core, bench:overhead, bench:policies)\n');
for (const row of rows) {
  process.stdout.write(`${row.name.padEnd(width('name'))}  ${row.status.padEnd(width('status'))}  ${row.seconds.padStart(width('seconds'))}  ${row.headline}\n`);
}
process.exitCode = results.every((result) => result.status === 'ok') ? 0 : 1;
