import { SIDECAR_PORTS } from '../env/apply-knative-env.js';
import { envInteger, envText, type Environment } from '../env/knative-env.js';

/** Where the sidecar's side listeners bind (the serving port is QUEUE_SERVING_PORT's). */
export interface SidecarListeners {
  /** The address every listener binds, the serving port's included. */
  readonly host: string;
  /** `/wait-for-drain`. */
  readonly admin: number;
  /** The autoscaler's protobuf Stat. */
  readonly stats: number;
  /** Prometheus metrics, `/readyz`, `/debug/queue`. */
  readonly metrics: number;
  /**
   * Where Knative mounts the serving certificate (`tls.crt`, `tls.key`) when system-internal TLS is
   * on; with both files there, QUEUE_SERVING_TLS_PORT serves TLS.
   */
  readonly certDirectory: string;
}

/** What Knative's pod spec expects of its queue-proxy. */
export const KNATIVE_SIDECAR_LISTENERS: SidecarListeners = {
  host: '0.0.0.0',
  admin: SIDECAR_PORTS.admin,
  stats: SIDECAR_PORTS.autoscalerStats,
  metrics: SIDECAR_PORTS.userMetrics,
  certDirectory: '/var/lib/knative/certs',
};

/**
 * Knative's listeners, unless SHORTLINE_SIDECAR_HOST, SHORTLINE_SIDECAR_{ADMIN,STATS,METRICS}_PORT or
 * SHORTLINE_SIDECAR_CERT_DIR say otherwise. Knative never sets these: they exist to run a sidecar outside a pod, e.g. several on
 * one machine (port 0 picks a free port). Throws KnativeEnvError naming a malformed one.
 */
export function readSidecarListeners(env: Environment): SidecarListeners {
  return {
    host: envText(env, 'SHORTLINE_SIDECAR_HOST', KNATIVE_SIDECAR_LISTENERS.host),
    admin: envInteger(env, 'SHORTLINE_SIDECAR_ADMIN_PORT', KNATIVE_SIDECAR_LISTENERS.admin, 0, 65535),
    stats: envInteger(env, 'SHORTLINE_SIDECAR_STATS_PORT', KNATIVE_SIDECAR_LISTENERS.stats, 0, 65535),
    metrics: envInteger(env, 'SHORTLINE_SIDECAR_METRICS_PORT', KNATIVE_SIDECAR_LISTENERS.metrics, 0, 65535),
    certDirectory: envText(env, 'SHORTLINE_SIDECAR_CERT_DIR', KNATIVE_SIDECAR_LISTENERS.certDirectory),
  };
}
