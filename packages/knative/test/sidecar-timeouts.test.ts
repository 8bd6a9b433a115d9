import { describe, expect, it } from '@jest/globals';
import http from 'node:http';
import { useCleanups } from './support/cleanups.js';
import { deferred } from './support/http.js';
import { sidecarEnv, sidecarParts } from './support/sidecar-fixture.js';

// Knative's three revision timeouts, on the running sidecar, on manual time: each test moves the
// clock to just before a deadline and sees the request still going, then to the deadline.

const defer = useCleanups();
const { userContainer, sidecar } = sidecarParts(defer);

interface Outcome {
  readonly status: number;
  readonly reason: string | undefined;
  readonly body: string;
  /** The response ended normally, or its connection was cut mid-way. */
  readonly ending: 'complete' | 'cut';
}

interface Get {
  /** Resolves when the first bytes of the response body reach the client. */
  readonly firstChunk: Promise<void>;
  readonly outcome: Promise<Outcome>;
}

function get(port: number, path: string): Get {
  const firstChunk = deferred();
  const outcome = new Promise<Outcome>((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
        firstChunk.resolve();
      });
      const settle = (ending: Outcome['ending']) => () =>
        resolve({ status: res.statusCode ?? 0, reason: res.headers['x-shortline-reason'] as string | undefined, body, ending });
      res.on('end', settle('complete'));
      res.on('error', settle('cut'));
    });
    req.on('error', reject);
  });
  return { firstChunk: firstChunk.promise, outcome };
}

describe('revision timeouts', () => {
  it('REVISION_TIMEOUT_SECONDS bounds the whole request, queue wait included, mid-response too', async () => {
    const user = await userContainer();
    // A request class of the configuration file with a shorter timeout than the revision's.
    const classes = {
      pools: [{ name: 'any', backends: ['http://127.0.0.1:1'] }],
      functions: [{ name: 'quick', match: { pathPrefix: '/quick' }, pool: 'any', timeoutMs: 500 }],
    };
    const env = sidecarEnv(user.port, { CONTAINER_CONCURRENCY: '1', REVISION_TIMEOUT_SECONDS: '1' });
    const { sidecar: running, ports, timers, lifecycle } = await sidecar(env, classes);
    const { scheduler } = running.shortline;

    // t=0: a streaming response has begun and holds the only slot; a quick request waits behind it.
    const streaming = get(ports.serving, '/stall');
    await streaming.firstChunk;
    const queued = get(ports.serving, '/quick');
    await lifecycle.when(() => lifecycle.queued === 2);

    // t=499: the quick request's 500 ms have not run out: it still waits.
    timers.advance(499);
    expect([scheduler.waiting, scheduler.inFlight]).toEqual([1, 1]);
    // t=500: they have, while it waits: 504.
    timers.advance(1);
    expect(scheduler.waiting).toBe(0);
    expect(await queued.outcome).toMatchObject({ status: 504, reason: 'deadline', ending: 'complete' });

    // t=999: the streaming response is still going.
    timers.advance(499);
    expect(scheduler.inFlight).toBe(1);
    // t=1000: the revision's second runs out mid-response: the head was sent, so the connection is
    // cut and the client cannot take a short body for a whole one.
    timers.advance(1);
    expect(await streaming.outcome).toMatchObject({ status: 200, body: 'first chunk\n', ending: 'cut' });
    expect(scheduler.inFlight).toBe(0);
    expect(user.received.map((r) => r.url)).toEqual(['/stall']);
  });

  it('REVISION_RESPONSE_START_TIMEOUT_SECONDS and REVISION_IDLE_TIMEOUT_SECONDS bound the silences', async () => {
    const user = await userContainer();
    const env = sidecarEnv(user.port, {
      CONTAINER_CONCURRENCY: '2',
      REVISION_TIMEOUT_SECONDS: '300',
      REVISION_RESPONSE_START_TIMEOUT_SECONDS: '60',
      REVISION_IDLE_TIMEOUT_SECONDS: '60',
    });
    const { sidecar: running, ports, timers } = await sidecar(env);
    const { scheduler } = running.shortline;

    // t=0: one request gets no answer at all; the other gets its first chunk, then nothing.
    const silent = get(ports.serving, '/hold/silent');
    const stalled = get(ports.serving, '/stall');
    await stalled.firstChunk;
    await user.when(() => user.held === 2);

    // t=59.999 s: a minute of silence has not passed for either.
    timers.advance(59_999);
    expect(scheduler.inFlight).toBe(2);
    // t=60 s: it has: no response started is a 504; a response gone idle is cut.
    timers.advance(1);
    expect(await silent.outcome).toMatchObject({ status: 504, reason: 'response-start-timeout', ending: 'complete' });
    expect(await stalled.outcome).toMatchObject({ status: 200, body: 'first chunk\n', ending: 'cut' });
  });
});
