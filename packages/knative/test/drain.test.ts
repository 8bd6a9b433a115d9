import { afterEach, describe, expect, it } from '@jest/globals';
import http from 'node:http';
import { ManualClock } from '@shortline/core';
import { createDrainAdminServer, createKnativeProbeResponder } from '@shortline/knative';
import { createDrainer, ManualTimers, QuietPeriod, replyText, type Drainer } from '@shortline/proxy';
import { Changes } from '../../proxy/test/support/changes.js';
import { close, listen, request } from './support/http.js';

const servers: http.Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await close(server);
});

async function serve(server: http.Server): Promise<number> {
  servers.push(server);
  return listen(server);
}

describe('quiet period (pure)', () => {
  it('becomes quiet once the quiet period passes with no request, each request restarting it', () => {
    const clock = new ManualClock(1000);
    const quiet = new QuietPeriod(30_000);
    quiet.requestArrived(clock.now());
    expect(quiet.draining).toBe(false);
    expect(quiet.quietAtMs()).toBe(Infinity);

    // Draining starts at t=2000; the request before it does not count.
    quiet.begin(clock.set(2000));
    expect(quiet.quietAtMs()).toBe(32_000);
    expect(quiet.poll(clock.set(19_999))).toBe(false);

    // A request at t=20 000 pushes quiet from t=32 000 to t=50 000.
    quiet.requestArrived(clock.set(20_000));
    expect(quiet.poll(clock.set(32_000))).toBe(false);
    expect(quiet.quietAtMs()).toBe(50_000);
    expect(quiet.poll(clock.set(49_999))).toBe(false);
    expect(quiet.poll(clock.set(50_000))).toBe(true);

    // Quiet is sticky: a later request does not reopen the drain.
    quiet.requestArrived(clock.set(50_001));
    expect(quiet.poll(clock.now())).toBe(true);
  });

  it('starts over after a reset, and a second begin does not move the start', () => {
    const quiet = new QuietPeriod(100);
    quiet.begin(0);
    quiet.begin(50);
    expect(quiet.quietAtMs()).toBe(100);
    quiet.reset();
    expect([quiet.draining, quiet.poll(1000)]).toEqual([false, false]);
    quiet.begin(1000);
    expect(quiet.poll(1100)).toBe(true);
  });

  it('rejects a negative quiet period', () => {
    expect(() => new QuietPeriod(-1)).toThrow('quietPeriodMs must be a finite number >= 0');
  });
});

describe('drainer and /wait-for-drain', () => {
  /** Probes answered first; every other request tells the drainer it arrived, then is served. */
  function drainingApp(drainer: Drainer): http.Server {
    const answerProbe = createKnativeProbeResponder({ ready: async () => true, draining: () => drainer.draining });
    return http.createServer((req, res) => {
      if (answerProbe(req, { reply: (status, body, headers) => replyText(res, status, body, headers) })) return;
      drainer.requestArrived();
      res.end('served');
    });
  }

  /** The drainer /wait-for-drain drives, telling the test when a drain was asked for. */
  function observedDrainer(drainer: Drainer): { drainer: Drainer; asked: (times: number) => Promise<void> } {
    const changes = new Changes();
    let drains = 0;
    const observed: Drainer = {
      get draining() {
        return drainer.draining;
      },
      requestArrived: () => drainer.requestArrived(),
      drain: () => {
        drains++;
        const drained = drainer.drain();
        changes.notify();
        return drained;
      },
      reset: () => drainer.reset(),
    };
    return { drainer: observed, asked: (times) => changes.when(() => drains >= times) };
  }

  const probe = { 'User-Agent': 'kube-probe/1.32', 'K-Network-Probe': 'queue' };

  it('on SIGTERM: probes turn 503 at once, requests are still served, and drain() resolves once quiet', async () => {
    const timers = new ManualTimers();
    const drainer = createDrainer({ quietPeriodMs: 40, timers });
    const port = await serve(drainingApp(drainer));
    expect((await request(port, { headers: probe })).status).toBe(200);

    // t=0: draining begins; probes fail at once; a request is still served.
    let quiet = false;
    const drained = drainer.drain().then(() => (quiet = true));
    expect((await request(port, { headers: probe })).status).toBe(503);
    expect((await request(port, { path: '/late' })).text).toBe('served');
    // t=39: not quiet yet.
    timers.advance(39);
    await Promise.resolve();
    expect(quiet).toBe(false);
    // t=40: 40 ms without a request: quiet.
    timers.advance(1);
    await drained;
    // Once quiet, a second drain() (SIGTERM after the preStop hook) resolves at once.
    await drainer.drain();
    expect(drainer.draining).toBe(true);
  });

  it('/wait-for-drain starts the drain and answers 200 once it is quiet', async () => {
    const timers = new ManualTimers();
    const { drainer, asked } = observedDrainer(createDrainer({ quietPeriodMs: 30, timers }));
    const admin = await serve(createDrainAdminServer({ drainer, terminating: () => true, timers }));
    const app = await serve(drainingApp(drainer));

    // t=0: the preStop hook calls /wait-for-drain: probes fail from then on.
    const waiting = request(admin, { path: '/wait-for-drain' });
    await asked(1);
    expect((await request(app, { headers: probe })).status).toBe(503);
    // t=30: quiet; the hook gets its answer.
    timers.advance(30);
    expect((await waiting).status).toBe(200);
    expect((await request(admin, { path: '/other' })).status).toBe(404);
  });

  it('abandons a drain that no SIGTERM follows (a liveness restart), so probes pass again', async () => {
    const timers = new ManualTimers();
    const { drainer, asked } = observedDrainer(createDrainer({ quietPeriodMs: 60_000, timers }));
    const admin = await serve(createDrainAdminServer({ drainer, terminating: () => false, abandonWithoutSigtermMs: 1000, timers }));
    const app = await serve(drainingApp(drainer));

    // t=0: the preStop hook calls /wait-for-drain.
    const reply = request(admin, { path: '/wait-for-drain' });
    await asked(1);
    // t=999: no SIGTERM yet, but it may still come: still draining.
    timers.advance(999);
    expect((await request(app, { headers: probe })).status).toBe(503);
    // t=1000: no SIGTERM came: the drain is abandoned, the hook answered, probes pass again.
    timers.advance(1);
    expect((await reply).status).toBe(200);
    expect(drainer.draining).toBe(false);
    expect((await request(app, { headers: probe })).status).toBe(200);
  });
});
