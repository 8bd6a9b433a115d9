import { afterEach, describe, expect, it } from '@jest/globals';
import http from 'node:http';
import { until } from './support/http.js';
import { sidecarEnv, startSidecar } from './support/sidecar-fixture.js';
import { startUserContainer, type UserContainer } from './support/user-container.js';

// Knative's three revision timeouts, on the running sidecar. undici runs timers of a second or more
// on a coarse clock, so each takes one to two seconds; the cases of a test run side by side.

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Outcome {
  readonly status: number;
  readonly reason: string | undefined;
  readonly body: string;
  /** The response ended normally, or its connection was cut mid-way. */
  readonly ending: 'complete' | 'cut';
}

function get(port: number, path: string): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      const settle = (ending: Outcome['ending']) => () =>
        resolve({ status: res.statusCode ?? 0, reason: res.headers['x-shortline-reason'] as string | undefined, body, ending });
      res.on('end', settle('complete'));
      res.on('error', settle('cut'));
    });
    req.on('error', reject);
  });
}

async function userContainer(): Promise<UserContainer> {
  const user = await startUserContainer();
  cleanups.push(() => user.close());
  return user;
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
    const { sidecar, ports } = await startSidecar(env, classes);
    cleanups.push(() => sidecar.close());

    const streaming = get(ports.serving, '/stall');
    await until(() => user.received.length === 1, 'the streaming request started');
    const queued = get(ports.serving, '/quick');
    await until(() => sidecar.shortline.scheduler.waiting === 1, 'the quick request queued');

    // The quick request's 500 ms run out while it waits behind the streaming one.
    expect(await queued).toMatchObject({ status: 504, reason: 'deadline', ending: 'complete' });
    // The revision's second runs out mid-response: the head was sent, so the connection is cut and
    // the client cannot take a short body for a whole one.
    expect(await streaming).toMatchObject({ status: 200, body: 'first chunk\n', ending: 'cut' });
    expect(user.received.map((r) => r.url)).toEqual(['/stall']);
  });

  it('REVISION_RESPONSE_START_TIMEOUT_SECONDS and REVISION_IDLE_TIMEOUT_SECONDS bound the silences', async () => {
    const user = await userContainer();
    const { sidecar, ports } = await startSidecar(
      sidecarEnv(user.port, {
        CONTAINER_CONCURRENCY: '2',
        REVISION_TIMEOUT_SECONDS: '30',
        REVISION_RESPONSE_START_TIMEOUT_SECONDS: '1',
        REVISION_IDLE_TIMEOUT_SECONDS: '1',
      }),
    );
    cleanups.push(() => sidecar.close());

    const [silent, stalled] = await Promise.all([get(ports.serving, '/hold/silent'), get(ports.serving, '/stall')]);
    expect(silent).toMatchObject({ status: 504, reason: 'response-start-timeout', ending: 'complete' });
    expect(stalled).toMatchObject({ status: 200, body: 'first chunk\n', ending: 'cut' });
  });
});
