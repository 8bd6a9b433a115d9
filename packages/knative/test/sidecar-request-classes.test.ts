import { describe, expect, it } from '@jest/globals';
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { close, listen, request, until, type Reply } from './support/http.js';
import { sidecarEnv, sidecarParts } from './support/sidecar-fixture.js';
import { useCleanups } from './support/cleanups.js';

// The new user, in sidecar mode: Knative's env, containerConcurrency 1, no configuration file
// (the built-in defaults), so every request of the revision is one catch-all function. The revision
// serves /report slowly and /lookup/<id> at once. After a few calls of each, a lookup that arrives
// behind six reports is served before them: the sidecar learnt the routes by itself.

const defer = useCleanups();
const { sidecar } = sidecarParts(defer);

/** How long the test holds each /report while the sidecar learns: far longer than a lookup takes. */
const REPORT_HOLD_MS = 100;

/** The user container: /report held until the test releases it, /lookup/<id> answered at once; the paths it got, in order. */
interface Revision {
  readonly port: number;
  readonly paths: string[];
  readonly held: number;
  release(): void;
}

async function startRevision(): Promise<Revision> {
  const paths: string[] = [];
  let holding: (() => void)[] = [];
  const server = http.createServer((req, res) => {
    const path = req.url ?? '/';
    paths.push(path);
    req.resume();
    if (path.startsWith('/report')) holding.push(() => res.end('report\n'));
    else res.end(`lookup ${path}\n`);
  });
  const port = await listen(server);
  const release = (): void => {
    const answering = holding;
    holding = [];
    for (const answer of answering) answer();
  };
  defer(async () => {
    release();
    await close(server);
  });
  return {
    port,
    paths,
    get held() {
      return holding.length;
    },
    release,
  };
}

/** Answers held reports, one round at a time, until every reply is in. */
async function releaseUntilAnswered(revision: Revision, replies: readonly Promise<Reply>[]): Promise<Reply[]> {
  let answered = 0;
  for (const reply of replies) void reply.then(() => answered++);
  while (answered < replies.length) {
    revision.release();
    await sleep(2);
  }
  return Promise.all(replies);
}

describe('sidecar with no configuration file: request classes learnt per route', () => {
  it('serves a short /lookup queued behind six long /report calls first', async () => {
    const revision = await startRevision();
    const { ports, sidecar: running } = await sidecar(sidecarEnv(revision.port, { CONTAINER_CONCURRENCY: '1' }));
    const serving = ports.serving;

    // The revision is used for a while: each route a few times, a report taking far longer than a lookup.
    for (let i = 0; i < 4; i++) {
      const report = request(serving, { path: '/report' });
      await until(() => revision.held === 1, 'a report at the user container');
      await sleep(REPORT_HOLD_MS);
      revision.release();
      expect((await report).status).toBe(200);
      expect((await request(serving, { path: `/lookup/${1000 + i}` })).status).toBe(200);
    }
    revision.paths.length = 0;

    // A report takes the one slot; six more reports queue, then a lookup.
    const replies = [request(serving, { path: '/report' })];
    await until(() => revision.held === 1, 'the slot taken');
    for (let i = 0; i < 6; i++) {
      replies.push(request(serving, { path: '/report' }));
      await until(() => running.shortline.scheduler.waiting === i + 1, `report ${i + 1} queued`);
    }
    replies.push(request(serving, { path: '/lookup/77' }));
    await until(() => running.shortline.scheduler.waiting === 7, 'the lookup queued');

    const answers = await releaseUntilAnswered(revision, replies);
    expect(answers.map((answer) => answer.status)).toEqual(new Array(8).fill(200));
    expect(revision.paths).toEqual(['/report', '/lookup/77', ...new Array(6).fill('/report')]);

    // The one function of the revision, and what it learnt, with nothing configured.
    const [revisionFunction] = running.shortline.debugSnapshot().functions;
    expect(revisionFunction?.name).toBe('hello-00001');
    expect(revisionFunction?.requests?.classes.map((entry) => entry.key)).toEqual(expect.arrayContaining(['GET /report', 'GET /lookup/{n}']));
  });
});
