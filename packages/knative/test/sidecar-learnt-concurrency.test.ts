import { describe, expect, it } from '@jest/globals';
import type { ConcurrencyState } from '@shortline/core';
import { createSidecar, type SidecarPorts } from '@shortline/knative';
import { createLogger, defaultConfig } from '@shortline/proxy';
import { startSampleServer } from '@shortline/samples';
import { request, type Reply } from './support/http.js';
import { useCleanups } from './support/cleanups.js';
import { LifecycleCounts } from './support/lifecycle-counts.js';
import { sidecarEnv } from './support/sidecar-fixture.js';

// The new user: Knative's default containerConcurrency 0, no configuration file, and a
// single-threaded function (one worker running its backlog first come first served). Before
// Shortline learns the container, everything goes straight in and a short call waits inside behind
// the long ones; once it has learnt, it holds the container to one call and the short call goes
// first. The container is the modelled sequential sample, which numbers calls in the order they end,
// so the test reads order, never time. The sidecar runs on real time: what it learns from is how long
// calls take against their predictions (60 ms against 3 ms, far apart on a busy machine too).

const defer = useCleanups();

const SHORT = '/lookup?ms=3';
const LONG = '/report?ms=60';
/** Short calls alone in each round, so that what short calls take alone stays well known. */
const SHORTS_ALONE = 4;
/** Rounds of the pattern the controller learns from, at most, before the test gives up. */
const MAX_ROUNDS = 60;

/** The order the modelled container finished a call in (`finish #N`). */
function finishOrder(reply: Reply): number {
  const match = /finish #(\d+)/.exec(reply.text);
  if (match === null) throw new Error(`not an answer of the modelled container: ${reply.status} ${reply.text}`);
  return Number(match[1]);
}

async function startRevision(): Promise<{ ports: SidecarPorts; lifecycle: LifecycleCounts; concurrency: () => ConcurrencyState | undefined; waiting: () => number }> {
  const container = await startSampleServer('sequential', { capacity: 1, maxMs: 1_000 });
  defer(() => container.close());
  const sidecar = createSidecar({
    env: sidecarEnv(container.port, { CONTAINER_CONCURRENCY: '0' }),
    config: defaultConfig({ logging: { level: 'silent' } }),
    listeners: { host: '127.0.0.1', admin: 0, stats: 0, metrics: 0, certDirectory: '/nonexistent' },
    logger: createLogger('silent'),
    processMetrics: false,
  });
  defer(() => sidecar.close());
  const lifecycle = new LifecycleCounts(sidecar.shortline);
  const ports = await sidecar.listen();
  return {
    ports,
    lifecycle,
    concurrency: () => sidecar.shortline.debugSnapshot().pools[0]?.backends[0]?.concurrency,
    waiting: () => sidecar.shortline.scheduler.waiting,
  };
}

describe('sidecar with containerConcurrency 0 and no configuration: the container concurrency is learnt', () => {
  it('learns that a single-threaded container runs one call at a time, holds the rest and serves a short call first', async () => {
    const revision = await startRevision();
    const { serving } = revision.ports;

    // Nothing is known at first: no limit, as Knative's CC=0.
    expect((await request(serving, { path: SHORT })).status).toBe(200);
    expect(revision.concurrency()).toMatchObject({ kind: 'unknown', limit: 0 });

    // Rounds of a few short calls alone (most calls are short, as in the mix), then a long one with a short one sent once the long one has
    // gone to the container: inside, the short one waits for the long one.
    for (let round = 0; revision.concurrency()?.kind !== 'sequential' && round < MAX_ROUNDS; round++) {
      for (let i = 0; i < SHORTS_ALONE; i++) expect((await request(serving, { path: SHORT })).status).toBe(200);
      const queued = revision.lifecycle.queued;
      const long = request(serving, { path: LONG });
      await revision.lifecycle.when(() => revision.lifecycle.queued > queued);
      const replies = await Promise.all([long, request(serving, { path: SHORT })]);
      expect(replies.map((reply) => reply.status)).toEqual([200, 200]);
    }
    expect(revision.concurrency()).toMatchObject({ kind: 'sequential', limit: 1 });
    const metrics = await request(revision.ports.metrics, { path: '/metrics' });
    expect(metrics.text).toMatch(/^shortline_backend_concurrency_limit\{pool="[^"]+",backend="[^"]+"\} 1$/m);

    // Six long calls, then a short one: one long call runs, the rest wait in Shortline, where the
    // short one goes ahead of the five long ones still waiting.
    const queuedBefore = revision.lifecycle.queued;
    const longs = Array.from({ length: 6 }, () => request(serving, { path: LONG }));
    await revision.lifecycle.when(() => revision.lifecycle.queued === queuedBefore + 6);
    expect(revision.waiting()).toBe(5);
    const short = request(serving, { path: SHORT });
    await revision.lifecycle.when(() => revision.lifecycle.queued === queuedBefore + 7);
    const [shortReply, ...longReplies] = await Promise.all([short, ...longs]);
    const shortOrder = finishOrder(shortReply as Reply);
    expect(longReplies.map(finishOrder).filter((order) => order > shortOrder)).toHaveLength(5);
  });
});
