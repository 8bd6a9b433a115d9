import { join } from 'node:path';
import {
  createBurstySchedule,
  createMixSchedule,
  createSyntheticWorkload,
  createTraceWorkload,
  loadAzureTrace,
  parseSyntheticSpec,
  type Schedule,
  type ScheduleOptions,
  type Workload,
} from '@shortline/sim';

/** One workload shape of the fairness benchmark: how its schedule is drawn for a seed. */
export interface Shape {
  readonly name: string;
  /** What the shape is, for the report. */
  readonly description: string;
  /** The same workload through `shortline simulate`, without --seed and --invocations. */
  readonly simulateArgs: readonly string[];
  /** The longest wait aging-srtf may have, as a multiple of FIFO's (the "done when"). */
  readonly maxWaitTarget: number;
  schedule(options: ScheduleOptions): Schedule;
}

export const SLOTS = 16;
export const LOAD = 0.9;

/** The wider spread: durations over about seven orders of magnitude, predicted per band of 200. */
const WIDE_SPREAD = 'lognormal:median=100,sigma=3,functions=200';

/** The shapes, built lazily: the trace is read once. */
export async function loadShapes(tracesDir: string): Promise<Shape[]> {
  const trace = (name: string): Promise<Workload> => loadAzureTrace(join(tracesDir, name), {}).then(createTraceWorkload);
  const azure500 = await trace('azure2019-500');
  const azure100 = await trace('azure2019-100');
  const wide = createSyntheticWorkload(parseSyntheticSpec(WIDE_SPREAD));
  const common = ['--slots', String(SLOTS), '--load', String(LOAD)];
  return [
    {
      name: 'azure2019-500',
      description: 'Azure Functions 2019 sample, 500 functions, Poisson arrivals by share',
      simulateArgs: ['--trace', join(tracesDir, 'azure2019-500'), ...common],
      maxWaitTarget: 3,
      schedule: (options) => createMixSchedule(azure500, options),
    },
    {
      name: 'azure2019-100',
      description: 'Azure Functions 2019 sample, 100 functions (one is 80% of the calls, 125 ms to 101 s)',
      simulateArgs: ['--trace', join(tracesDir, 'azure2019-100'), ...common],
      maxWaitTarget: 2,
      schedule: (options) => createMixSchedule(azure100, options),
    },
    {
      name: 'wide-spread',
      description: `synthetic ${WIDE_SPREAD}: 7 orders of magnitude of durations`,
      simulateArgs: ['--synthetic', WIDE_SPREAD, ...common],
      maxWaitTarget: 2,
      schedule: (options) => createMixSchedule(wide, options),
    },
    {
      name: 'bursty',
      description: 'azure2019-500 durations; twice the mean rate for 2.5 minutes of every 10 (load 1.8), two thirds of it between',
      simulateArgs: ['--trace', join(tracesDir, 'azure2019-500'), '--mode', 'bursty', ...common],
      maxWaitTarget: 2,
      schedule: (options) => createBurstySchedule(azure500, options),
    },
  ];
}
