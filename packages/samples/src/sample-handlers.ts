import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream';
import { durationParameter } from './duration-parameter.js';
import { modelledHandler } from './modelled-handler.js';
import type { SampleHandler } from './sample-handler.js';
import { DEFAULT_CAPACITY, type SampleKind } from './sample-kind.js';
import { formatSampleUsage, SAMPLE_USAGE_HEADER, startUsageMeter, type SampleUsage } from './sample-usage.js';
import { serviceHandler } from './service-handler.js';

/** Ends the call's usage measure, when the request asked for one. */
type UsageMeter = (() => SampleUsage) | undefined;

function answer(response: ServerResponse, status: number, text: string, usage?: UsageMeter): void {
  const length = Buffer.byteLength(text);
  if (usage === undefined) response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': length });
  else response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': length, [SAMPLE_USAGE_HEADER]: formatSampleUsage(usage()) });
  response.end(text);
}

/**
 * Reads the duration parameter, or answers 400 naming it; the body is drained so the connection
 * stays reusable. Starts the usage measure when the request carries SAMPLE_USAGE_HEADER.
 */
function withDuration(header: string, maxMs: number, run: (ms: number, response: ServerResponse, usage: UsageMeter) => void): SampleHandler {
  return (request, response) => {
    const usage = request.headers[SAMPLE_USAGE_HEADER] === undefined ? undefined : startUsageMeter();
    request.resume();
    const parsed = durationParameter(request, header, maxMs);
    if ('problem' in parsed) answer(response, 400, `${parsed.problem}\n`, usage);
    else run(parsed.ms, response, usage);
  };
}

function sleepHandler(maxMs: number): SampleHandler {
  return withDuration('x-sleep-ms', maxMs, (ms, response, usage) => {
    if (ms === 0) {
      answer(response, 200, 'slept 0 ms\n', usage);
      return;
    }
    const timer = setTimeout(() => answer(response, 200, `slept ${ms} ms\n`, usage), ms);
    // A client that leaves stops the wait.
    response.on('close', () => clearTimeout(timer));
  });
}

function spinHandler(maxMs: number): SampleHandler {
  return withDuration('x-spin-ms', maxMs, (ms, response, usage) => {
    const until = performance.now() + ms;
    let iterations = 0;
    while (performance.now() < until) iterations++;
    answer(response, 200, `spun ${ms} ms (${iterations} iterations)\n`, usage);
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
    case 'service':
      return serviceHandler;
    case 'sequential':
    case 'shared':
      return modelledHandler(kind, capacity ?? DEFAULT_CAPACITY[kind], maxMs);
  }
}
