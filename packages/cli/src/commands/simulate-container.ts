import { writeFile } from 'node:fs/promises';
import type { PolicySpec } from '@shortline/core';
import {
  compareConcurrency,
  ContainerSpecError,
  formatConcurrencyTable,
  formatContainerModelSpec,
  parseContainerModelSpec,
  renderLatencyCdfSvg,
  type CapacityChange,
  type ConcurrencyChoice,
  type ConcurrencyComparison,
  type ContainerModelSpec,
  type PriorSource,
  type Schedule,
} from '@shortline/sim';
import type { SimulateIo } from './simulate-io.js';

/** `shortline simulate --backend ...`: one modelled container, compared across concurrency settings. */
export interface ContainerSettings {
  readonly spec: ContainerModelSpec;
  readonly concurrency: readonly ConcurrencyChoice[];
  readonly capacityChange: CapacityChange | undefined;
}

export const CONTAINER_HELP = `backend model (compares concurrency settings instead of policies):
  --backend MODEL        sequential:K (K workers, first come first served), shared:K (processor
                         sharing over K cores) or io (every call waits its own time); the load is
                         relative to K slots unless --slots says otherwise (io: 16)
  --concurrency LIST     comma-separated, each 0 (no limit: Knative's containerConcurrency 0), N (a
                         fixed limit) or auto (learnt); default 0,auto
  --capacity-change S:K  at S seconds the backend's workers or cores become K (a neighbour takes
                         half the node); the table says when each limit followed
`;

const INTEGER = /^\d+$/;

function parseConcurrencyList(text: string): ConcurrencyChoice[] {
  const items = text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  if (items.length === 0) throw new ContainerSpecError('--concurrency is empty');
  const seen = new Set<string>();
  return items.map((item): ConcurrencyChoice => {
    if (seen.has(item)) throw new ContainerSpecError(`--concurrency names ${item} twice`);
    seen.add(item);
    if (item === 'auto') return 'auto';
    if (!INTEGER.test(item) || !Number.isSafeInteger(Number(item))) {
      throw new ContainerSpecError(`--concurrency: each item must be 0 (no limit), a number of calls or auto, got "${item}"`);
    }
    return Number(item);
  });
}

function parseCapacityChange(text: string, spec: ContainerModelSpec): CapacityChange {
  if (spec.kind === 'io') throw new ContainerSpecError('--capacity-change needs a backend with workers or cores (sequential:K or shared:K)');
  const [seconds = '', capacity = ''] = text.split(':', 2);
  const atMs = 1000 * Number(seconds);
  if (seconds.trim() === '' || !(atMs > 0 && Number.isFinite(atMs)) || !INTEGER.test(capacity) || Number(capacity) < 1) {
    throw new ContainerSpecError(`--capacity-change must be SECONDS:CAPACITY, e.g. 300:2 (seconds > 0, capacity >= 1), got "${text}"`);
  }
  return { atMs, capacity: Number(capacity) };
}

/** --backend, --concurrency, --capacity-change; undefined without --backend. Errors name the option. */
export function parseContainerSettings(
  backend: string | undefined,
  concurrency: string | undefined,
  capacityChange: string | undefined,
): ContainerSettings | undefined {
  if (backend === undefined) {
    if (concurrency !== undefined) throw new ContainerSpecError('--concurrency needs --backend');
    if (capacityChange !== undefined) throw new ContainerSpecError('--capacity-change needs --backend');
    return undefined;
  }
  let spec: ContainerModelSpec;
  try {
    spec = parseContainerModelSpec(backend);
  } catch (error) {
    if (error instanceof ContainerSpecError) throw new ContainerSpecError(`--backend: ${error.message}`);
    throw error;
  }
  return {
    spec,
    concurrency: parseConcurrencyList(concurrency ?? '0,auto'),
    capacityChange: capacityChange === undefined ? undefined : parseCapacityChange(capacityChange, spec),
  };
}

/** The slots a backend model's load is relative to when --slots is not given. */
export function defaultSlotsFor(spec: ContainerModelSpec): number {
  return spec.kind === 'io' ? 16 : spec.capacity;
}

export interface ContainerComparisonRun {
  readonly settings: ContainerSettings;
  readonly schedule: Schedule;
  readonly label: string;
  readonly policy: PolicySpec;
  readonly prior: PriorSource;
  readonly priorMs: number | undefined;
  readonly slots: number;
  readonly load: number;
  readonly seed: number;
  readonly json: boolean;
  readonly svg: string | undefined;
}

/** Six significant digits, as the policy report has them; exact integers stay exact. */
function rounded(value: number): number {
  return Number.isInteger(value) ? value : Number(value.toPrecision(6));
}

function report(run: ContainerComparisonRun, comparison: ConcurrencyComparison): Record<string, unknown> {
  const rows = Object.fromEntries(
    comparison.rows.map((row) => [
      row.name,
      {
        ...Object.fromEntries(Object.entries(row.metrics).map(([key, value]) => [key, rounded(value)])),
        followedAfterMs: row.followedAfterMs === undefined ? null : rounded(row.followedAfterMs),
        learnt:
          row.learnt === undefined
            ? null
            : { kind: row.learnt.kind, limit: row.learnt.limit, longBudget: row.learnt.longBudget, parallelism: row.learnt.parallelism },
      },
    ]),
  );
  const { schedule } = run;
  const spanMs = schedule.arrivalMs[schedule.arrivalMs.length - 1] as number;
  return {
    rows,
    inputs: {
      backend: formatContainerModelSpec(run.settings.spec),
      capacityChange: run.settings.capacityChange ?? null,
      policy: run.policy,
      slots: run.slots,
      load: run.load,
      invocations: comparison.invocations,
      warmup: comparison.warmup,
      seed: run.seed,
      prior: run.priorMs ?? run.prior,
      meanDurationMs: rounded(schedule.meanDurationMs),
      arrivalRatePerSec: rounded((1000 * comparison.invocations) / spanMs),
    },
  };
}

function header(run: ContainerComparisonRun, comparison: ConcurrencyComparison): string {
  const count = (n: number): string => n.toLocaleString('en-US');
  const { schedule, settings } = run;
  const change = settings.capacityChange;
  const changeText = change === undefined ? '' : `; capacity ${change.capacity} from ${(change.atMs / 1000).toFixed(0)} s`;
  return [
    `${run.label}: ${count(schedule.functions.length)} functions, ${count(comparison.invocations)} invocations, first ${count(comparison.warmup)} not counted`,
    `backend ${formatContainerModelSpec(settings.spec)}${changeText}, load ${run.load} of ${run.slots} slots, mean work ${schedule.meanDurationMs.toFixed(1)} ms, policy ${run.policy.name}, seed ${run.seed}`,
  ].join('\n');
}

/** Runs the comparison and writes the table (or JSON) and the chart; returns the exit code. */
export async function writeContainerComparison(io: SimulateIo, run: ContainerComparisonRun, startedMs: number): Promise<number> {
  const comparison = compareConcurrency(run.schedule, {
    container: run.settings.spec,
    concurrency: run.settings.concurrency,
    policy: run.policy,
    capacityChange: run.settings.capacityChange,
    prior: run.prior,
    predictor: run.priorMs === undefined ? undefined : { priorMs: run.priorMs },
  });
  if (run.svg !== undefined) {
    const title = `Latency CDF: ${run.label}, backend ${formatContainerModelSpec(run.settings.spec)}, load ${run.load}`;
    const curves = comparison.rows.map((row) => ({ name: `concurrency ${row.name}`, sortedLatencyMs: row.sortedLatencyMs }));
    try {
      await writeFile(run.svg, renderLatencyCdfSvg(curves, { title }));
    } catch (error) {
      io.stderr.write(`shortline simulate: cannot write --svg ${run.svg}: ${(error as Error).message}\n`);
      return 1;
    }
  }
  if (run.json) {
    io.stdout.write(JSON.stringify(report(run, comparison)) + '\n');
    return 0;
  }
  const table = formatConcurrencyTable(comparison.rows, run.settings.capacityChange !== undefined);
  const seconds = ((performance.now() - startedMs) / 1000).toFixed(1);
  io.stdout.write(`${header(run, comparison)}\n\n${table}\n\nsimulated in ${seconds} s\n`);
  return 0;
}
