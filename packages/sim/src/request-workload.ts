import type { RequestFeatures } from '@shortline/core';
import { normalQuantile } from './normal-quantile.js';
import type { Random } from './random.js';
import type { DrawnRequest, Workload } from './workload.js';

/** One kind of request a service answers, and how long it takes before noise. */
export interface RequestRoute {
  /** Its share of the service's calls; the shares of a service add up to 1. */
  readonly share: number;
  /** The exact mean of `baseMs` over its draws. */
  readonly meanBaseMs: number;
  draw(random: Random): { readonly features: RequestFeatures; readonly baseMs: number };
}

/** A standard normal draw that is never infinite. */
function normal(random: Random): number {
  return normalQuantile((random.nextUint32() + 0.5) / 2 ** 32);
}

/**
 * One service (ONE function, the way the sidecar sees a Knative revision) answering several kinds of
 * request: each call's duration is its route's base duration, which depends on its features, times
 * log-normal noise of `sigma` (the same call does not take exactly as long twice).
 */
export function createRequestWorkload(name: string, routes: readonly RequestRoute[], sigma: number): Workload {
  const cumulative = new Float64Array(routes.length);
  let share = 0;
  let meanBaseMs = 0;
  routes.forEach((route, index) => {
    share += route.share;
    cumulative[index] = share;
    meanBaseMs += route.share * route.meanBaseMs;
  });
  const drawRequest = (_fn: number, random: Random): DrawnRequest => {
    const u = random.next() * share;
    let index = 0;
    while (index < routes.length - 1 && (cumulative[index] as number) <= u) index++;
    const { features, baseMs } = (routes[index] as RequestRoute).draw(random);
    return { features, durationMs: baseMs * Math.exp(sigma * normal(random)) };
  };
  return {
    functions: [{ name, averageMs: undefined }],
    meanDurationMs: (meanBaseMs / share) * Math.exp((sigma * sigma) / 2),
    drawFunction: () => 0,
    drawDuration: (fn, random) => drawRequest(fn, random).durationMs,
    drawRequest,
  };
}
