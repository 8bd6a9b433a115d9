import type { IncomingHttpHeaders } from 'node:http';

/** User agents whose requests are health checks, whatever their path (Knative's drainer list). */
const HEALTH_CHECK_AGENT_PREFIXES = ['kube-probe/', 'Knative-Activator-Probe', 'Knative-Autoscaling-Probe'] as const;

/** The kubelet, or Knative's activator or autoscaler, checking on this pod. */
export function isHealthCheck(headers: IncomingHttpHeaders): boolean {
  if (headers['k-kubelet-probe'] !== undefined) return true;
  const agent = headers['user-agent'];
  if (agent === undefined) return false;
  for (const prefix of HEALTH_CHECK_AGENT_PREFIXES) if (agent.startsWith(prefix)) return true;
  return false;
}
