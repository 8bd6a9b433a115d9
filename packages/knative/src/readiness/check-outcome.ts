/** What one probe attempt found; a failure says why, for the log line a user will read. */
export type CheckOutcome = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export const CHECK_OK: CheckOutcome = Object.freeze({ ok: true });

export function checkFailed(reason: string): CheckOutcome {
  return { ok: false, reason };
}

/** Knative's probes identify themselves to the user container the way the kubelet does. */
export const PROBE_USER_AGENT = 'kube-probe/shortline';
