import type { ClassesBenchmarkRun, ClassesRunOutcome } from './classes-run.js';
import type { ClassesRunName } from './classes-runs.js';
import type { BenchTarget } from '../lib/bench-target.js';

/** Live and simulated mean latency of the named run. */
function means(run: ClassesBenchmarkRun, name: ClassesRunName): { live: number; simulated: number } | undefined {
  const outcome: ClassesRunOutcome | undefined = run.runs.find((entry) => entry.plan.name === name);
  return outcome === undefined ? undefined : { live: outcome.live.metrics.meanLatencyMs, simulated: outcome.simulated.result.metrics.meanLatencyMs };
}

const percent = (fraction: number): string => `${(100 * fraction).toFixed(1)}%`;

/** The "done when" figures for this run: learnt classes against FIFO and against the live oracle. */
export function classesTargets(run: ClassesBenchmarkRun): BenchTarget[] {
  const [fifo, learnt, oracle] = (['fifo', 'aging-srtf', 'oracle'] as const).map((name) => means(run, name));
  const list: BenchTarget[] = [];
  if (fifo !== undefined && learnt !== undefined) {
    const live = 1 - learnt.live / fifo.live;
    list.push({
      target: 'aging-srtf (learnt classes) mean latency at least 40% below fifo (live)',
      result: `${percent(live)} below (simulated: ${percent(1 - learnt.simulated / fifo.simulated)})`,
      met: live >= 0.4,
    });
  }
  if (learnt !== undefined && oracle !== undefined) {
    const live = learnt.live / oracle.live;
    list.push({
      target: "aging-srtf (learnt classes) mean within 1.25× of the live oracle's",
      result: `${live.toFixed(3)}× (simulated: ${(learnt.simulated / oracle.simulated).toFixed(3)}×)`,
      met: live <= 1.25,
    });
  }
  const share = run.warmup / run.schedule.schedule.arrivalMs.length;
  list.push({ target: 'warm-up at most 20% of the run, the same for every run', result: `${percent(share)} (${run.warmup} calls)`, met: share <= 0.2 });
  return list;
}
