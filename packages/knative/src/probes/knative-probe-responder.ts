import type { IncomingMessage } from 'node:http';
import { isHealthCheck } from './probe-request.js';

/** The K-Network-Probe value that asks for the user container's readiness. */
export const QUEUE_PROBE = 'queue';
/** The K-Network-Probe value of the networking layer's probe, answered by echoing K-Network-Hash. */
export const NETWORK_PROBE = 'probe';

export interface KnativeProbesOptions {
  /** Runs the user container's readiness probe (a ReadinessProber's `probe`). */
  readonly ready: () => Promise<boolean>;
  /** True once draining has begun: every probe then answers 503 so traffic moves elsewhere. */
  readonly draining: () => boolean;
}

/** Where a probe's answer goes: the proxy's exchange (its response owner), or a plain server's response. */
export interface ProbeAnswer {
  reply(status: number, body: string, headers?: Readonly<Record<string, string>>): void;
}

/** Answers the request if it is a probe and returns true; returns false, touching nothing, otherwise. */
export type ProbeResponder = (req: IncomingMessage, answer: ProbeAnswer) => boolean;

/**
 * Answers Knative's probes the way its queue-proxy does, on any path, before anything is queued or
 * counted:
 *  - a health check (User-Agent kube-probe/, Knative-Activator-Probe, Knative-Autoscaling-Probe, or a
 *    K-Kubelet-Probe header) must carry `K-Network-Probe: queue`;
 *  - `K-Network-Probe: queue` runs the readiness probe: 200 with body `queue`, or 503;
 *  - `K-Network-Probe: probe` answers 200 echoing K-Network-Hash (400 without one);
 *  - any other K-Network-Probe value is a 400: the activator's name is never an answer;
 *  - while draining, every probe gets 503.
 * A request layer calls it first and passes the request on when it returns false.
 */
export function createKnativeProbeResponder(options: KnativeProbesOptions): ProbeResponder {
  const answerReadiness = (answer: ProbeAnswer): void => {
    options.ready().then(
      (ready) => (ready ? answer.reply(200, QUEUE_PROBE) : answer.reply(503, 'container not ready')),
      () => answer.reply(503, 'container not ready'),
    );
  };

  return (req, answer) => {
    const value = req.headers['k-network-probe'];
    const healthCheck = isHealthCheck(req.headers);
    if (value === undefined && !healthCheck) return false;
    req.resume();
    if (options.draining()) {
      answer.reply(503, 'shutting down');
    } else if (value === QUEUE_PROBE) {
      answerReadiness(answer);
    } else if (value === NETWORK_PROBE && !healthCheck) {
      const hash = req.headers['k-network-hash'];
      if (typeof hash === 'string' && hash !== '') answer.reply(200, '', { 'k-network-hash': hash });
      else answer.reply(400, 'a probe request must carry a non-empty K-Network-Hash header');
    } else {
      answer.reply(400, `unexpected probe header value: ${value ?? ''}`);
    }
    return true;
  };
}
