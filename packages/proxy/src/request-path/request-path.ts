import type { Classifier } from '../classify/index.js';
import type { Lifecycle } from '../lifecycle.js';
import type { Layer, RequestHandler } from './handler.js';
import { withClassification } from './layers/with-classification.js';
import { withForwardedHeaders } from './layers/with-forwarded-headers.js';
import { withObservers } from './layers/with-observers.js';
import { withRequestChecks } from './layers/with-request-checks.js';
import { withRequestFeatures, type RequestFeaturesOptions } from './layers/with-request-features.js';
import { withRequestId } from './layers/with-request-id.js';
import { withSchedulingHints } from './layers/with-scheduling-hints.js';

export interface RequestPathOptions {
  /** The innermost step: into the dispatch loop (admission), or for an upgrade the relay. */
  readonly innermost: RequestHandler;
  readonly classifier: Classifier;
  /** Extra layers, outermost first (Knative probes and header edits). */
  readonly layers: readonly Layer[];
  readonly lifecycle: Lifecycle;
  readonly forwardedHeaders: boolean;
  /** An upgrade: not observed, no scheduling hints or features, no body read to classify it. */
  readonly upgrade: boolean;
  /** What the scheduler predicts a request from (the `predictor` section). */
  readonly features: RequestFeaturesOptions;
}

/**
 * Everything a request goes through, in one place. Built innermost first, so a request runs these
 * steps bottom to top:
 *
 *   1. withRequestId         X-Request-Id taken or made (every log line and refusal names it)
 *   2. withRequestChecks     ambiguous target, Host or framing refused (400, 431, 501, 505)
 *   3. withForwardedHeaders  X-Forwarded-For/-Proto and Forwarded for the backend
 *   4. extra layers          e.g. Knative probes answered here, never queued nor counted
 *   5. withObservers         lifecycle observers told it arrived (off while there are none)   ┐ not for
 *   6. withClassification    which function it belongs to (404 if none)                       │ upgrades:
 *   7. withSchedulingHints   a trusted caller's duration hints taken, anyone else's ignored   │ 5, 7
 *   8. withRequestFeatures   route, query, body size, CloudEvent type: what predicts it      ┘ and 8
 *   9. innermost             admission into the dispatch loop (queued, then started), or the upgrade relay
 */
export function buildRequestPath(options: RequestPathOptions): RequestHandler {
  let handler = options.innermost;
  if (!options.upgrade) handler = withSchedulingHints(withRequestFeatures(handler, options.features));
  handler = withClassification(handler, options.classifier, !options.upgrade);
  if (!options.upgrade) handler = withObservers(handler, options.lifecycle);
  for (let i = options.layers.length - 1; i >= 0; i--) handler = (options.layers[i] as Layer)(handler);
  handler = withForwardedHeaders(handler, { enabled: options.forwardedHeaders });
  handler = withRequestChecks(handler);
  handler = withRequestId(handler);
  return handler;
}
