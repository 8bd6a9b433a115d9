import type { PolicyName } from '@shortline/core';

/** One of the three runs on the schedule: a policy, and whether each call tells its true duration. */
export interface ClassesRunPlan {
  readonly name: 'fifo' | 'aging-srtf' | 'oracle';
  readonly policy: PolicyName;
  /** Each call carries its true duration in the trusted X-Shortline-Expected-Ms hint. */
  readonly hinted: boolean;
  readonly about: string;
}

export type ClassesRunName = ClassesRunPlan['name'];

export const CLASSES_RUNS: readonly ClassesRunPlan[] = [
  { name: 'fifo', policy: 'fifo', hinted: false, about: 'arrival order, as Knative queues' },
  { name: 'aging-srtf', policy: 'aging-srtf', hinted: false, about: 'aging-srtf on the request classes it learns, no configuration' },
  { name: 'oracle', policy: 'aging-srtf', hinted: true, about: "aging-srtf told each call's true duration (X-Shortline-Expected-Ms, trusted from 127.0.0.1/32)" },
];
