import { queryParameter, type RequestFeatures } from '@shortline/core';

/** The counted calls of one of the service's routes (the report's rows), with their mean true duration. */
export interface RouteGroup {
  readonly label: string;
  /** Indices into the schedule, ascending. */
  readonly calls: readonly number[];
  readonly meanDurationMs: number;
}

/**
 * The route a call belongs to, as a reader of the report would name it: ids and names collapsed, a
 * report by its range. The report's labels only; the proxy learns its own classes.
 */
export function routeLabel(features: RequestFeatures): string {
  const { method, path } = features;
  if (path.startsWith('/items/')) return `${method} /items/{id}`;
  if (path.startsWith('/users/')) return `${method} /users/{name}/profile`;
  if (path === '/report') return `${method} /report?range=${queryParameter(features.query, 'range') ?? ''}`;
  return `${method} ${path}`;
}

/** The calls from `from` on, grouped by route, shortest mean true duration first. */
export function routeGroups(features: readonly RequestFeatures[], durationMs: Float64Array, from: number): RouteGroup[] {
  const groups = new Map<string, number[]>();
  for (let i = from; i < features.length; i++) {
    const label = routeLabel(features[i] as RequestFeatures);
    let calls = groups.get(label);
    if (calls === undefined) {
      calls = [];
      groups.set(label, calls);
    }
    calls.push(i);
  }
  const meanOf = (calls: readonly number[], values: Float64Array): number => calls.reduce((sum, i) => sum + (values[i] as number), 0) / calls.length;
  return [...groups]
    .map(([label, calls]) => ({ label, calls, meanDurationMs: meanOf(calls, durationMs) }))
    .sort((a, b) => a.meanDurationMs - b.meanDurationMs);
}

/** Mean latency of a group's calls that have one (NaN latencies, failed calls, are left out). */
export function groupMeanLatency(group: RouteGroup, latencyMs: Float64Array): number {
  let sum = 0;
  let count = 0;
  for (const i of group.calls) {
    const latency = latencyMs[i] as number;
    if (Number.isNaN(latency)) continue;
    sum += latency;
    count++;
  }
  return sum / count;
}
