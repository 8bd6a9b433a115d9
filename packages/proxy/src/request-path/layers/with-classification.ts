import { NEEDS_BODY, type Classifier } from '../../classify/index.js';
import type { Exchange } from '../../exchange/exchange.js';
import type { RequestHandler } from '../handler.js';

async function classifyByBody(exchange: Exchange, classifier: Classifier, next: RequestHandler): Promise<void> {
  let outcome;
  exchange.watchBody();
  try {
    outcome = await classifier.classifyStructured(exchange.req);
  } catch {
    // The request stream failed: the client went away, and the exchange already knows.
    return;
  }
  if (exchange.phase !== 'received') return;
  if ('error' in outcome) {
    exchange.refuse(outcome.error === 'too-large' ? 'cloudevent-too-large' : 'invalid-cloudevent');
    return;
  }
  const functionName: unknown = outcome.functionName;
  if (functionName === undefined) {
    exchange.refuse('unknown-function');
    return;
  }
  // An event the SDK let through without a type (it checks only some spec versions) names nothing.
  if (typeof functionName !== 'string') {
    exchange.refuse('invalid-cloudevent');
    return;
  }
  exchange.bufferedBody = outcome.body;
  exchange.cloudEventType = outcome.eventType;
  exchange.classifiedAs(functionName);
  // Off the request's own call stack: a throw here would be an unhandled rejection, not a 500.
  try {
    next(exchange);
  } catch (error) {
    exchange.abandon('internal-error', error instanceof Error ? error : new Error(String(error)));
  }
}

/**
 * Names the function a request belongs to (config rules, first match wins). Only a structured-mode
 * CloudEvent that a `ceType` rule must look inside has its body read (size-limited), and that body is
 * then forwarded in place of the stream; every other request stays unread. With `readsBodies` false
 * (upgrades: there is no body to look into) a rule that needs one cannot match.
 */
export function withClassification(next: RequestHandler, classifier: Classifier, readsBodies = true): RequestHandler {
  return (exchange) => {
    const functionName = classifier.classify(exchange.req);
    if (functionName === NEEDS_BODY) {
      if (readsBodies) void classifyByBody(exchange, classifier, next);
      else exchange.refuse('unknown-function');
      return;
    }
    if (functionName === undefined) {
      exchange.refuse('unknown-function');
      return;
    }
    exchange.classifiedAs(functionName);
    next(exchange);
  };
}
