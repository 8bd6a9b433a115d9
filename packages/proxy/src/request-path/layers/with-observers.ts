import type { RequestHandler } from '../handler.js';
import type { Lifecycle } from '../../lifecycle.js';

/** Tells the lifecycle observers a request arrived (they then hear when it starts and finishes). */
export function withObservers(next: RequestHandler, lifecycle: Lifecycle): RequestHandler {
  if (!lifecycle.observed) return next;
  return (exchange) => {
    exchange.markArrived(lifecycle);
    next(exchange);
  };
}
