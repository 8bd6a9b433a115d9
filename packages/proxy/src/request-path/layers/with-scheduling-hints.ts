import { MAX_DURATION_MS } from '../../config/config-section.js';
import { clientPolicyOf } from '../../data-server.js';
import type { Exchange } from '../../exchange/exchange.js';
import type { RequestHandler } from '../handler.js';
import type { HintName } from '../../metrics/proxy-metrics.js';

const DIGIT_0 = 48;
const DIGIT_9 = 57;
/** Digits of MAX_DURATION_MS: a longer number cannot be a valid hint. */
const MAX_DIGITS = String(MAX_DURATION_MS).length;

/** A hint's value: whole milliseconds, digits only, at most what a timer can wait; else undefined. */
export function parseHintMs(value: string | string[] | undefined): number | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_DIGITS) return undefined;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < DIGIT_0 || code > DIGIT_9) return undefined;
  }
  const ms = Number(value);
  return ms <= MAX_DURATION_MS ? ms : undefined;
}

/** The hint's value if it is to be honoured; else it is counted and kept from the backend. */
function take(exchange: Exchange, hint: HintName, header: string, value: string | string[], trusted: boolean): number | undefined {
  const ms = trusted ? parseHintMs(value) : undefined;
  if (ms === undefined) {
    // Passed on, it would reach the next hop (another Shortline) as if this one had vouched for it.
    exchange.removeUpstreamHeader(header);
    exchange.countHint(hint, trusted ? 'invalid' : 'untrusted');
    return undefined;
  }
  exchange.countHint(hint, 'honoured');
  return ms;
}

/**
 * Scheduling hints: a caller's own estimate of the call's duration, and of the rest of its workflow,
 * in the headers that `trust.hintHeaders` names. They move a request in the queue, so they are honoured
 * only from a client whose address is in `trust.trustedSources`; from anyone else they are ignored,
 * counted (shortline_scheduling_hints_total) and removed. A request without them costs two lookups.
 */
export function withSchedulingHints(next: RequestHandler): RequestHandler {
  return (exchange) => {
    const req = exchange.req;
    const policy = clientPolicyOf(req);
    const names = policy.hintHeaders;
    const expected = req.headers[names.expectedDuration];
    const remaining = req.headers[names.workflowRemaining];
    if (expected !== undefined || remaining !== undefined) {
      const trusted = policy.trusts(req.socket.remoteAddress);
      if (expected !== undefined) exchange.expectedDurationMs = take(exchange, 'expected-duration', names.expectedDuration, expected, trusted);
      if (remaining !== undefined) {
        exchange.remainingWorkflowMs = take(exchange, 'workflow-remaining', names.workflowRemaining, remaining, trusted);
      }
    }
    next(exchange);
  };
}
