import type { IncomingHttpHeaders } from 'node:http';
import type { Layer } from '@shortline/proxy';
import type { UpstreamHeaderEditor } from '../headers/knative-request-headers.js';
import type { ProbeResponder } from './knative-probe-responder.js';

/**
 * The request path's Knative step, before anything is queued or counted: probes are answered here
 * (so they never wait behind work, nor count in the autoscaler stats), and every other request has
 * the headers Knative's routing added edited for its upstream (the user container, or a pod).
 */
export function knativeLayer(
  answerProbe: ProbeResponder,
  editHeaders: (headers: IncomingHttpHeaders, editor: UpstreamHeaderEditor) => void,
): Layer {
  return (next) => (exchange) => {
    if (answerProbe(exchange.req, exchange)) return;
    editHeaders(exchange.req.headers, exchange);
    next(exchange);
  };
}
