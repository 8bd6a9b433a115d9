import type { Exchange } from '../exchange/exchange.js';

/** One step of the request path: it answers the exchange itself or hands it to the next step. */
export type RequestHandler = (exchange: Exchange) => void;

/**
 * A wrapper around the rest of the request path (Knative probes, autoscaler stats, ...). It returns
 * `next` itself when it has nothing to do, so a switched-off layer costs nothing per request.
 */
export type Layer = (next: RequestHandler) => RequestHandler;
