import { describe, expect, it } from '@jest/globals';
import { releaseUntilAnswered } from './support/held-requests.js';
import { request } from './support/http.js';
import { sidecarEnv, sidecarParts } from './support/sidecar-fixture.js';
import { useCleanups } from './support/cleanups.js';

// The new user, in sidecar mode: Knative's env, containerConcurrency 1, no configuration file
// (the built-in defaults), so every request of the revision is one catch-all function. The revision
// (the test's user container) serves /hold/report slowly (held until the test releases it) and
// /lookup/<id> at once. After a few calls of each, a lookup that arrives behind six reports is served
// before them: the sidecar learnt the routes by itself.

const defer = useCleanups();
const { userContainer, sidecar } = sidecarParts(defer);

/** How long, on the sidecar's manual time, each report takes while the sidecar learns: far longer than a lookup. */
const REPORT_MS = 100;
const REPORT = '/hold/report';

describe('sidecar with no configuration file: request classes learnt per route', () => {
  it('serves a short /lookup queued behind six long reports first', async () => {
    const revision = await userContainer();
    const { ports, sidecar: running, timers, lifecycle } = await sidecar(sidecarEnv(revision.port, { CONTAINER_CONCURRENCY: '1' }));
    const serving = ports.serving;

    // The revision is used for a while: each route a few times, a report taking far longer than a lookup.
    for (let i = 0; i < 4; i++) {
      const report = request(serving, { path: REPORT });
      await revision.when(() => revision.held === 1);
      timers.advance(REPORT_MS);
      revision.release();
      expect((await report).status).toBe(200);
      expect((await request(serving, { path: `/lookup/${1000 + i}` })).status).toBe(200);
    }
    const receivedBefore = revision.received.length;
    const queuedBefore = lifecycle.queued;

    // A report takes the one slot; six more reports queue, then a lookup.
    const replies = [request(serving, { path: REPORT })];
    await revision.when(() => revision.held === 1);
    for (let i = 0; i < 6; i++) {
      replies.push(request(serving, { path: REPORT }));
      await lifecycle.when(() => lifecycle.queued === queuedBefore + i + 2);
    }
    replies.push(request(serving, { path: '/lookup/77' }));
    await lifecycle.when(() => lifecycle.queued === queuedBefore + 8);
    expect(running.shortline.scheduler.waiting).toBe(7);

    const answers = await releaseUntilAnswered([revision], replies);
    expect(answers.map((answer) => answer.status)).toEqual(new Array(8).fill(200));
    expect(revision.received.slice(receivedBefore).map((received) => received.url)).toEqual([REPORT, '/lookup/77', ...new Array(6).fill(REPORT)]);

    // The one function of the revision, and what it learnt, with nothing configured.
    const [revisionFunction] = running.shortline.debugSnapshot().functions;
    expect(revisionFunction?.name).toBe('hello-00001');
    expect(revisionFunction?.requests?.classes.map((entry) => entry.key)).toEqual(expect.arrayContaining(['GET /hold/report', 'GET /lookup/{n}']));
  });
});
