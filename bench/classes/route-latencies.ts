import type { ClassesBenchmarkRun, ClassesRunOutcome } from './classes-run.js';
import { groupMeanLatency, type RouteGroup } from './route-groups.js';

/** One route's mean latency under each run, live and simulated, in the order of `run.runs`. */
export interface RouteLatencies {
  readonly group: RouteGroup;
  readonly live: readonly number[];
  readonly simulated: readonly number[];
}

/** Latency of each call answered 2xx; NaN for the others, as the live summary leaves them out. */
function answeredLatency(outcome: ClassesRunOutcome): Float64Array {
  const { latencyMs, status } = outcome.records;
  return Float64Array.from(latencyMs, (latency, i) => ((status[i] as number) >= 200 && (status[i] as number) < 300 ? latency : NaN));
}

export function routeLatencies(run: ClassesBenchmarkRun): RouteLatencies[] {
  const { durationMs } = run.schedule.schedule;
  const live = run.runs.map(answeredLatency);
  const simulated = run.runs.map((outcome) => Float64Array.from(outcome.simulated.waitMs, (wait, i) => wait + (durationMs[i] as number)));
  return run.routes.map((group) => ({
    group,
    live: live.map((latency) => groupMeanLatency(group, latency)),
    simulated: simulated.map((latency) => groupMeanLatency(group, latency)),
  }));
}
