import type { IncomingMessage, ServerResponse } from 'node:http';

/** What a sample does with one request. */
export type SampleHandler = (request: IncomingMessage, response: ServerResponse) => void;
