import { describe, expect, it } from '@jest/globals';
import http from 'node:http';
import { HeldRequests, releaseUntilAnswered, type Holding } from './support/held-requests.js';
import { close, listen, request } from './support/http.js';
import { sidecarEnv, sidecarParts } from './support/sidecar-fixture.js';
import { useCleanups } from './support/cleanups.js';

// The new user, in sidecar mode: Knative's env, containerConcurrency 1, no configuration file
// (the built-in defaults), so every request of the revision is one catch-all function. The revision
// serves /report slowly and /lookup/<id> at once. After a few calls of each, a lookup that arrives
// behind six reports is served before them: the sidecar learnt the routes by itself.

const defer = useCleanups();
const { sidecar } = sidecarParts(defer);

/** How long, on the sidecar's manual time, each /report takes while the sidecar learns: far longer than a lookup. */
const REPORT_MS = 100;

/** The user container: /report held until the test releases it, /lookup/<id> answered at once; the paths it got, in order. */
interface Revision extends Holding {
  readonly port: number;
  readonly paths: string[];
}

async function startRevision(): Promise<Revision> {
  const paths: string[] = [];
  const held = new HeldRequests();
  const server = http.createServer((req, res) => {
    const path = req.url ?? '/';
    paths.push(path);
    req.resume();
    if (path.startsWith('/report')) held.hold(() => res.end('report\n'));
    else res.end(`lookup ${path}\n`);
  });
  const port = await listen(server);
  defer(async () => {
    held.release();
    await close(server);
  });
  return {
    port,
    paths,
    get held() {
      return held.count;
    },
    release: () => held.release(),
    when: (condition) => held.changes.when(condition),
  };
}

describe('sidecar with no configuration file: request classes learnt per route', () => {
  it('serves a short /lookup queued behind six long /report calls first', async () => {
    const revision = await startRevision();
    const { ports, sidecar: running, timers, lifecycle } = await sidecar(sidecarEnv(revision.port, { CONTAINER_CONCURRENCY: '1' }));
    const serving = ports.serving;

    // The revision is used for a while: each route a few times, a report taking far longer than a lookup.
    for (let i = 0; i < 4; i++) {
      const report = request(serving, { path: '/report' });
      await revision.when(() => revision.held === 1);
      timers.advance(REPORT_MS);
      revision.release();
      expect((await report).status).toBe(200);
      expect((await request(serving, { path: `/lookup/${1000 + i}` })).status).toBe(200);
    }
    revision.paths.length = 0;
    const queuedBefore = lifecycle.queued;

    // A report takes the one slot; six more reports queue, then a lookup.
    const replies = [request(serving, { path: '/report' })];
    await revision.when(() => revision.held === 1);
    for (let i = 0; i < 6; i++) {
      replies.push(request(serving, { path: '/report' }));
      await lifecycle.when(() => lifecycle.queued === queuedBefore + i + 2);
    }
    replies.push(request(serving, { path: '/lookup/77' }));
    await lifecycle.when(() => lifecycle.queued === queuedBefore + 8);
    expect(running.shortline.scheduler.waiting).toBe(7);

    const answers = await releaseUntilAnswered([revision], replies);
    expect(answers.map((answer) => answer.status)).toEqual(new Array(8).fill(200));
    expect(revision.paths).toEqual(['/report', '/lookup/77', ...new Array(6).fill('/report')]);

    // The one function of the revision, and what it learnt, with nothing configured.
    const [revisionFunction] = running.shortline.debugSnapshot().functions;
    expect(revisionFunction?.name).toBe('hello-00001');
    expect(revisionFunction?.requests?.classes.map((entry) => entry.key)).toEqual(expect.arrayContaining(['GET /report', 'GET /lookup/{n}']));
  });
});
