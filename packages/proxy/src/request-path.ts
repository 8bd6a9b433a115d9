import type { Classifier } from './classify/index.js';
import type { Layer, RequestHandler } from './handler.js';
import { withClassification } from './layers/with-classification.js';
import { withForwardedHeaders } from './layers/with-forwarded-headers.js';
import { withObservers } from './layers/with-observers.js';
import { withRequestId } from './layers/with-request-id.js';
import type { Lifecycle } from './lifecycle.js';

export interface RequestPathOptions {
  /** The innermost step: into the queue. The scheduler loop forwards from there. */
  readonly admission: RequestHandler;
  readonly classifier: Classifier;
  /** Extra layers, outermost first (Knative probes, autoscaler stats). */
  readonly layers: readonly Layer[];
  readonly lifecycle: Lifecycle;
  readonly forwardedHeaders: boolean;
}

/**
 * Everything a request goes through, in one place. Built innermost first, so a request runs these
 * steps bottom to top:
 *
 *   1. withRequestId         X-Request-Id taken or made (every log line and refusal names it)
 *   2. withForwardedHeaders  X-Forwarded-For/-Proto and Forwarded for the backend
 *   3. extra layers          e.g. Knative probes answered here, never queued nor counted
 *   4. withObservers         lifecycle observers told it arrived (off while there are none)
 *   5. withClassification    which function it belongs to (404 if none)
 *   6. admission             into the function's queue (503 if full); the scheduler loop sends it on
 */
export function buildRequestPath(options: RequestPathOptions): RequestHandler {
  let handler = options.admission;
  handler = withClassification(handler, options.classifier);
  handler = withObservers(handler, options.lifecycle);
  for (let i = options.layers.length - 1; i >= 0; i--) handler = (options.layers[i] as Layer)(handler);
  handler = withForwardedHeaders(handler, { enabled: options.forwardedHeaders });
  handler = withRequestId(handler);
  return handler;
}
