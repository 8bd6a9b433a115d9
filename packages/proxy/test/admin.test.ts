import { describe, expect, test } from '@jest/globals';
import { Registry } from 'prom-client';
import type { ConfigOverrides } from '../src/index.js';
import { useProxyFixture, type TestProxy } from './support/test-proxy.js';

const { backend, client, start } = useProxyFixture();
let proxy: TestProxy | undefined;

function config(): ConfigOverrides {
  return {
    scheduler: { maxQueued: 2 },
    pools: [{ name: 'one', backends: [backend.url], concurrency: 1 }],
    functions: [{ name: 'fn', pool: 'one', match: { pathPrefix: '/' }, expectedDurationMs: 50 }],
  };
}

describe('the admin listener', () => {
  test('/metrics exposes queue, in-flight, histograms, rejections, predictions and process metrics', async () => {
    proxy = await start(config(), { processMetrics: true, registry: new Registry() });
    const started = proxy;
    await client.send(`${started.url}/a`);
    await client.send(`${started.url}/b`);
    const hold = client.send(`${started.url}/hold?hold`);
    await backend.whenHeld(1);
    const queued = [client.send(`${started.url}/q1`), client.send(`${started.url}/q2`)];
    await started.whenQueued(2);
    expect((await client.send(`${started.url}/full`)).status).toBe(503);

    const metrics = await client.send(`${started.adminUrl}/metrics`);

    expect(metrics.status).toBe(200);
    expect(metrics.headers['content-type']).toContain('text/plain');
    const text = metrics.body;
    expect(text).toContain('shortline_queue_depth{function="fn"} 2');
    expect(text).toContain('shortline_in_flight{function="fn"} 1');
    expect(text).toContain('shortline_pool_in_flight{pool="one"} 1');
    expect(text).toContain('shortline_rejections_total{function="fn",reason="queue-full"} 1');
    expect(text).toContain('shortline_requests_accepted_total{function="fn"} 5');
    expect(text).toContain('shortline_responses_total{function="fn",class="2xx"} 2');
    expect(text).toContain('shortline_responses_total{function="fn",class="5xx"} 1');
    expect(text).toMatch(/shortline_queue_wait_seconds_bucket\{le="[^"]+",function="fn"\} \d/);
    expect(text).toContain('shortline_service_time_seconds_count{function="fn"} 2');
    expect(text).toMatch(/shortline_predictor_mape\{function="fn"\} [\d.e+-]+/);
    expect(text).toMatch(/shortline_predicted_duration_seconds\{function="fn",estimate="p90"\} [\d.e+-]+/);
    expect(text).toContain('process_cpu_seconds_total');
    expect(text).toContain('shortline_draining 0');

    backend.release();
    await Promise.all([hold, ...queued]);
  });

  test('/healthz is 200; /readyz is 200 until a drain starts, then 503', async () => {
    proxy = await start(config());

    expect((await client.send(`${proxy.adminUrl}/healthz`)).status).toBe(200);
    expect((await client.send(`${proxy.adminUrl}/readyz`)).status).toBe(200);
    const hold = client.send(`${proxy.url}/hold?hold`);
    await backend.whenHeld(1);
    const drained = proxy.shortline.drain();

    expect((await client.send(`${proxy.adminUrl}/readyz`)).status).toBe(503);
    expect((await client.send(`${proxy.adminUrl}/healthz`)).status).toBe(200);
    backend.release();
    await Promise.all([hold, drained]);
  });

  test('/debug/queue shows functions, depths, predictions and backends as JSON', async () => {
    proxy = await start(config());
    const started = proxy;
    const hold = client.send(`${started.url}/hold?hold`);
    await backend.whenHeld(1);
    const queued = client.send(`${started.url}/q`);
    await started.whenQueued(1);

    const debug = await client.send(`${started.adminUrl}/debug/queue`);

    expect(debug.headers['content-type']).toBe('application/json');
    const snapshot = JSON.parse(debug.body) as Record<string, unknown>;
    expect(snapshot).toEqual(
      expect.objectContaining({
        policy: expect.objectContaining({ name: 'aging-srtf' }),
        waiting: 1,
        inFlight: 1,
        draining: false,
        functions: [expect.objectContaining({ name: 'fn', pool: 'one', waiting: 1, inFlight: 1, predictedMs: 50 })],
        backendDetails: [expect.objectContaining({ pool: 'one', url: backend.url, capacity: 1, inFlight: 1, state: 'active', ejected: false })],
      }),
    );
    backend.release();
    await Promise.all([hold, queued]);
  });

  test('an unknown admin path is 404', async () => {
    proxy = await start(config());

    expect((await client.send(`${proxy.adminUrl}/nope`)).status).toBe(404);
  });
});
