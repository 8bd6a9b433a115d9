import type { IncomingMessage, ServerResponse } from 'node:http';
import { createContainerModel, type ContainerModelKind } from '@shortline/sim';
import { durationParameter } from './duration-parameter.js';
import type { SampleHandler } from './sample-handler.js';

/** The path that changes a modelled sample's workers or cores: `PUT /capacity?k=N`. */
export const CAPACITY_PATH = '/capacity';

const WHOLE = /^\d+$/;
/** How late a timer may fire (libuv counts whole milliseconds): the timer aims this much before the end. */
const TIMER_LATENESS_MS = 1.5;
/** A call due within this much of now ends now. */
const ON_TIME_MS = 0.05;

function answer(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

/**
 * A backend modelled rather than burnt: `sequential` runs calls on K workers first come first served
 * from a backlog, `shared` shares K virtual cores among all calls (each of n gets min(1, K/n) of one).
 * A call asks for its work with `?ms=` (or `x-<kind>-ms`). The simulator's own container model
 * decides when each call ends; one timer, re-armed on every arrival and departure, carries it out in
 * real time, so the sample costs next to no CPU however many cores it pretends to have. The timer is
 * set to fire a little early and the last stretch is waited out in the event loop's check phase, so
 * that an answer leaves when its call ends: a timer alone fires about a millisecond late, which a
 * caller that sends the next call only once it has the answer (a proxy holding the rest) would pay
 * as idle time of the worker on every call, while calls queued inside start on time.
 *
 * The response head goes out when a call is admitted (`x-sample-admitted: N`, the arrival order), the
 * body when it ends (`finish #N`, the order calls ended in), so a test can order its requests and
 * read the outcome without timing anything. A call whose client leaves still runs to its end, as it
 * would in a real worker. `PUT /capacity?k=N` changes the workers or cores from then on.
 */
export function modelledHandler(kind: Extract<ContainerModelKind, 'sequential' | 'shared'>, capacity: number, maxMs: number): SampleHandler {
  const model = createContainerModel({ kind, capacity });
  const waiting = new Map<number, { response: ServerResponse; workMs: number }>();
  let admitted = 0;
  let finished = 0;
  let timer: NodeJS.Timeout | undefined;
  let finalStretch: NodeJS.Immediate | undefined;

  const finishDue = (): void => {
    const now = performance.now();
    while (model.running > 0 && model.nextCompletionMs <= now + ON_TIME_MS) {
      const id = model.finishNext();
      const call = waiting.get(id);
      waiting.delete(id);
      finished++;
      if (call !== undefined && !call.response.destroyed) call.response.end(`${kind}: worked ${call.workMs} ms, finish #${finished}\n`);
    }
    arm();
  };
  const arm = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    if (finalStretch !== undefined) clearImmediate(finalStretch);
    timer = undefined;
    finalStretch = undefined;
    if (model.running === 0) return;
    const remainingMs = model.nextCompletionMs - performance.now();
    if (remainingMs > TIMER_LATENESS_MS) timer = setTimeout(finishDue, remainingMs - TIMER_LATENESS_MS);
    else finalStretch = setImmediate(finishDue);
  };

  const setCapacity = (request: IncomingMessage, response: ServerResponse): void => {
    const raw = new URLSearchParams((request.url ?? '').split('?')[1] ?? '').get('k') ?? '';
    if (!WHOLE.test(raw) || Number(raw) < 1) {
      answer(response, 400, `k must be a whole number of ${kind === 'sequential' ? 'workers' : 'cores'} >= 1, got ${JSON.stringify(raw.slice(0, 40))}\n`);
      return;
    }
    model.setCapacity(Number(raw), performance.now());
    arm();
    answer(response, 200, `capacity ${raw}\n`);
  };

  return (request, response) => {
    request.resume();
    if (request.method === 'PUT' && (request.url ?? '').split('?')[0] === CAPACITY_PATH) {
      setCapacity(request, response);
      return;
    }
    const parsed = durationParameter(request, `x-${kind}-ms`, maxMs);
    if ('problem' in parsed) {
      answer(response, 400, `${parsed.problem}\n`);
      return;
    }
    const id = admitted++;
    response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'x-sample-admitted': String(admitted) });
    response.flushHeaders();
    waiting.set(id, { response, workMs: parsed.ms });
    model.admit(id, parsed.ms, performance.now());
    arm();
  };
}
