import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createPolicy, Predictor, type AgingSrtfParameters, type PredictionEstimate, type PredictorOptions } from '@shortline/core';
import { createProgressBar } from '@shortline/load';
import { repositoryRoot } from '../lib/repository-root.js';
import { evaluate, targetsFor } from './fairness-targets.js';
import { seedPlans, type TierPlan } from './function-plan.js';
import { fairnessReportMarkdown, type ShapeOutcome } from './report-markdown.js';
import { runShapeSeed, type SeedFigures, type TierPlanName } from './shape-seed-run.js';
import { LOAD, loadShapes, SLOTS } from './shapes.js';

// npm run bench:fairness -- [--seeds N] [--invocations N] [--shapes a,b] [--traces DIR] [--write-configs DIR] [--json]
// The "done when" for fairness (#15), simulated: the markdown tables on stdout, progress on stderr.

const HELP = `usage: npm run bench:fairness -- [options]

Simulates each workload shape on ${SLOTS} slots at load ${LOAD} for several seeds through fifo, the oracle
and aging-srtf (plain, with two plans of priority tiers, with deadlines) and prints, as markdown, each target of
issue 15 as the median and worst seed's figure.

  --seeds N            seeds 1..N (default 8)
  --invocations N      per run; the first 10% are warm-up (default 500000)
  --shapes LIST        comma-separated subset of azure2019-500, azure2019-100, wide-spread, bursty
  --traces DIR         folder holding azure2019-500 and azure2019-100 (default ../shared/traces next to the repository)
  --write-configs DIR  also write seed 1's tier and deadline plans there, as files for shortline simulate --config
  --fifo-factor X      aging-srtf parameters other than the defaults, to compare (Infinity: off)
  --capped-share S
  --max-wait-ms MS
  --estimate E         the predictor's estimate, ewma (default), p50 or p90, to compare
  --ewma-weight W      the predictor's EWMA weight (default 0.05), to compare
  --json               one JSON object with every seed's figures instead of the tables
  -h, --help           this text
`;

const ESTIMATES: readonly PredictionEstimate[] = ['ewma', 'p50', 'p90'];
const isEstimate = (name: string): name is PredictionEstimate => (ESTIMATES as readonly string[]).includes(name);

const { values } = parseArgs({
  options: {
    seeds: { type: 'string' },
    invocations: { type: 'string' },
    shapes: { type: 'string' },
    traces: { type: 'string' },
    'write-configs': { type: 'string' },
    'fifo-factor': { type: 'string' },
    'capped-share': { type: 'string' },
    'max-wait-ms': { type: 'string' },
    estimate: { type: 'string' },
    'ewma-weight': { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
});

/** `{ [key]: value }` when the option is given, else nothing; `Infinity` is a number here. */
function optionalNumber(key: keyof AgingSrtfParameters, raw: string | undefined): AgingSrtfParameters {
  if (raw === undefined) return {};
  const value = Number(raw);
  if (Number.isNaN(value)) throw new RangeError(`${key} must be a number, got "${raw}"`);
  return { [key]: value };
}

function positiveInteger(name: string, raw: string | undefined, fallback: number): number {
  const value = raw === undefined ? fallback : Number(raw);
  if (!(Number.isSafeInteger(value) && value >= 1)) throw new RangeError(`--${name} must be an integer >= 1, got "${raw}"`);
  return value;
}

async function main(): Promise<number> {
  if (values.help === true) {
    process.stdout.write(HELP);
    return 0;
  }
  const seedCount = positiveInteger('seeds', values.seeds, 8);
  const invocations = positiveInteger('invocations', values.invocations, 500_000);
  const tracesDir = values.traces ?? join(repositoryRoot(), '..', 'shared', 'traces');
  const wanted = values.shapes?.split(',').map((name) => name.trim());
  const shapes = (await loadShapes(tracesDir)).filter((shape) => wanted === undefined || wanted.includes(shape.name));
  if (shapes.length === 0) throw new RangeError(`--shapes names no known shape: ${values.shapes}`);
  const seeds = Array.from({ length: seedCount }, (_, i) => i + 1);
  const agingSrtf: AgingSrtfParameters = {
    ...optionalNumber('fifoFactor', values['fifo-factor']),
    ...optionalNumber('cappedShare', values['capped-share']),
    ...optionalNumber('maxWaitMs', values['max-wait-ms']),
  };
  createPolicy({ name: 'aging-srtf', ...agingSrtf });
  const estimate = values.estimate;
  if (estimate !== undefined && !isEstimate(estimate)) throw new RangeError(`--estimate must be one of ${ESTIMATES.join(', ')}, got "${estimate}"`);
  const predictor: PredictorOptions = {
    ...(estimate === undefined ? {} : { estimate }),
    ...(values['ewma-weight'] === undefined ? {} : { ewmaWeight: Number(values['ewma-weight']) }),
  };
  // Built once only to check the options (a bad --ewma-weight is named before any run).
  new Predictor(predictor);
  const bar = createProgressBar(process.stderr, 'bench:fairness');
  const results: { shape: (typeof shapes)[number]; figures: SeedFigures[]; tiers: Record<TierPlanName, TierPlan> }[] = [];
  let done = 0;
  for (const shape of shapes) {
    const figures: SeedFigures[] = [];
    let tiers: Record<TierPlanName, TierPlan> | undefined;
    for (const seed of seeds) {
      bar?.update(done++, shapes.length * seeds.length, `${shape.name} seed ${seed}`);
      const schedule = shape.schedule({ invocations, slots: SLOTS, load: LOAD, seed });
      const plans = seedPlans(schedule, seed);
      if (values['write-configs'] !== undefined && seed === 1) {
        await mkdir(values['write-configs'], { recursive: true });
        await writeFile(join(values['write-configs'], `${shape.name}-tiers.yaml`), plans.tiers.mostWork.configYaml);
        await writeFile(join(values['write-configs'], `${shape.name}-random-tiers.yaml`), plans.tiers.random.configYaml);
        await writeFile(join(values['write-configs'], `${shape.name}-deadlines.yaml`), plans.deadlines.configYaml);
      }
      tiers ??= plans.tiers;
      figures.push(runShapeSeed(schedule, seed, plans, agingSrtf, predictor));
    }
    results.push({ shape, figures, tiers: tiers as Record<TierPlanName, TierPlan> });
  }
  bar?.clear();
  if (values.json === true) {
    process.stdout.write(`${JSON.stringify({ invocations, slots: SLOTS, load: LOAD, shapes: results.map((r) => ({ name: r.shape.name, seeds: r.figures })) })}\n`);
    return 0;
  }
  const outcomes: ShapeOutcome[] = results.map(({ shape, figures, tiers }) => ({
    shape,
    seeds,
    tiers,
    outcomes: targetsFor(shape).map((target) => evaluate(target, figures)),
  }));
  const command = ['npm run bench:fairness --', ...process.argv.slice(2)].join(' ');
  process.stdout.write(fairnessReportMarkdown(outcomes, command, invocations));
  return 0;
}

process.exitCode = await main();
