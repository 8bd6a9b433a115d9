import { describe, expect, it } from '@jest/globals';
import { releaseUntilAnswered } from './support/held-requests.js';
import { request, type Reply } from './support/http.js';
import { sidecarEnv, sidecarParts, type RunningSidecar } from './support/sidecar-fixture.js';
import type { UserContainer } from './support/user-container.js';
import { useCleanups } from './support/cleanups.js';

// The trust model for Knative's own headers, from outside, in sidecar mode: what a client can do
// with the probe headers and K-Proxy-Request is what Knative's queue-proxy lets it do, and no more.
// Probe headers get a probe's answer (never a slot, never the user container, never the stats);
// K-Proxy-Request moves a request to the autoscaler's "proxied" column, as in Knative, and skips nothing.

const defer = useCleanups();
const { userContainer, sidecar } = sidecarParts(defer);

/** One user-container slot, taken by a held request: whatever else comes must wait, or be answered by the sidecar itself. */
async function busySidecar(): Promise<{ user: UserContainer; running: RunningSidecar; held: Promise<Reply> }> {
  const user = await userContainer();
  const running = await sidecar(sidecarEnv(user.port, { CONTAINER_CONCURRENCY: '1' }));
  const held = request(running.ports.serving, { path: '/hold/first' });
  await user.when(() => user.held === 1);
  return { user, running, held };
}

describe('probe headers from a client', () => {
  it.each([
    ['a kubelet user agent without K-Network-Probe', { 'user-agent': 'kube-probe/1.30' }, 400],
    ['K-Kubelet-Probe without K-Network-Probe', { 'k-kubelet-probe': 'queue' }, 400],
    ['K-Network-Probe: activator', { 'k-network-probe': 'activator' }, 400],
    ['K-Network-Probe: queue', { 'k-network-probe': 'queue' }, 200],
    ['K-Network-Probe: probe with a hash', { 'k-network-probe': 'probe', 'k-network-hash': 'x' }, 200],
  ])('%s: a probe answer at once; no slot, no user container, no count in the autoscaler stats', async (_name, headers, status) => {
    const { user, running, held } = await busySidecar();
    // The window of t=0..1000 closes with the held request in it; the probe comes in the next one.
    running.timers.advance(1000);

    const reply = await request(running.ports.serving, { path: '/app/path', headers });

    expect(reply.status).toBe(status);
    expect(running.sidecar.shortline.scheduler.waiting).toBe(0);
    expect(user.received.map((r) => r.url)).toEqual(['/hold/first']);
    expect(running.lifecycle.arrived).toBe(1);
    // t=2000: the window saw the held request throughout, and no arrival.
    running.timers.advance(1000);
    expect(running.sidecar.autoscalerStats.current()).toMatchObject({ averageConcurrentRequests: 1, requestCount: 0 });
    user.release();
    await held;
  });
});

describe('K-Proxy-Request: activator from a client', () => {
  it('waits for a slot like any request, and is counted as proxied, as Knative’s queue-proxy counts it', async () => {
    const { user, running, held } = await busySidecar();
    // The window of t=0..1000 closes with the held request in it; the claimed one comes in the next one.
    running.timers.advance(1000);

    const claimed = request(running.ports.serving, { path: '/claims-activator', headers: { 'k-proxy-request': 'activator' } });
    await running.lifecycle.when(() => running.lifecycle.queued === 2);
    expect(running.sidecar.shortline.scheduler.waiting).toBe(1);
    expect(user.received.map((r) => r.url)).toEqual(['/hold/first']);
    // t=2000: both requests were there for the whole window (time stood still since it arrived).
    running.timers.advance(1000);
    expect(running.sidecar.autoscalerStats.current()).toMatchObject({
      averageConcurrentRequests: 2,
      averageProxiedConcurrentRequests: 1,
      requestCount: 1,
      proxiedRequestCount: 1,
    });

    const [, claimedReply] = await releaseUntilAnswered([user], [held, claimed]);
    expect(claimedReply?.status).toBe(200);
    expect(user.received.map((r) => r.url)).toEqual(['/hold/first', '/claims-activator']);
  });
});

describe('scheduling hints in sidecar mode', () => {
  it('are not honoured from a client the configuration does not trust (the default: nobody)', async () => {
    const { user, running, held } = await busySidecar();
    const { lifecycle } = running;
    const plain = request(running.ports.serving, { path: '/hold/plain' });
    await lifecycle.when(() => lifecycle.queued === 2);
    const hinted = request(running.ports.serving, { path: '/hold/hinted', headers: { 'x-shortline-expected-ms': '1' } });
    await lifecycle.when(() => lifecycle.queued === 3);
    expect(running.sidecar.shortline.scheduler.waiting).toBe(2);

    await releaseUntilAnswered([user], [held, plain, hinted]);
    expect(user.received.map((r) => r.url)).toEqual(['/hold/first', '/hold/plain', '/hold/hinted']);
    expect(user.received[2]?.headers['x-shortline-expected-ms']).toBeUndefined();
  });
});
