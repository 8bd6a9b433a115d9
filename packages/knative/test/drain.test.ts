import { afterEach, describe, expect, it } from '@jest/globals';
import http from 'node:http';
import { ManualClock } from '@shortline/core';
import { createDrainAdminServer, createKnativeProbeResponder } from '@shortline/knative';
import { createDrainer, QuietPeriod, replyText, type Drainer } from '@shortline/proxy';
import { close, listen, request, until } from './support/http.js';

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

  it('on SIGTERM: probes turn 503 at once, requests are still served, and drain() resolves once quiet', async () => {
    const drainer = createDrainer({ quietPeriodMs: 40 });
    const port = await serve(drainingApp(drainer));
    expect((await request(port, { headers: { 'K-Network-Probe': 'queue' } })).status).toBe(200);

    const drained = drainer.drain();
    expect((await request(port, { headers: { 'K-Network-Probe': 'queue' } })).status).toBe(503);
    expect((await request(port, { path: '/late' })).text).toBe('served');
    await drained;
    // Once quiet, a second drain() (SIGTERM after the preStop hook) resolves at once.
    await drainer.drain();
    expect(drainer.draining).toBe(true);
  });

  it('/wait-for-drain starts the drain and answers 200 once it is quiet', async () => {
    const drainer = createDrainer({ quietPeriodMs: 30 });
    const admin = await serve(createDrainAdminServer({ drainer, terminating: () => true }));
    const app = await serve(drainingApp(drainer));
    const waiting = request(admin, { path: '/wait-for-drain' });
    await until(() => drainer.draining);
    expect((await request(app, { headers: { 'User-Agent': 'kube-probe/1.32', 'K-Network-Probe': 'queue' } })).status).toBe(503);
    expect((await waiting).status).toBe(200);
    expect((await request(admin, { path: '/other' })).status).toBe(404);
  });

  it('abandons a drain that no SIGTERM follows (a liveness restart), so probes pass again', async () => {
    const drainer = createDrainer({ quietPeriodMs: 60_000 });
    const admin = await serve(createDrainAdminServer({ drainer, terminating: () => false, abandonWithoutSigtermMs: 20 }));
    const reply = await request(admin, { path: '/wait-for-drain' });
    expect(reply.status).toBe(200);
    expect(drainer.draining).toBe(false);
  });
});
