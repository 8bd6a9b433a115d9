/**
 * `npm run bench:core`: the scheduling core's cost per request, measured with tinybench.
 * A single cycle takes about a microsecond, below what a timer resolves reliably, so each sample
 * times a batch of BATCH operations and the figures are divided back to one operation.
 * `--json` prints one JSON object per line: {"name", "opsPerSec", "meanNs", "p99Ns"}; then one per
 * paired case: {"name", "plainNs", "featuredNs", "meanNs", "wallNs"} (CPU ns per cycle without and
 * with request features; meanNs: the feature path's CPU cost, wallNs: the same in wall time).
 * Last, {"name", "meanNs"} for one dependent load from memory over a working set the size of the
 * featured queue's heap at 1,000 functions (memory-latency.ts), to read the memory-bound cases by.
 * `--features-only` runs the paired cases (and that load) alone.
 */
import { Bench } from 'tinybench';
import { POLICY_NAMES, Predictor } from '@shortline/core';
import { benchRequests, type BenchRequest } from './bench-requests.js';
import { dependentLoadNs } from './memory-latency.js';
import { pairedRounds, type PairedCost } from './paired-rounds.js';
import { SteadyQueue } from './workload.js';

const BATCH = 1000;
const json = process.argv.includes('--json');
const quick = process.argv.includes('--quick');
/** Only the paired feature-path cases: a quiet minute on a shared machine is enough for them. */
const featuresOnly = process.argv.includes('--features-only');

const bench = new Bench({ time: quick ? 200 : 1000, warmupTime: quick ? 50 : 200 });

/** Distinct requests the features cases cycle through: more than a CPU cache holds of their strings. */
const REQUESTS = 65_536;

function addCycle(policy: (typeof POLICY_NAMES)[number], waiting: number, functions: number): void {
  let queue: SteadyQueue | undefined;
  bench.add(
    `cycle ${policy} waiting=${waiting} functions=${functions}`,
    () => {
      const q = queue as SteadyQueue;
      for (let i = 0; i < BATCH; i++) q.cycle();
    },
    {
      beforeAll: () => {
        queue = new SteadyQueue(policy, waiting, functions);
      },
      // Release the queue so that later cases do not pay for this one's heap in garbage collection.
      afterAll: () => {
        queue = undefined;
      },
    },
  );
}

for (const waiting of [1_000, 10_000, 100_000]) {
  for (const functions of [1, 100, 1_000]) addCycle('aging-srtf', waiting, functions);
}
for (const policy of POLICY_NAMES) if (policy !== 'aging-srtf') addCycle(policy, 10_000, 1_000);

let cancelQueue: SteadyQueue | undefined;
bench.add(
  'cancel aging-srtf waiting=10000 functions=1000',
  () => {
    const q = cancelQueue as SteadyQueue;
    for (let i = 0; i < BATCH; i++) q.enqueueAndCancel();
  },
  {
    beforeAll: () => {
      cancelQueue = new SteadyQueue('aging-srtf', 10_000, 1_000);
    },
    afterAll: () => {
      cancelQueue = undefined;
    },
  },
);

const predictor = new Predictor();
let observation = 0;
bench.add('predictor update functions=1000', () => {
  for (let i = 0; i < BATCH; i++) {
    observation++;
    predictor.observe(`fn-${observation % 1000}`, 100, 50 + (observation % 97));
  }
});

if (!featuresOnly) await bench.run();

const rows = (featuresOnly ? [] : bench.tasks).map((task) => {
  const result = task.result;
  if (result.state !== 'completed') throw new Error(`${task.name}: ${result.state}`);
  return {
    name: task.name,
    opsPerSec: Math.round((1e3 * BATCH) / result.latency.mean),
    meanNs: Math.round((result.latency.mean * 1e6) / BATCH),
    p99Ns: Math.round((result.latency.p99 * 1e6) / BATCH),
  };
});

// The request feature path, timed in paired rounds beside the same queue without it: one service
// (a sidecar's catch-all function) and many functions each learning their own classes.
const requests: readonly BenchRequest[] = benchRequests(REQUESTS, 12);
const FEATURE_CASES = [
  [1_000, 1],
  [10_000, 1],
  [10_000, 1_000],
] as const;
const paired = FEATURE_CASES.map(([waiting, functions]): { name: string } & PairedCost => {
  const plain = new SteadyQueue('aging-srtf', waiting, functions, requests);
  const featured = new SteadyQueue('aging-srtf', waiting, functions, requests, true);
  // Warm both (and let the featured one learn its classes) before timing.
  pairedRounds(plain, featured, 3, quick ? 5_000 : 20_000);
  const cost = pairedRounds(plain, featured, quick ? 11 : 31, quick ? 5_000 : 20_000);
  return { name: `feature path aging-srtf waiting=${waiting} functions=${functions} (paired rounds)`, ...cost };
});

/** About the heap of the featured queue with 10,000 waiting over 1,000 functions. */
const MEMORY_WORKING_SET = 32 * 1_048_576;
const memoryLoad = { name: 'dependent load from memory, 32 MiB working set', meanNs: dependentLoadNs(MEMORY_WORKING_SET, quick ? 2_000_000 : 10_000_000) };

if (json) {
  for (const row of rows) process.stdout.write(JSON.stringify(row) + '\n');
  for (const row of paired) {
    const { name, plainNs, featuredNs, differenceNs, wallDifferenceNs } = row;
    const figures = { plainNs, featuredNs, meanNs: differenceNs, wallNs: wallDifferenceNs };
    process.stdout.write(JSON.stringify({ name, ...Object.fromEntries(Object.entries(figures).map(([k, v]) => [k, Math.round(v)])) }) + '\n');
  }
  process.stdout.write(JSON.stringify({ name: memoryLoad.name, meanNs: Math.round(memoryLoad.meanNs) }) + '\n');
} else {
  console.table(rows.map((r) => ({ case: r.name, 'ops/s': r.opsPerSec.toLocaleString('en-US'), 'mean ns': r.meanNs, 'p99 ns (batch)': r.p99Ns })));
  console.table(
    paired.map((r) => ({
      case: r.name,
      'cycles per CPU-s without': Math.round(1e9 / r.plainNs).toLocaleString('en-US'),
      'with features': Math.round(1e9 / r.featuredNs).toLocaleString('en-US'),
      'feature path CPU ns': Math.round(r.differenceNs),
      'wall ns': Math.round(r.wallDifferenceNs),
    })),
  );
  console.log(`${memoryLoad.name}: ${Math.round(memoryLoad.meanNs)} ns`);
}
