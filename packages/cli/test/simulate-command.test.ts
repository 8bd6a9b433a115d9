// The `shortline simulate` command, run in-process with string sinks for its output.
import { describe, expect, it } from '@jest/globals';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RECORD_COLUMNS } from '@shortline/sim';
import { simulate } from './support/run-simulate.js';
import { DURATIONS_HEADER, durationsRow, invocationsHeader, invocationsRow, shortAndLongTrace, traceFolder } from '../../sim/test/trace-fixtures.js';

const fixtureTrace = (): Promise<string> => shortAndLongTrace([500, 400, 600], [5, 3, 4], 3000);

const SMALL = ['--invocations', '4000', '--slots', '2'];

describe('shortline simulate', () => {
  it('prints its options with --help', async () => {
    const { code, stdout } = await simulate(['--help']);
    expect(code).toBe(0);
    for (const option of ['--trace', '--synthetic', '--slots', '--load', '--invocations', '--seed', '--policies', '--json', '--svg']) {
      expect(stdout).toContain(option);
    }
    const lines = stdout.split('\n').filter((line) => line.trim() !== '');
    expect(lines.filter((line, i) => lines.indexOf(line) !== i)).toEqual([]);
  });

  const badArguments: [string[], string][] = [
    [['--synthetic', 'exponential', '--slots', '0'], '--slots must be an integer >= 1, got "0"'],
    [['--synthetic', 'exponential', '--load', 'heavy'], '--load must be a number > 0, got "heavy"'],
    [['--synthetic', 'exponential', '--invocations', '1.5'], '--invocations'],
    [['--synthetic', 'exponential', '--seed', '-2'], '--seed'],
    [['--synthetic', 'exponential', '--frobnicate'], "'--frobnicate'"],
    [['--synthetic'], '--synthetic'],
    [['--slots', '4'], 'exactly one of --trace DIR, --synthetic KIND or --records FILE'],
    [['--synthetic', 'exponential', '--trace', 'x'], 'exactly one of --trace DIR, --synthetic KIND or --records FILE'],
    [['--records', 'r.csv', '--synthetic', 'exponential'], 'exactly one of --trace DIR, --synthetic KIND or --records FILE'],
    [['--records', 'r.csv', '--load', '0.5', '--mode', 'replay'], '--records: the records say when each invocation arrives; drop --load, --mode'],
    [['--records', 'r.csv', '--prior', 'trace-average'], '--prior trace-average needs --trace'],
    [['--synthetic', 'exponential', '--policies', 'fifo,shortest'], '--policies: unknown policy "shortest"'],
    [['--synthetic', 'exponential', '--policies', 'fifo,fifo'], '--policies names fifo twice'],
    [['--synthetic', 'exponential', '--mode', 'replay'], '--mode replay needs --trace'],
    [['--synthetic', 'exponential', '--mode', 'shuffle'], '--mode must be mix, replay or bursty'],
    [['--synthetic', 'exponential', '--prior', 'trace-average'], '--prior trace-average needs --trace'],
    [['--synthetic', 'exponential', '--prior', 'soon'], '--prior must be a number >= 0'],
    [['--synthetic', 'exponential', '--aging-factor', '-1'], '--aging-factor'],
    [['--synthetic', 'lognormal:sigma=-1'], '--synthetic: lognormal: sigma must be a number >= 0'],
    [['--synthetic', 'weibull'], '--synthetic: unknown kind "weibull"'],
    [['--synthetic', 'exponential', 'extra'], "'extra'"],
  ];
  it.each(badArguments)('exits 2 naming the option for %j', async (args, message) => {
    const { code, stdout, stderr } = await simulate(args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
  });

  it('exits 1 naming the file and line of a malformed trace', async () => {
    const dir = await traceFolder({
      'invocations.csv': [invocationsHeader(2), invocationsRow('a', [1, 2]), invocationsRow('b', [1, 'many' as unknown as number])],
      'durations.csv': [DURATIONS_HEADER, durationsRow('a', 1, [1, 1, 1, 1, 1, 1, 1])],
    });
    const { code, stderr } = await simulate(['--trace', dir]);
    expect(code).toBe(1);
    expect(stderr).toContain(`${join(dir, 'invocations.csv')}:3:`);
    expect(stderr).toContain('"many"');
  });

  it('exits 1 naming the file and line of a bad records file', async () => {
    const dir = await traceFolder({ 'records.csv': [RECORD_COLUMNS.join(','), '0,a,/a,,1,1,,200,5,,,,,,', '1,a,/a,,2,2,,maybe,5,,,,,,'] });
    const { code, stderr } = await simulate(['--records', join(dir, 'records.csv')]);
    expect(code).toBe(1);
    expect(stderr).toContain(`${join(dir, 'records.csv')}:3: status must be an HTTP status`);
  });

  it('exits 1 naming a trace folder it cannot read', async () => {
    const { code, stderr } = await simulate(['--trace', '/nonexistent/shortline-trace']);
    expect(code).toBe(1);
    expect(stderr).toContain('/nonexistent/shortline-trace');
  });

  it('prints one JSON object with every metric per policy and the inputs, the same for the same seed', async () => {
    const dir = await fixtureTrace();
    const first = await simulate(['--trace', dir, ...SMALL, '--json', '--seed', '5']);
    expect(first.code).toBe(0);
    expect(first.stderr).toBe('');
    const report = JSON.parse(first.stdout) as { policies: Record<string, Record<string, number>>; inputs: Record<string, unknown> };
    expect(Object.keys(report.policies)).toEqual(['fifo', 'sept', 'linear-aging', 'hrrn', 'aging-srtf', 'oracle']);
    for (const metrics of Object.values(report.policies)) {
      expect(Object.keys(metrics).sort()).toEqual(
        ['completed', 'maxLatencyMs', 'maxWaitMs', 'meanLatencyMs', 'meanSlowdown', 'p50LatencyMs', 'p99LatencyMs', 'p99Slowdown', 'predictionMale', 'predictionMape', 'top1pctSlowdown'].sort(),
      );
      expect(metrics['completed']).toBe(3600);
    }
    expect(report.inputs).toMatchObject({ mode: 'mix', slots: 2, load: 0.9, invocations: 4000, warmup: 400, counted: 3600, seed: 5, prior: 'default' });
    expect(report.inputs['source']).toMatchObject({ trace: dir, functions: 2, traceInvocations: 1512 });
    const again = await simulate(['--trace', dir, ...SMALL, '--json', '--seed', '5']);
    expect(again.stdout).toBe(first.stdout);
  });

  it('replays a trace, stopping at its end, and seeds predictions from the trace when asked', async () => {
    const dir = await fixtureTrace();
    const { code, stdout } = await simulate(['--trace', dir, ...SMALL, '--mode', 'replay', '--prior', 'trace-average', '--policies', 'fifo,aging-srtf', '--json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { policies: Record<string, unknown>; inputs: Record<string, unknown> };
    expect(Object.keys(report.policies)).toEqual(['fifo', 'aging-srtf']);
    expect(report.inputs).toMatchObject({ mode: 'replay', invocations: 1512, prior: 'trace-average' });
  });

  it('plays bursts of arrivals with --mode bursty', async () => {
    const { code, stdout } = await simulate(['--synthetic', 'exponential', ...SMALL, '--mode', 'bursty', '--policies', 'fifo', '--json']);
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as { inputs: Record<string, unknown> }).inputs).toMatchObject({ mode: 'bursty' });
  });

  it('prints a table by default, with a progress bar only on a terminal, and writes the SVG chart', async () => {
    const dir = await fixtureTrace();
    const svg = join(dir, 'cdf.svg');
    const plain = await simulate(['--trace', dir, ...SMALL, '--policies', 'fifo,aging-srtf,oracle', '--aging-factor', '2', '--svg', svg]);
    expect(plain.code).toBe(0);
    expect(plain.stderr).toBe('');
    expect(plain.stdout).toMatch(/^policy +mean ms/m);
    for (const name of ['fifo', 'aging-srtf', 'oracle']) expect(plain.stdout).toMatch(new RegExp(`^${name} `, 'm'));
    const chart = await readFile(svg, 'utf8');
    expect(chart.startsWith('<svg')).toBe(true);
    expect(chart.match(/<polyline/g)).toHaveLength(3);
    expect(chart).toContain('latency (log scale)');
    expect(chart).toContain('>aging-srtf</text>');

    const terminal = await simulate(['--synthetic', 'exponential', '--invocations', '66000', '--policies', 'fifo'], { tty: true });
    expect(terminal.code).toBe(0);
    expect(terminal.stderr).toContain('100%');
  });

  it('learns request classes of a service in one function, and says so; without its features it cannot', async () => {
    const args = ['--synthetic', 'service', '--invocations', '6000', '--slots', '2', '--load', '0.8', '--policies', 'fifo,aging-srtf'];
    const learnt = await simulate([...args, '--json']);
    const blind = await simulate([...args, '--json', '--without-features']);
    type Report = { policies: Record<string, { meanLatencyMs: number; predictionMale: number }>; inputs: Record<string, unknown> };
    const [withFeatures, without] = [JSON.parse(learnt.stdout) as Report, JSON.parse(blind.stdout) as Report];
    expect(withFeatures.inputs['requestFeatures']).toBe(true);
    expect(without.inputs['requestFeatures']).toBe(false);
    const mean = (report: Report, policy: string): number => report.policies[policy]?.meanLatencyMs as number;
    expect(mean(withFeatures, 'aging-srtf')).toBeLessThan(0.6 * mean(withFeatures, 'fifo'));
    expect(mean(without, 'aging-srtf')).toBeGreaterThan(0.9 * mean(without, 'fifo'));
    expect(withFeatures.policies['aging-srtf']?.predictionMale).toBeLessThan(without.policies['aging-srtf']?.predictionMale as number);
    expect((await simulate(args)).stdout).toContain('request features learnt');
  });

  describe('--config: priorities and deadlines from a file in the schema of shortline serve', () => {
    const POOL = 'pools: [{ name: sim, backends: ["http://127.0.0.1:1"] }]\n';

    async function configFile(dir: string, text: string): Promise<string> {
      const path = join(dir, 'shortline.yaml');
      await writeFile(path, text);
      return path;
    }

    it('reports latency per tier and deadline attainment, and takes the scheduler parameters from the file', async () => {
      const dir = await fixtureTrace();
      const config = await configFile(
        dir,
        [
          POOL,
          'scheduler: { fifoFactor: 3 }',
          'functions:',
          '  - { name: long, match: { pathPrefix: /long }, pool: sim, priority: high }',
          '  - { name: short, match: { pathPrefix: /short }, pool: sim, priority: low, deadlineMs: 100 }',
        ].join('\n'),
      );
      const args = ['--trace', dir, ...SMALL, '--policies', 'fifo,aging-srtf', '--config', config];
      const json = await simulate([...args, '--json']);
      expect(json.code).toBe(0);
      const report = JSON.parse(json.stdout) as {
        inputs: { policies: Record<string, Record<string, number>> };
        fairness: Record<string, { tiers: { priority: string; completed: number; maxWaitOverBound: number }[]; deadlines: { withDeadline: number; attainment: number } }>;
      };
      expect(report.inputs.policies['aging-srtf']).toMatchObject({ fifoFactor: 3 });
      for (const policy of ['fifo', 'aging-srtf']) {
        const fairness = report.fairness[policy];
        expect(fairness?.tiers.map((tier) => tier.priority)).toEqual(['high', 'low']);
        expect(fairness?.tiers.reduce((sum, tier) => sum + tier.completed, 0)).toBe(3600);
        expect(fairness?.deadlines.withDeadline).toBeGreaterThan(3000);
      }
      // The documented bound held for every aging-srtf call.
      for (const tier of report.fairness['aging-srtf']?.tiers ?? []) expect(tier.maxWaitOverBound).toBeLessThanOrEqual(1);

      const table = await simulate(args);
      expect(table.code).toBe(0);
      expect(table.stdout).toMatch(/^policy +tier +completed/m);
      expect(table.stdout).toMatch(/^aging-srtf +low /m);
      expect(table.stdout).toMatch(/^policy +with deadline +met +attainment/m);
    });

    it('exits 2 naming a configured function that is not in the workload', async () => {
      const dir = await fixtureTrace();
      const config = await configFile(dir, `${POOL}functions: [{ name: medium, pool: sim, priority: high }]\n`);
      const { code, stderr } = await simulate(['--trace', dir, ...SMALL, '--config', config]);
      expect(code).toBe(2);
      expect(stderr).toContain('functions[0].name "medium" is no function of the workload');
    });

    it('exits 1 naming the key of an invalid configuration', async () => {
      const dir = await fixtureTrace();
      const config = await configFile(dir, `${POOL}functions: [{ name: long, pool: sim, priority: urgent }]\n`);
      const { code, stderr } = await simulate(['--trace', dir, ...SMALL, '--config', config]);
      expect(code).toBe(1);
      expect(stderr).toContain('functions[0].priority');
    });
  });

  it('exits 1 when the chart cannot be written', async () => {
    const { code, stderr } = await simulate(['--synthetic', 'constant', '--invocations', '100', '--svg', '/nonexistent/dir/cdf.svg']);
    expect(code).toBe(1);
    expect(stderr).toContain('--svg /nonexistent/dir/cdf.svg');
  });
});
