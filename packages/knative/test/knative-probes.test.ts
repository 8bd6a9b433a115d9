import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import http from 'node:http';
import { ConcurrencyStats, createAutoscalerStatsObserver, createKnativeProbeResponder } from '@shortline/knative';
import { replyText } from '@shortline/proxy';
import { close, listen, request } from './support/http.js';

/**
 * The probe responder in front of a handler that records what reaches it, on a real socket, with
 * the autoscaler stats told of every request that gets past the probes (as the proxy's lifecycle
 * observers are).
 */
let port: number;
let server: http.Server;
let ready = true;
let draining = false;
let readinessRuns = 0;
const reached: string[] = [];
const stats = new ConcurrencyStats(0);

beforeAll(async () => {
  const answerProbe = createKnativeProbeResponder({
    ready: async () => {
      readinessRuns++;
      return ready;
    },
    draining: () => draining,
  });
  const observer = createAutoscalerStatsObserver({ stats, clock: { now: () => 0 } });
  server = http.createServer((req, res) => {
    if (answerProbe(req, { reply: (status, body, headers) => replyText(res, status, body, headers) })) return;
    observer.arrived({ req });
    res.once('close', () => observer.finished({ req }));
    reached.push(req.url ?? '');
    res.end('app');
  });
  port = await listen(server);
});
afterAll(() => close(server));

async function probe(headers: Record<string, string>, path = '/any/path') {
  const before = reached.length;
  const reply = await request(port, { path, headers });
  return { ...reply, reachedApp: reached.length > before };
}

describe('Knative probes on the serving port', () => {
  it('K-Network-Probe: queue runs the readiness probe: 200 with body "queue", on any path', async () => {
    ready = true;
    const runs = readinessRuns;
    const reply = await probe({ 'K-Network-Probe': 'queue' }, '/whatever');
    expect([reply.status, reply.text, reply.reachedApp]).toEqual([200, 'queue', false]);
    expect(readinessRuns).toBe(runs + 1);
  });

  it('answers 503 to K-Network-Probe: queue when the user container is not ready', async () => {
    ready = false;
    const reply = await probe({ 'K-Network-Probe': 'queue' });
    ready = true;
    expect([reply.status, reply.reachedApp]).toEqual([503, false]);
  });

  it.each([
    ['kubelet', { 'User-Agent': 'kube-probe/1.32', 'K-Network-Probe': 'queue' }],
    ['activator', { 'User-Agent': 'Knative-Activator-Probe', 'K-Network-Probe': 'queue' }],
    ['autoscaler', { 'User-Agent': 'Knative-Autoscaling-Probe', 'K-Network-Probe': 'queue' }],
    ['K-Kubelet-Probe header', { 'K-Kubelet-Probe': 'queue', 'K-Network-Probe': 'queue' }],
  ])('treats a %s probe as a health check of the user container', async (_who, headers) => {
    const reply = await probe(headers);
    expect([reply.status, reply.text, reply.reachedApp]).toEqual([200, 'queue', false]);
  });

  it.each([
    ['kubelet without K-Network-Probe', { 'User-Agent': 'kube-probe/1.32' }, 'unexpected probe header value: '],
    ['K-Kubelet-Probe without K-Network-Probe', { 'K-Kubelet-Probe': 'queue' }, 'unexpected probe header value: '],
    ['K-Network-Probe: activator', { 'K-Network-Probe': 'activator' }, 'unexpected probe header value: activator'],
    ['activator probe asking for "probe"', { 'User-Agent': 'Knative-Activator-Probe', 'K-Network-Probe': 'probe' }, 'unexpected probe header value: probe'],
  ])('answers 400 to %s, and never passes it on', async (_case, headers, body) => {
    const reply = await probe(headers);
    expect([reply.status, reply.text, reply.reachedApp]).toEqual([400, body, false]);
  });

  it('answers K-Network-Probe: probe with 200 echoing K-Network-Hash, and 400 without one', async () => {
    const withHash = await probe({ 'K-Network-Probe': 'probe', 'K-Network-Hash': 'abc123' });
    expect([withHash.status, withHash.headers['k-network-hash'], withHash.reachedApp]).toEqual([200, 'abc123', false]);
    const withoutHash = await probe({ 'K-Network-Probe': 'probe' });
    expect([withoutHash.status, withoutHash.reachedApp]).toEqual([400, false]);
  });

  it('answers every probe 503 while draining, and still serves requests', async () => {
    draining = true;
    try {
      const runs = readinessRuns;
      const replies = await Promise.all([
        probe({ 'K-Network-Probe': 'queue' }),
        probe({ 'User-Agent': 'kube-probe/1.32', 'K-Network-Probe': 'queue' }),
        probe({ 'K-Network-Probe': 'probe', 'K-Network-Hash': 'h' }),
        probe({ 'K-Network-Probe': 'activator' }),
      ]);
      expect(replies.map((r) => r.status)).toEqual([503, 503, 503, 503]);
      expect(readinessRuns).toBe(runs);
      const served = await probe({}, '/work');
      expect([served.status, served.text, served.reachedApp]).toEqual([200, 'app', true]);
    } finally {
      draining = false;
    }
  });

  it('passes ordinary requests through and counts them; probes are never counted', async () => {
    const before = stats.report(0).requestCount;
    expect(before).toBeGreaterThanOrEqual(0);
    await probe({ 'K-Network-Probe': 'queue' });
    await probe({ 'K-Kubelet-Probe': 'queue', 'K-Network-Probe': 'queue' });
    const served = await probe({ 'User-Agent': 'curl/8' }, '/hello');
    expect([served.status, served.text, served.reachedApp]).toEqual([200, 'app', true]);
    expect(stats.report(0).requestCount).toBe(1);
  });
});
