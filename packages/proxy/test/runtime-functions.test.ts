import { describe, expect, test } from '@jest/globals';
import type { IncomingMessage } from 'node:http';
import type { Classifier, FunctionConfig } from '../src/index.js';
import { FunctionNameTakenError } from '../src/index.js';
import { useProxyFixture } from './support/test-proxy.js';

// Functions and pools added at run time, as gateway discovery adds revisions: beside the
// configuration's, untouched by reloads, removable one by one.

const { backend, client, start } = useProxyFixture();

/** Requests name their function in a header, whatever the configuration's rules say. */
const byHeader: Classifier = {
  classify: (req: IncomingMessage) => req.headers['x-function'] as string | undefined,
  classifyStructured: () => Promise.reject(new Error('never needed')),
};

const configured = (policy: 'fifo' | 'sept') => ({
  scheduler: { policy },
  pools: [{ name: 'static', backends: [backend.url] }],
  functions: [{ name: 'configured', pool: 'static' }],
});

describe('run-time functions', () => {
  test('take requests beside the configured ones, and a reload keeps them', async () => {
    const proxy = await start(configured('fifo'), { classifier: byHeader });
    proxy.shortline.upsertPool('found', 'least-loaded');
    proxy.shortline.backends.add('found', { id: 'found@backend', url: backend.url, capacity: 1 });
    proxy.shortline.upsertFunction({ name: 'discovered', pool: 'found', timeoutMs: 10_000 });

    const send = (fn: string) => client.send(`${proxy.url}/x`, { headers: { 'x-function': fn } });
    expect((await send('discovered')).status).toBe(200);
    const config = proxy.shortline.config;
    proxy.shortline.applyConfig({ ...config, scheduler: { ...config.scheduler, policy: 'sept' } });
    expect(proxy.shortline.config.scheduler.policy).toBe('sept');
    expect((await send('discovered')).status).toBe(200);
    expect((await send('configured')).status).toBe(200);
  });

  test('a removed one answers its waiting requests 503; its pool goes with its backends', async () => {
    const proxy = await start(configured('fifo'), { classifier: byHeader });
    proxy.shortline.upsertPool('empty', 'first-available');
    proxy.shortline.upsertFunction({ name: 'doomed', pool: 'empty', timeoutMs: 10_000 });
    const waiting = client.send(`${proxy.url}/x`, { headers: { 'x-function': 'doomed' } });
    await proxy.whenQueued(1);
    proxy.shortline.removeFunction('doomed');
    proxy.shortline.removePool('empty');
    const answer = await waiting;
    expect([answer.status, answer.headers['x-shortline-reason']]).toEqual([503, 'function-removed']);
    expect(proxy.shortline.debugSnapshot().pools.map((pool) => pool.name)).toEqual(['static']);
    expect((await client.send(`${proxy.url}/x`, { headers: { 'x-function': 'doomed' } })).status).toBe(404);
  });

  test('a removed one takes its metric series with it: revision churn does not grow the scrape', async () => {
    const proxy = await start(configured('fifo'), { classifier: byHeader });
    const scrape = async (): Promise<string> => (await client.send(`${proxy.adminUrl}/metrics`)).body;
    for (const revision of ['rev-1', 'rev-2', 'rev-3']) {
      proxy.shortline.upsertPool(revision, 'least-loaded');
      proxy.shortline.backends.add(revision, { id: `${revision}@backend`, url: backend.url, capacity: 1 });
      proxy.shortline.upsertFunction({ name: revision, pool: revision, timeoutMs: 10_000 });
      expect((await client.send(`${proxy.url}/x`, { headers: { 'x-function': revision } })).status).toBe(200);
      expect(await scrape()).toContain(`shortline_requests_accepted_total{function="${revision}"} 1`);
      proxy.shortline.removeFunction(revision);
      proxy.shortline.removePool(revision);
    }

    const metrics = await scrape();
    expect(metrics).not.toMatch(/function="rev-\d"/);
    expect(metrics).toContain('function="configured"');
  });

  test('hold a request up to their own timeout while their pool has no backend', async () => {
    const proxy = await start(configured('fifo'), { classifier: byHeader });
    proxy.shortline.upsertPool('empty', 'first-available');
    proxy.shortline.upsertFunction({ name: 'patient', pool: 'empty', timeoutMs: 100 });
    const answer = await client.send(`${proxy.url}/x`, { headers: { 'x-function': 'patient' } });
    expect([answer.status, answer.headers['x-shortline-reason']]).toEqual([504, 'deadline']);
  });

  test('never share a name with a configured function', async () => {
    const proxy = await start(configured('fifo'), { classifier: byHeader });
    proxy.shortline.upsertPool('found', 'least-loaded');
    expect(() => proxy.shortline.upsertFunction({ name: 'configured', pool: 'found', timeoutMs: 0 })).toThrow(FunctionNameTakenError);
    proxy.shortline.upsertFunction({ name: 'discovered', pool: 'found', timeoutMs: 0 });

    // A reload that defines the run-time name is refused as a whole; the configuration in force stays.
    const clash = { ...proxy.shortline.config, scheduler: { ...proxy.shortline.config.scheduler, policy: 'sept' as const } };
    proxy.shortline.applyConfig({ ...clash, functions: [...clash.functions, { ...(clash.functions[0] as FunctionConfig), name: 'discovered' }] });
    expect(proxy.shortline.config.scheduler.policy).toBe('fifo');
    expect(proxy.lines.some((line) => line.msg === 'configuration refused; the previous one stays in force')).toBe(true);
  });
});
