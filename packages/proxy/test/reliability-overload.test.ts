import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { FaultyBackend } from './support/faulty-backend.js';
import { expectBooksBalanced } from './support/metric-values.js';
import { sendRaw, type RawConversation } from './support/raw-http.js';
import { startProxy, type TestProxy } from './support/test-proxy.js';

// Overload, counted rather than timed: far more requests than two slots and a 20-deep queue can
// hold, all at once, each on its own connection so that every byte the proxy answers is seen.
// The pass/fail version of bench/reliability/overload.ts (which measures latency, RSS, event-loop delay).

const SLOTS = 2;
const MAX_QUEUED = 20;
const REQUESTS = 300;

let backend: FaultyBackend;
let proxy: TestProxy;
let port: number;
/** The most requests seen waiting and in flight at any arrival, start or finish. */
let peak = { waiting: 0, inFlight: 0 };

beforeAll(async () => {
  backend = await FaultyBackend.start();
  proxy = await startProxy({
    scheduler: { maxQueued: MAX_QUEUED },
    limits: { retryAfterSeconds: 2 },
    functions: [{ name: 'fn', backends: [backend.url], concurrency: SLOTS }],
  });
  port = Number(new URL(proxy.url).port);
  const scheduler = proxy.shortline.scheduler;
  const record = (): void => {
    peak = { waiting: Math.max(peak.waiting, scheduler.waiting), inFlight: Math.max(peak.inFlight, scheduler.inFlight) };
  };
  proxy.shortline.observe({ arrived: record, started: record, finished: record });
});

afterAll(async () => {
  await proxy.close();
  await backend.close();
});

function send(path: string): Promise<RawConversation> {
  return sendRaw(port, `GET ${path} HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n`, { limitMs: 20_000 });
}

describe(`${REQUESTS} requests at once on ${SLOTS} slots and a queue of ${MAX_QUEUED}`, () => {
  const answers: RawConversation[] = [];

  beforeAll(async () => {
    answers.push(...(await Promise.all(Array.from({ length: REQUESTS }, (_, i) => send(`/slow/${i}`)))));
  });

  test('every request gets exactly one complete answer, then its connection closes', () => {
    for (const answer of answers) {
      expect(answer.closed).toBe(true);
      expect(answer.leftover).toBe('');
      expect(answer.responses).toHaveLength(1);
    }
  });

  test('each answer is the backend’s 200, or a 503 queue-full with Retry-After', () => {
    const kinds = new Map<string, number>();
    for (const { responses } of answers) {
      const response = responses[0];
      const kind =
        response?.status === 503
          ? `503 ${response.headers['x-shortline-reason']} retry-after=${response.headers['retry-after']}`
          : `${response?.status} ${response?.body}`;
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    }
    expect([...kinds.keys()].sort()).toEqual(['200 ok', '503 queue-full retry-after=2']);
    expect((kinds.get('200 ok') ?? 0) + (kinds.get('503 queue-full retry-after=2') ?? 0)).toBe(REQUESTS);
  });

  test('the backend got each answered request once, and never one that was refused', () => {
    const answered = answers.flatMap((answer, i) => (answer.responses[0]?.status === 200 ? [`/slow/${i}`] : []));
    expect([...backend.received].sort()).toEqual(answered.sort());
    expect(answered.length).toBeGreaterThanOrEqual(SLOTS + MAX_QUEUED);
  });

  test('the bounds held throughout: never more than the queue limit waiting, nor more than the slots running', () => {
    expect(peak.waiting).toBeLessThanOrEqual(MAX_QUEUED);
    expect(peak.inFlight).toBeLessThanOrEqual(SLOTS);
    expect(peak.waiting).toBe(MAX_QUEUED);
  });

  test('afterwards nothing is left: no slot held, nothing queued, no request open; the metrics add up', async () => {
    await proxy.shortline.settled();
    expect(proxy.shortline.scheduler.inFlight).toBe(0);
    expect(proxy.shortline.scheduler.waiting).toBe(0);
    const metrics = await expectBooksBalanced(proxy.adminUrl);
    const served = answers.filter((answer) => answer.responses[0]?.status === 200).length;
    expect(metrics.sum('shortline_requests_accepted_total')).toBe(served);
    expect(metrics.sum('shortline_requests_finished_total', { outcome: 'answered' })).toBe(served);
    expect(metrics.sum('shortline_rejections_total', { reason: 'queue-full' })).toBe(REQUESTS - served);
    expect(proxy.lines.filter((line) => line.level >= 50)).toEqual([]);
  });

  test('and the proxy serves normally again: a sequence of requests all get 200 without waiting for a slot', async () => {
    for (let i = 0; i < 20; i++) {
      const answer = await send(`/ok/after-${i}`);
      expect(answer.responses.map((response) => response.status)).toEqual([200]);
    }
    expect(proxy.shortline.scheduler.waiting).toBe(0);
  });
});
