import type { IncomingMessage, ServerResponse } from 'node:http';
import { countParameter } from './count-parameter.js';
import { generateGraph } from './generated-graph.js';
import { breadthFirst } from './graph-bfs.js';
import { pageRank } from './graph-pagerank.js';
import { gzipBody } from './gzip-body.js';
import { renderItems } from './render-items.js';
import { resizeImage } from './resize-image.js';
import type { SampleHandler } from './sample-handler.js';

/** Out-edges per vertex of the generated graphs. */
const DEGREE = 8;
const MAX_VERTICES = 1_000_000;
const MAX_ITERATIONS = 100;
const MAX_ITEMS = 1_000_000;
const MAX_WIDTH = 4096;
/** An image body is decoded whole; larger ones get 413. */
const MAX_IMAGE_BYTES = 16 * 1024 * 1024;

function answer(response: ServerResponse, status: number, body: string | object, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : `${JSON.stringify(body)}\n`;
  const type = typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json';
  response.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text), ...headers });
  response.end(text);
}

/** Reads a body up to `limit` bytes; undefined (and the rest drained) past it. */
async function readBody(request: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      request.resume();
      return undefined;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

type Route = (request: IncomingMessage, response: ServerResponse, query: URLSearchParams) => void | Promise<void>;

function graphRoute(run: (n: number, query: URLSearchParams, response: ServerResponse) => void): Route {
  return (request, response, query) => {
    request.resume();
    const n = countParameter(query, 'n', 1000, MAX_VERTICES);
    if ('problem' in n) answer(response, 400, `${n.problem}\n`);
    else run(n.value, query, response);
  };
}

/**
 * Several functions whose work grows with their input, in the spirit of SeBS, as routes of one
 * service (the way one Knative revision often serves several): every answer says its work in
 * `x-work-units` where it is known before the body (gzip streams, so its work is its size).
 */
const ROUTES: Readonly<Record<string, Route>> = {
  'GET /graph/bfs': graphRoute((n, _query, response) => {
    const result = breadthFirst(generateGraph(n, DEGREE), 0);
    answer(response, 200, { vertices: n, ...result }, { 'x-work-units': String(n * DEGREE + result.edgesScanned) });
  }),
  'GET /graph/pagerank': graphRoute((n, query, response) => {
    const iterations = countParameter(query, 'iterations', 20, MAX_ITERATIONS);
    if ('problem' in iterations) {
      answer(response, 400, `${iterations.problem}\n`);
      return;
    }
    const result = pageRank(generateGraph(n, DEGREE), iterations.value);
    answer(response, 200, { vertices: n, iterations: iterations.value, ...result }, { 'x-work-units': String(n * DEGREE + result.edgeVisits) });
  }),
  'GET /render': (request, response, query) => {
    request.resume();
    const n = countParameter(query, 'n', 100, MAX_ITEMS);
    const format = query.get('format') ?? 'html';
    if ('problem' in n) answer(response, 400, `${n.problem}\n`);
    else if (format !== 'html' && format !== 'json') answer(response, 400, `format must be html or json, got ${JSON.stringify(format.slice(0, 40))}\n`);
    else return renderItems(response, n.value, format);
  },
  'POST /gzip': (request, response) => gzipBody(request, response),
  'POST /thumbnail': async (request, response, query) => {
    const width = countParameter(query, 'w', 128, MAX_WIDTH);
    if ('problem' in width) {
      request.resume();
      answer(response, 400, `${width.problem}\n`);
      return;
    }
    const body = await readBody(request, MAX_IMAGE_BYTES);
    if (body === undefined) {
      answer(response, 413, `an image of at most ${MAX_IMAGE_BYTES} bytes, please\n`);
      return;
    }
    let thumbnail: Awaited<ReturnType<typeof resizeImage>>;
    try {
      thumbnail = await resizeImage(body, width.value);
    } catch (error) {
      answer(response, 400, `the body is not an image jimp can read: ${(error as Error).message}\n`);
      return;
    }
    if (thumbnail === undefined) {
      answer(response, 501, 'image resizing needs jimp, a development dependency of @shortline/samples\n');
      return;
    }
    response.writeHead(200, { 'content-type': 'image/png', 'content-length': thumbnail.png.length, 'x-work-units': String(thumbnail.inputPixels) });
    response.end(thumbnail.png);
  },
};

const SERVICE_ROUTES = Object.keys(ROUTES);

export const serviceHandler: SampleHandler = (request, response) => {
  const target = request.url ?? '/';
  const question = target.indexOf('?');
  const path = question < 0 ? target : target.slice(0, question);
  const route = ROUTES[`${request.method ?? 'GET'} ${path}`];
  if (route === undefined) {
    request.resume();
    answer(response, 404, `no route ${request.method ?? ''} ${path.slice(0, 100)}; routes: ${SERVICE_ROUTES.join(', ')}\n`);
    return;
  }
  const done = route(request, response, new URLSearchParams(question < 0 ? '' : target.slice(question + 1)));
  if (done instanceof Promise) done.catch(() => response.destroy());
};
