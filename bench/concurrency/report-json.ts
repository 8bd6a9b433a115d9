import { rounded, roundedRecord } from '@shortline/load';
import type { ArmFigures } from './arm-figures.js';
import { caseProblems, type CaseOutcome } from './case-outcome.js';
import { caseTargets } from './case-targets.js';
import type { ConcurrencyRun } from './concurrency-run.js';

function figures(of: ArmFigures): Record<string, number | null> {
  const { sortedLatencyMs: _sorted, ...rest } = of;
  return roundedRecord(rest);
}

function caseEntry(outcome: CaseOutcome): Record<string, unknown> {
  const { spec, live, simulated } = outcome;
  return {
    title: spec.title,
    valid: caseProblems(outcome).length === 0,
    problems: caseProblems(outcome),
    backend: spec.model,
    workload: spec.workload,
    load: spec.load,
    slots: spec.slots,
    ratePerSec: rounded(outcome.ratePerSec),
    capacityChange: spec.capacityChange ?? null,
    phases: outcome.phases,
    invocationsPerRound: outcome.invocationsPerRound,
    warmupPerRound: outcome.warmupPerRound,
    live: { direct: figures(live.direct), shortline: figures(live.shortline) },
    versusDirect: {
      mean: rounded(live.shortline.meanMs / live.direct.meanMs),
      p99: rounded(live.shortline.p99Ms / live.direct.p99Ms),
      throughput: rounded(live.shortline.throughputPerSec / live.direct.throughputPerSec),
      medianAddedMs: rounded(live.shortline.p50Ms - live.direct.p50Ms),
    },
    answers: outcome.answers,
    sendLagMs: { direct: roundedRecord(outcome.lag.direct.lag), shortline: roundedRecord(outcome.lag.shortline.lag) },
    rounds: outcome.rounds.map((round) => ({ ...round, ...roundedRecord({ meanRatio: round.meanRatio, p99Ratio: round.p99Ratio, throughputRatio: round.throughputRatio, medianAddedMs: round.medianAddedMs }) })),
    controller: outcome.learning,
    changedAtMs: outcome.changedAtMs,
    simulated: {
      none: figures(simulated.none),
      auto: figures(simulated.auto),
      versusNone: { mean: rounded(simulated.auto.meanMs / simulated.none.meanMs), p99: rounded(simulated.auto.p99Ms / simulated.none.p99Ms) },
      learnt: simulated.learnt.map((state) => (state === undefined ? null : { kind: state.kind, limit: state.limit, longBudget: state.longBudget, parallelism: state.parallelism })),
      followedAfterMs: simulated.followedAfterMs.map((ms) => (ms === undefined ? null : rounded(ms))),
      limitedFromMs: simulated.limitedFromMs.map((ms) => (ms === undefined ? null : rounded(ms))),
    },
    targets: caseTargets(outcome),
    limitSamples: outcome.limitSamples.map((samples) => samples.map((sample) => [rounded(sample.atMs), sample.kind, sample.limit, sample.longBudget, sample.completed])),
    simulateCommand: spec.simulateCommand,
  };
}

/** report.json: every figure of report.md per case, the controller's samples, and the inputs. */
export function concurrencyReportJson(run: ConcurrencyRun): Record<string, unknown> {
  return {
    valid: run.cases.every((outcome) => caseProblems(outcome).length === 0),
    command: run.command,
    startedAt: run.startedAt,
    machine: run.machine,
    policy: run.policy,
    settings: run.settings,
    limitSampleColumns: ['atMs', 'kind', 'limit', 'longBudget', 'completed'],
    cases: Object.fromEntries(run.cases.map((outcome) => [outcome.spec.name, caseEntry(outcome)])),
  };
}
