import { HttpClientResponse, type ClientResponse } from './exchange/client-response.js';

/** The status the client was answered with; 0 while no head is out, and for an upgrade's socket. */
export function answerStatus(response: ClientResponse): number {
  return response instanceof HttpClientResponse && response.res.headersSent ? response.res.statusCode : 0;
}
