import type { Checkpoint } from './checkpoint.js';
import { judgeSendLag } from './judge-send-lag.js';
import type { LoadDriver } from './load-driver.js';
import type { LoadPlan } from './load-plan.js';
import type { GroupSummary, RecordsSummary } from './records-summary.js';
import { rounded, roundedRecord } from './rounded.js';

/** Whether the run kept to its schedule, and its send lag. */
export interface LoadVerdict {
  readonly valid: boolean;
  readonly problems: readonly string[];
  /** Null for a sweep, which sends each call when it makes it: there is no schedule to keep to. */
  readonly sendLagMs: Record<string, number | null> | null;
}

export function judgeLoad(plan: LoadPlan, summary: RecordsSummary): LoadVerdict {
  if (plan.settings.workload.kind === 'sweep') return { valid: true, problems: [], sendLagMs: null };
  const verdict = judgeSendLag(summary.lagMs, plan.settings.lagLimits);
  return { valid: verdict.valid, problems: verdict.problems, sendLagMs: roundedRecord(verdict.lag) };
}

function groupJson(group: GroupSummary): Record<string, unknown> {
  return { count: group.count, succeeded: group.succeeded, byStatus: group.byStatus, latencyMs: roundedRecord(group.latencyMs) };
}

/** summary.json: the verdict, the counts and latencies over all and per function, every input, the parts. */
export function createSummaryJson(
  plan: LoadPlan,
  driver: LoadDriver,
  summary: RecordsSummary,
  verdict: LoadVerdict,
  checkpoint: Checkpoint,
  files: Readonly<Record<string, string>>,
): Record<string, unknown> {
  const { settings } = plan;
  return {
    valid: verdict.valid,
    problems: verdict.problems,
    complete: checkpoint.complete,
    invocations: summary.all.count,
    succeeded: summary.all.succeeded,
    byStatus: summary.all.byStatus,
    latencyMs: roundedRecord(summary.all.latencyMs),
    sendLagMs: verdict.sendLagMs,
    lagLimits: settings.lagLimits,
    functions: Object.fromEntries(summary.functions.map((group) => [group.name, groupJson(group)])),
    inputs: {
      command: ['shortline load', ...plan.args].join(' '),
      cwd: plan.cwd,
      target: settings.target,
      headers: settings.headers,
      method: settings.method ?? null,
      bodyBytes: rounded(settings.bodyBytes),
      workload: settings.workload,
      source: driver.details,
      connections: settings.connections,
      timeoutMs: settings.timeoutMs,
      graceMs: settings.graceMs,
    },
    parts: checkpoint.parts,
    files,
  };
}
