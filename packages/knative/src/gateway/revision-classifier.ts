import type { IncomingMessage } from 'node:http';
import type { Classifier } from '@shortline/proxy';

/**
 * Gateway mode's classifier for the proxy: the function of a request is its revision (its key is
 * both the function and the pool name), found from the routing headers or the Host. It never needs
 * the body, so structured classification is never asked for.
 */
export function createRevisionClassifier(resolve: (headers: IncomingMessage['headers']) => string | undefined): Classifier {
  return {
    classify: (request) => resolve(request.headers),
    classifyStructured: () => Promise.reject(new Error('revision classification never reads the body')),
  };
}
