import type { RequestFeatures } from '@shortline/core';
import type { RequestShape } from '../lib/scheduled-load.js';
import { NOISE_HEADER } from './service-backend.js';
import type { ServiceSchedule } from './service-schedule.js';

/** The header the live oracle's proxy trusts from 127.0.0.1 (trust.hintHeaders.expectedDuration's default). */
export const EXPECTED_MS_HEADER = 'x-shortline-expected-ms';

/** How the injector sends the schedule's calls. */
export interface ServiceCalls {
  path(index: number): string;
  shape(index: number): RequestShape;
}

/**
 * Call i as its features say: method, path and query; a body of its Content-Length (a view of one
 * shared buffer, so that a run of uploads of up to 8 MB costs one allocation); its noise factor for
 * the backend; and, for the live oracle, its true duration as a trusted hint.
 */
export function serviceCalls(schedule: ServiceSchedule, withHints: boolean): ServiceCalls {
  const { features, noise, hintMs } = schedule;
  let largest = 0;
  for (const call of features) largest = Math.max(largest, call.contentLength);
  const bodies = Buffer.alloc(largest, 'x');
  const of = (index: number): RequestFeatures => features[index] as RequestFeatures;
  return {
    path: (index) => of(index).target,
    shape: (index) => {
      const call = of(index);
      const headers: Record<string, string> = { [NOISE_HEADER]: String(noise[index]) };
      if (withHints) headers[EXPECTED_MS_HEADER] = String(hintMs[index]);
      return { method: call.method, headers, body: call.contentLength > 0 ? bodies.subarray(0, call.contentLength) : undefined };
    },
  };
}
