import { describe, expect, it } from '@jest/globals';
import { request, until } from './support/http.js';
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
async function busySidecar(): Promise<{ user: UserContainer; running: RunningSidecar; held: Promise<unknown> }> {
  const user = await userContainer();
  const running = await sidecar(sidecarEnv(user.port, { CONTAINER_CONCURRENCY: '1' }));
  const held = request(running.ports.serving, { path: '/hold/first' });
  await until(() => user.held === 1, 'the only slot to be taken');
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
    running.clock.set(1000);
    running.sidecar.autoscalerStats.report();

    const reply = await request(running.ports.serving, { path: '/app/path', headers });

    expect(reply.status).toBe(status);
    expect(running.sidecar.shortline.scheduler.waiting).toBe(0);
    expect(user.received.map((r) => r.url)).toEqual(['/hold/first']);
    running.clock.set(2000);
    expect(running.sidecar.autoscalerStats.report()).toMatchObject({ averageConcurrentRequests: 1, requestCount: 0 });
    user.release();
    await held;
  });
});

describe('K-Proxy-Request: activator from a client', () => {
  it('waits for a slot like any request, and is counted as proxied, as Knative’s queue-proxy counts it', async () => {
    const { user, running, held } = await busySidecar();
    running.clock.set(1000);
    running.sidecar.autoscalerStats.report();

    const claimed = request(running.ports.serving, { path: '/claims-activator', headers: { 'k-proxy-request': 'activator' } });
    await until(() => running.sidecar.shortline.scheduler.waiting === 1, 'the request to wait for the slot');
    expect(user.received.map((r) => r.url)).toEqual(['/hold/first']);
    running.clock.set(2000);
    expect(running.sidecar.autoscalerStats.report()).toMatchObject({
      averageConcurrentRequests: 2,
      averageProxiedConcurrentRequests: 1,
      requestCount: 1,
      proxiedRequestCount: 1,
    });

    user.release();
    await held;
    await until(() => user.received.length === 2, 'the request to reach the user container');
    user.release();
    expect((await claimed).status).toBe(200);
  });
});

describe('scheduling hints in sidecar mode', () => {
  it('are not honoured from a client the configuration does not trust (the default: nobody)', async () => {
    const { user, running, held } = await busySidecar();
    const plain = request(running.ports.serving, { path: '/hold/plain' });
    await until(() => running.sidecar.shortline.scheduler.waiting === 1, 'the plain request to wait');
    const hinted = request(running.ports.serving, { path: '/hold/hinted', headers: { 'x-shortline-expected-ms': '1' } });
    await until(() => running.sidecar.shortline.scheduler.waiting === 2, 'the hinted request to wait');

    for (let answered = 1; answered < 3; answered++) {
      user.release();
      await until(() => user.received.length === answered + 1, 'the next request to reach the user container');
    }
    user.release();
    await Promise.all([held, plain, hinted]);
    expect(user.received.map((r) => r.url)).toEqual(['/hold/first', '/hold/plain', '/hold/hinted']);
    expect(user.received[2]?.headers['x-shortline-expected-ms']).toBeUndefined();
  });
});
