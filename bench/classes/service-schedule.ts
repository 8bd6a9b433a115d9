import type { RequestFeatures } from '@shortline/core';
import { createMixSchedule, createSyntheticWorkload, serviceBaseMs, type Schedule } from '@shortline/sim';
import { fitSchedule, type FittedSchedule } from '../policies/benchmark-schedule.js';
import { scaleRequestWorkload } from '../policies/scaled-workload.js';
import type { ClassesSettings } from './classes-options.js';

/** The service's calls for every run, with what each request carries besides its features. */
export interface ServiceSchedule extends FittedSchedule {
  /** Each call's request: method, path, query and body size, as the proxy will see them. */
  readonly features: readonly RequestFeatures[];
  /**
   * Each call's noise: its true (scaled) duration ÷ its scaled base duration. The backend computes
   * the base from the request it receives and multiplies; sent in a header no predictor reads.
   */
  readonly noise: Float64Array;
  /** The live oracle's hint: the true duration in whole milliseconds (the hint header's format), at least 1. */
  readonly hintMs: Float64Array;
  /** The workload's parameters (the noise's spread). */
  readonly parameters: Readonly<Record<string, number>>;
}

export const SERVICE_LABEL = 'synthetic service (one function)';

/**
 * The simulator's `service` workload (its routes, a report by range, an upload linear in its body,
 * a thumbnail growing as a power of it; log-normal noise), as one Poisson schedule fitted to the
 * run's duration.
 */
export function createServiceSchedule(settings: ClassesSettings): ServiceSchedule {
  const workload = createSyntheticWorkload({ kind: 'service' });
  const options = { invocations: settings.invocations, slots: settings.slots, load: settings.load, seed: settings.seed };
  const fitted = fitSchedule((scale) => createMixSchedule(scale === undefined ? workload : scaleRequestWorkload(workload, scale), options), {
    durationS: settings.durationS,
    floorMs: settings.floorMs,
    slots: settings.slots,
    label: SERVICE_LABEL,
  });
  const schedule: Schedule = fitted.schedule;
  const features = schedule.features as readonly RequestFeatures[];
  const n = schedule.arrivalMs.length;
  const noise = new Float64Array(n);
  const hintMs = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const base = serviceBaseMs(features[i] as RequestFeatures);
    if (base === undefined) throw new Error(`service schedule: call ${i} (${features[i]?.method} ${features[i]?.path}) has no base duration`);
    const duration = schedule.durationMs[i] as number;
    noise[i] = duration / (fitted.scale.factor * base);
    hintMs[i] = Math.max(1, Math.round(duration));
  }
  return { ...fitted, features, noise, hintMs, parameters: workload.parameters };
}
