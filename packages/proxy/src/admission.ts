import type { RequestHandler } from './handler.js';
import type { FunctionRuntime } from './proxy-settings.js';
import type { QueueDriver } from './queue-driver.js';

export interface AdmissionOptions {
  /** The configured functions now (replaced on reload). */
  readonly functions: () => ReadonlyMap<string, FunctionRuntime>;
  readonly driver: QueueDriver;
}

/**
 * The innermost step: a classified request joins its function's queue (or is refused: unknown
 * function, queue full). From here the scheduler loop, not the caller, starts it.
 */
export function createAdmission(options: AdmissionOptions): RequestHandler {
  return (exchange) => {
    const fn = options.functions().get(exchange.functionName);
    if (fn === undefined) {
      exchange.refuse('unknown-function');
      return;
    }
    exchange.assign(fn);
    options.driver.admit(exchange);
  };
}
