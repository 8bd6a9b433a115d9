import type { DispatchEvents } from '../dispatch/dispatchable.js';
import type { Exchange } from '../exchange/exchange.js';
import type { FunctionEntry } from '../exchange/proxy-settings.js';
import type { RequestHandler } from './handler.js';

export interface AdmissionOptions {
  /** The functions requests can be admitted to now (replaced on reload). */
  readonly functions: () => ReadonlyMap<string, FunctionEntry>;
  readonly loop: DispatchEvents<Exchange>;
}

/**
 * The innermost step: a classified request of a known function is handed to the dispatch loop, which
 * queues it (or refuses it: queue full) and starts it when a slot frees.
 */
export function createAdmission(options: AdmissionOptions): RequestHandler {
  return (exchange) => {
    const fn = options.functions().get(exchange.functionName);
    if (fn === undefined) {
      exchange.refuse('unknown-function');
      return;
    }
    exchange.assign(fn);
    options.loop.arrived(exchange);
  };
}
