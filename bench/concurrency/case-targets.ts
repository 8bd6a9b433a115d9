import type { CaseOutcome } from './case-outcome.js';
import type { BenchTarget } from '../lib/bench-target.js';

const ratio = (value: number): string => `${value.toFixed(2)}×`;
const below = (value: number): string => (value <= 1 ? `${(100 * (1 - value)).toFixed(1)}% below direct` : `${(100 * (value - 1)).toFixed(1)}% above direct`);
const seconds = (ms: number | undefined): string => (ms === undefined ? 'never' : `${(ms / 1000).toFixed(1)} s`);

/** The issue's "done when" for one case, judged on the pooled rounds (live), with the simulator's figure beside it. */
export function caseTargets(outcome: CaseOutcome): BenchTarget[] {
  const { live, simulated } = outcome;
  const mean = live.shortline.meanMs / live.direct.meanMs;
  const p99 = live.shortline.p99Ms / live.direct.p99Ms;
  const throughput = live.shortline.throughputPerSec / live.direct.throughputPerSec;
  const simMean = simulated.auto.meanMs / simulated.none.meanMs;
  const simP99 = simulated.auto.p99Ms / simulated.none.p99Ms;
  const simThroughput = simulated.auto.throughputPerSec / simulated.none.throughputPerSec;
  const throughputTarget: BenchTarget = {
    target: 'throughput at least 0.95× direct',
    result: `${ratio(throughput)} (simulated ${ratio(simThroughput)})`,
    met: throughput >= 0.95,
  };
  const answers = outcome.answers.shortline;
  const nothingLost: BenchTarget = {
    target: 'nothing lost or answered twice (through Shortline, warm-up included)',
    result: `${answers.answered} of ${answers.sent} answered 2xx, ${answers.failed} failed${answers.numbered ? `, ${answers.duplicated} backend call numbers seen twice` : ' (the sleep sample does not number its calls)'}`,
    met: answers.failed === 0 && answers.duplicated === 0,
  };
  switch (outcome.spec.name) {
    case 'sequential':
      return [
        { target: 'mean latency at least 40% lower than direct', result: `${below(mean)} (simulated ${below(simMean)})`, met: mean <= 0.6 },
        throughputTarget,
        nothingLost,
      ];
    case 'shared':
      return [
        { target: 'mean latency at most 1.05× direct', result: `${ratio(mean)}: ${below(mean)} (simulated ${ratio(simMean)})`, met: mean <= 1.05 },
        { target: 'p99 latency at most 1.05× direct', result: `${ratio(p99)}: ${below(p99)} (simulated ${ratio(simP99)})`, met: p99 <= 1.05 },
        throughputTarget,
        nothingLost,
      ];
    case 'io': {
      const added = live.shortline.p50Ms - live.direct.p50Ms;
      return [
        throughputTarget,
        { target: 'median latency added at most 2 ms', result: `${added.toFixed(2)} ms (${live.direct.p50Ms.toFixed(1)} → ${live.shortline.p50Ms.toFixed(1)} ms)`, met: added <= 2 },
        nothingLost,
      ];
    }
    case 'halving': {
      const follows = outcome.learning.map((learning) => learning.followedAfterMs);
      const worst = follows.some((ms) => ms === undefined) ? undefined : Math.max(...(follows as number[]));
      return [
        {
          target: 'the limit follows the halved capacity within 10 s',
          result: `${follows.map(seconds).join(', ')} (simulated ${outcome.simulated.followedAfterMs.map(seconds).join(', ')})`,
          met: worst !== undefined && worst <= 10_000,
        },
        nothingLost,
      ];
    }
  }
}
