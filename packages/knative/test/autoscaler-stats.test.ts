import { afterEach, describe, expect, it } from '@jest/globals';
import http from 'node:http';
import {
  ConcurrencyStats,
  createAutoscalerStats,
  createAutoscalerStatsObserver,
  createStatMetrics,
  createStatsServer,
  encodeStat,
} from '@shortline/knative';
import { ManualTimers } from '@shortline/proxy';
import { Changes } from '../../proxy/test/support/changes.js';
import { close, deferred, listen, request } from './support/http.js';
import { decodeStat as decode } from './support/stat-decoder.js';

const servers: http.Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await close(server);
});

/**
 * The known load of these tests, on a manual clock (ms):
 *   t=0    A arrives            concurrency 1
 *   t=250  B arrives, proxied   concurrency 2 (proxied 1)
 *   t=500  A finishes           concurrency 1
 *   t=750  C arrives            concurrency 2
 *   t=1000 window closes: mean concurrency (250·1 + 250·2 + 250·1 + 250·2) / 1000 = 1.5,
 *          mean proxied 750/1000 = 0.75, 3 requests of which 1 proxied.
 */
function driveKnownLoad(stats: ConcurrencyStats, timers: ManualTimers): void {
  stats.arrived(timers.now(), false);
  timers.advance(250);
  stats.arrived(timers.now(), true);
  timers.advance(250);
  stats.finished(timers.now(), false);
  timers.advance(250);
  stats.arrived(timers.now(), false);
  timers.advance(250);
}

describe('time-weighted concurrency (pure)', () => {
  it('averages concurrency over the window, proxied requests apart, and counts arrivals', () => {
    const timers = new ManualTimers();
    const stats = new ConcurrencyStats(timers.now());
    driveKnownLoad(stats, timers);
    expect(stats.report(timers.now())).toEqual({
      averageConcurrency: 1.5,
      averageProxiedConcurrency: 0.75,
      requestCount: 3,
      proxiedRequestCount: 1,
      windowMs: 1000,
    });
    // Next window: B (proxied) and C stay until B finishes at t=1500.
    stats.finished(1500, true);
    expect(stats.report(2000)).toEqual({
      averageConcurrency: 1.5,
      averageProxiedConcurrency: 0.5,
      requestCount: 0,
      proxiedRequestCount: 0,
      windowMs: 1000,
    });
    expect(stats.concurrency).toBe(1);
  });

  it('reports zeros for an empty window and ignores a clock that steps back', () => {
    const stats = new ConcurrencyStats(100);
    expect(stats.report(100)).toEqual({ averageConcurrency: 0, averageProxiedConcurrency: 0, requestCount: 0, proxiedRequestCount: 0, windowMs: 0 });
    stats.arrived(200, false);
    stats.finished(150, false);
    expect(stats.report(300).averageConcurrency).toBe(0);
  });
});

describe('the Stat message', () => {
  it('encodes every field so that an independent protobuf decoder reads it back', () => {
    const stat = {
      podName: 'hello-00001-deployment-7d9c-xk2lp',
      averageConcurrentRequests: 1.5,
      averageProxiedConcurrentRequests: 0.75,
      requestCount: 3,
      proxiedRequestCount: 1,
      processUptime: 12.25,
    };
    expect(decode(encodeStat(stat))).toEqual({
      pod_name: stat.podName,
      average_concurrent_requests: 1.5,
      average_proxied_concurrent_requests: 0.75,
      request_count: 3,
      proxied_request_count: 1,
      process_uptime: 12.25,
      timestamp: 0,
    });
  });

  it('leaves zero fields out, as proto3 does, and fits the 336 bytes the autoscaler reads', () => {
    const empty = encodeStat({
      podName: '',
      averageConcurrentRequests: 0,
      averageProxiedConcurrentRequests: 0,
      requestCount: 0,
      proxiedRequestCount: 0,
      processUptime: 0,
    });
    expect(empty.length).toBe(0);
    const longest = encodeStat({
      podName: 'p'.repeat(253),
      averageConcurrentRequests: 1,
      averageProxiedConcurrentRequests: 1,
      requestCount: 1,
      proxiedRequestCount: 1,
      processUptime: 1,
    });
    expect(longest.length).toBeLessThanOrEqual(336);
    expect(decode(longest)['pod_name']).toBe('p'.repeat(253));
  });
});

describe('the :9090 stats endpoint', () => {
  /** The stats of a pod whose windows close on their timer, every period of manual time, from t=0. */
  async function statsEndpoint(periodMs = 1000) {
    const timers = new ManualTimers();
    const autoscaler = createAutoscalerStats({ podName: 'pod-a', timers, reportingPeriodMs: periodMs });
    autoscaler.start();
    const metrics = createStatMetrics({ current: autoscaler.current, namespace: 'ns', configuration: 'hello', revision: 'hello-00001', pod: 'pod-a' });
    const server = createStatsServer({ current: autoscaler.current, metrics });
    servers.push(server);
    return { timers, autoscaler, port: await listen(server) };
  }

  const scrape = async (port: number) => decode((await request(port, { path: '/metrics', headers: { Accept: 'application/protobuf' } })).body);

  it('serves the last window as protobuf with Content-Type exactly application/protobuf, checked field by field', async () => {
    const { timers, autoscaler, port } = await statsEndpoint();
    driveKnownLoad(autoscaler.stats, timers);
    const reply = await request(port, { path: '/metrics', headers: { Accept: 'application/protobuf' } });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('application/protobuf');
    expect(decode(reply.body)).toEqual({
      pod_name: 'pod-a',
      average_concurrent_requests: 1.5,
      average_proxied_concurrent_requests: 0.75,
      request_count: 3,
      proxied_request_count: 1,
      process_uptime: 1,
      timestamp: 0,
    });
  });

  it('gives request counts per second of the reporting period', async () => {
    const { timers, autoscaler, port } = await statsEndpoint(500);
    // t=100 and t=200: two arrivals, one proxied.
    timers.advance(100);
    autoscaler.stats.arrived(timers.now(), false);
    timers.advance(100);
    autoscaler.stats.arrived(timers.now(), true);
    // t=499: the window is still open: the scrape still serves the empty one before it.
    timers.advance(299);
    expect((await scrape(port))['request_count']).toBe(0);
    // t=500: it closes: 2 and 1 in half a second.
    timers.advance(1);
    const stat = await scrape(port);
    expect([stat['request_count'], stat['proxied_request_count']]).toEqual([4, 2]);
    // Stopped, no window closes any more.
    autoscaler.stop();
    autoscaler.stats.arrived(timers.now(), false);
    timers.advance(500);
    expect((await scrape(port))['request_count']).toBe(4);
  });

  it('serves the same figures as Prometheus text to other scrapers, under the queue-proxy names', async () => {
    const { timers, autoscaler, port } = await statsEndpoint();
    driveKnownLoad(autoscaler.stats, timers);
    const reply = await request(port, { path: '/metrics' });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toMatch(/^text\/plain/);
    const labels = 'destination_namespace="ns",destination_configuration="hello",destination_revision="hello-00001",destination_pod="pod-a"';
    expect(reply.text).toContain(`queue_average_concurrent_requests{${labels}} 1.5`);
    expect(reply.text).toContain(`queue_average_proxied_concurrent_requests{${labels}} 0.75`);
    expect(reply.text).toContain(`queue_requests_per_second{${labels}} 3`);
    expect(reply.text).toContain(`queue_proxied_operations_per_second{${labels}} 1`);
    expect((await request(port, { path: '/other' })).status).toBe(404);
  });
});

describe('counting requests from their lifecycle', () => {
  it('counts a request from arrival until it is over, so held (queued) requests count, proxied ones apart', async () => {
    const stats = new ConcurrencyStats(0);
    const observer = createAutoscalerStatsObserver({ stats, clock: { now: () => 0 } });
    const counted = new Changes();
    const release = deferred();
    const server = http.createServer((req, res) => {
      observer.arrived({ req });
      counted.notify();
      res.once('close', () => {
        observer.finished({ req });
        counted.notify();
      });
      void release.promise.then(() => res.end('done'));
    });
    servers.push(server);
    const port = await listen(server);
    const replies = [
      request(port),
      request(port, { headers: { 'K-Proxy-Request': 'activator' } }),
      request(port, { headers: { 'K-Proxy-Request': 'activator' } }),
    ];
    await counted.when(() => stats.concurrency === 3);
    release.resolve();
    await Promise.all(replies);
    await counted.when(() => stats.concurrency === 0);
    expect(stats.report(0)).toMatchObject({ requestCount: 3, proxiedRequestCount: 2 });
  });
});
