import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream';
import { durationParameter } from './duration-parameter.js';
import { modelledHandler } from './modelled-handler.js';
import { DEFAULT_CAPACITY, type SampleKind } from './sample-kind.js';

export type SampleHandler = (request: IncomingMessage, response: ServerResponse) => void;

function answer(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

/** Reads the duration parameter, or answers 400 naming it; the body is drained so the connection stays reusable. */
function withDuration(header: string, maxMs: number, run: (ms: number, request: IncomingMessage, response: ServerResponse) => void): SampleHandler {
  return (request, response) => {
    request.resume();
    const parsed = durationParameter(request, header, maxMs);
    if ('problem' in parsed) answer(response, 400, `${parsed.problem}\n`);
    else run(parsed.ms, request, response);
  };
}

function sleepHandler(maxMs: number): SampleHandler {
  return withDuration('x-sleep-ms', maxMs, (ms, _request, response) => {
    if (ms === 0) {
      answer(response, 200, 'slept 0 ms\n');
      return;
    }
    const timer = setTimeout(() => answer(response, 200, `slept ${ms} ms\n`), ms);
    // A client that leaves stops the wait.
    response.on('close', () => clearTimeout(timer));
  });
}

function spinHandler(maxMs: number): SampleHandler {
  return withDuration('x-spin-ms', maxMs, (ms, _request, response) => {
    const until = performance.now() + ms;
    let iterations = 0;
    while (performance.now() < until) iterations++;
    answer(response, 200, `spun ${ms} ms (${iterations} iterations)\n`);
  });
}

/** Streams the body back as it arrives: nothing is buffered beyond what backpressure allows. */
const echoHandler: SampleHandler = (request, response) => {
  const length = request.headers['content-length'];
  response.writeHead(200, {
    'content-type': request.headers['content-type'] ?? 'application/octet-stream',
    ...(length === undefined ? {} : { 'content-length': length }),
  });
  response.flushHeaders();
  pipeline(request, response, (error) => {
    if (error) response.destroy();
  });
};

/** `capacity`: workers or cores of a modelled kind (sequential, shared); the others ignore it. */
export function sampleHandler(kind: SampleKind, maxMs: number, capacity?: number): SampleHandler {
  switch (kind) {
    case 'sleep':
      return sleepHandler(maxMs);
    case 'spin':
      return spinHandler(maxMs);
    case 'echo':
      return echoHandler;
    case 'sequential':
    case 'shared':
      return modelledHandler(kind, capacity ?? DEFAULT_CAPACITY[kind], maxMs);
  }
}
