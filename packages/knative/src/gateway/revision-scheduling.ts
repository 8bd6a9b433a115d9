import { isPriority, PRIORITIES, type Priority } from '@shortline/core';
import { MAX_DURATION_MS } from '@shortline/proxy';

/** A revision's tier (`functions[].priority`): set on the Service's `spec.template.metadata.annotations`. */
export const PRIORITY_ANNOTATION = 'shortline.dev/priority';
/** A revision's latency objective in whole milliseconds (`functions[].deadlineMs`); 0 = none. */
export const DEADLINE_ANNOTATION = 'shortline.dev/deadline-ms';

/** An annotation whose value could not be used: the default applies, and the gateway logs why. */
export interface IgnoredAnnotation {
  readonly annotation: string;
  readonly value: string;
  readonly expected: string;
}

/** What a revision's annotations say about how its requests are scheduled. */
export interface RevisionScheduling {
  readonly priority: Priority;
  readonly deadlineMs: number;
  readonly ignoredAnnotations: readonly IgnoredAnnotation[];
}

export const DEFAULT_REVISION_SCHEDULING: RevisionScheduling = { priority: 'normal', deadlineMs: 0, ignoredAnnotations: [] };

const WHOLE_MILLISECONDS = /^\d+$/;

/**
 * Reads the scheduling annotations of a Revision (Knative copies them from the Service's template).
 * A bad value never stops discovery: the revision is scheduled with the default and the value is
 * reported in `ignoredAnnotations`.
 */
export function readRevisionScheduling(annotations: Readonly<Record<string, string>> | undefined): RevisionScheduling {
  const ignoredAnnotations: IgnoredAnnotation[] = [];
  let priority = DEFAULT_REVISION_SCHEDULING.priority;
  const priorityValue = annotations?.[PRIORITY_ANNOTATION];
  if (priorityValue !== undefined) {
    if (isPriority(priorityValue)) priority = priorityValue;
    else ignoredAnnotations.push({ annotation: PRIORITY_ANNOTATION, value: priorityValue, expected: PRIORITIES.join(', ') });
  }
  let deadlineMs = DEFAULT_REVISION_SCHEDULING.deadlineMs;
  const deadlineValue = annotations?.[DEADLINE_ANNOTATION];
  if (deadlineValue !== undefined) {
    const parsed = Number(deadlineValue);
    if (WHOLE_MILLISECONDS.test(deadlineValue) && parsed <= MAX_DURATION_MS) deadlineMs = parsed;
    else ignoredAnnotations.push({ annotation: DEADLINE_ANNOTATION, value: deadlineValue, expected: `whole milliseconds, 0 to ${MAX_DURATION_MS}` });
  }
  return { priority, deadlineMs, ignoredAnnotations };
}

export function sameScheduling(a: RevisionScheduling, b: RevisionScheduling): boolean {
  return (
    a.priority === b.priority &&
    a.deadlineMs === b.deadlineMs &&
    a.ignoredAnnotations.length === b.ignoredAnnotations.length &&
    a.ignoredAnnotations.every((ignored, i) => ignored.annotation === b.ignoredAnnotations[i]?.annotation && ignored.value === b.ignoredAnnotations[i]?.value)
  );
}
