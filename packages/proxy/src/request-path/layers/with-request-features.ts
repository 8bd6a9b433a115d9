import type { IncomingMessage } from 'node:http';
import { contentLengthOf, queryParameter, requestFeatures, UNKNOWN_LENGTH } from '@shortline/core';
import type { PredictorFeature } from '../../config/index.js';
import { hasBody } from '../../request-body.js';
import type { RequestHandler } from '../handler.js';

export interface RequestFeaturesOptions {
  /** Method, route, query, body size and CloudEvent type (`predictor.requestFeatures`). */
  readonly automatic: boolean;
  /** The operator's own headers and query parameters (`predictor.features`), in order. */
  readonly extra: readonly PredictorFeature[];
}

/** Keeps the operator's feature values apart: a character no header value or query carries. */
const SEPARATOR = '\u001f';

function single(value: string | string[] | undefined): string {
  if (value === undefined) return '';
  return typeof value === 'string' ? value : value.join(', ');
}

function queryOf(url: string): string {
  const question = url.indexOf('?');
  return question < 0 ? '' : url.slice(question + 1);
}

/** The operator's feature values, joined in configuration order ('' for one the request lacks). */
function extraValues(req: IncomingMessage, extra: readonly PredictorFeature[]): string {
  let joined = '';
  let query: string | undefined;
  for (let i = 0; i < extra.length; i++) {
    const feature = extra[i] as PredictorFeature;
    const value = feature.source === 'header' ? single(req.headers[feature.name]) : (queryParameter((query ??= queryOf(req.url ?? '/')), feature.name) ?? '');
    joined = i === 0 ? value : joined + SEPARATOR + value;
  }
  return joined;
}

/**
 * What a request shows before it runs, for the scheduler to predict it by: its method, route, query,
 * body size (Content-Length; unknown when chunked) and CloudEvent type (`ce-type`, or the type the
 * classifier read from a structured event), and the operator's own headers and query parameters.
 * A few header reads and one indexOf (the target is kept whole); the body is never touched, and
 * what costs (route templates, distinct-value counting) is the core's, bounded. Off in both
 * respects, it is not in the path.
 */
export function withRequestFeatures(next: RequestHandler, options: RequestFeaturesOptions): RequestHandler {
  const { automatic, extra } = options;
  if (!automatic && extra.length === 0) return next;
  return (exchange) => {
    const req = exchange.req;
    const extraValue = extra.length === 0 ? undefined : extraValues(req, extra);
    if (automatic) {
      const headers = req.headers;
      const ceType = exchange.cloudEventType ?? headers['ce-type'];
      const length = contentLengthOf(headers['content-length'], hasBody(req));
      exchange.features = requestFeatures(req.method ?? '', req.url ?? '/', length, typeof ceType === 'string' ? ceType : undefined, extraValue);
    } else {
      exchange.features = requestFeatures('', '', UNKNOWN_LENGTH, undefined, extraValue);
    }
    next(exchange);
  };
}
