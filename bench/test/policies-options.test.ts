import { describe, expect, test } from '@jest/globals';
import { availableParallelism } from 'node:os';
import { BenchUsageError } from '../lib/bench-usage-error.js';
import { parsePoliciesArgs, type PoliciesSettings } from '../policies/policies-options.js';

function parse(...args: string[]): PoliciesSettings {
  const settings = parsePoliciesArgs(args);
  if (settings === undefined) throw new Error('expected settings, got --help');
  return settings;
}

describe('bench:policies options', () => {
  test('the defaults are the headline run: the 100-function trace, load 0.8, fifo against aging-srtf', () => {
    const settings = parse();
    expect(settings.source).toEqual({ kind: 'trace', dir: expect.stringMatching(/shared\/traces\/azure2019-100$/), mode: 'mix' });
    expect(settings).toMatchObject({ load: 0.8, invocations: 2000, durationS: 60, floorMs: 2, seed: 1, slots: 4, handler: 'sleep', prior: 'default' });
    expect(settings.policies).toEqual(['fifo', 'aging-srtf']);
    expect(settings.outDir).toMatch(/bench\/results$/);
  });

  test('--quick shortens the run unless told otherwise', () => {
    expect(parse('--quick')).toMatchObject({ quick: true, durationS: 12, invocations: 1000 });
    expect(parse('--quick', '--duration', '5')).toMatchObject({ durationS: 5, invocations: 1000 });
  });

  test('the spin handler takes one slot per CPU by default', () => {
    expect(parse('--handler', 'spin').slots).toBe(availableParallelism());
    expect(parse('--handler', 'spin', '--slots', '3').slots).toBe(3);
  });

  test('a synthetic workload and a list of policies', () => {
    const settings = parse('--synthetic', 'bimodal:short=5,long=500', '--policies', 'fifo, sept,hrrn');
    expect(settings.source).toMatchObject({ kind: 'synthetic', text: 'bimodal:short=5,long=500' });
    expect(settings.policies).toEqual(['fifo', 'sept', 'hrrn']);
  });

  test('--help asks for the usage text', () => {
    expect(parsePoliciesArgs(['--help'])).toBeUndefined();
  });

  test.each([
    [['--load', '0'], '--load must be a number > 0'],
    [['--invocations', '2.5'], '--invocations must be an integer >= 10'],
    [['--duration', 'soon'], '--duration must be a number > 0'],
    [['--mode', 'shuffle'], '--mode must be mix or replay'],
    [['--handler', 'fork'], '--handler must be sleep or spin'],
    [['--policies', 'fifo,lifo'], 'unknown policy "lifo"'],
    [['--policies', 'fifo,fifo'], 'names fifo twice'],
    [['--policies', 'oracle'], 'unknown policy "oracle"'],
    [['--synthetic', 'uniform'], '--synthetic: unknown kind'],
    [['--synthetic', 'constant', '--mode', 'replay'], 'replay needs a trace'],
    [['--synthetic', 'constant', '--prior', 'trace-average'], 'trace-average needs a trace'],
    [['--trace', 'a', '--synthetic', 'constant'], 'not both'],
    [['--slots'], "Option '--slots <value>' argument missing"],
    [['--fast'], "Unknown option '--fast'"],
  ])('%j is refused: %s', (args, message) => {
    expect(() => parsePoliciesArgs(args)).toThrow(BenchUsageError);
    expect(() => parsePoliciesArgs(args)).toThrow(message);
  });
});
