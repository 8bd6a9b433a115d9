import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { ConfigError, defaultConfig, watchConfigFile, type ConfigOverrides, type ShortlineConfig } from '../src/index.js';
import { TestBackend } from './support/test-backend.js';
import { Changes } from './support/changes.js';
import { createClient, startProxy, type Answer, type TestProxy } from './support/test-proxy.js';

const client = createClient();
let backend: TestBackend;
let other: TestBackend;
let proxy: TestProxy | undefined;

beforeAll(async () => {
  backend = await TestBackend.start();
  other = await TestBackend.start();
});

afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
  for (const b of [backend, other]) {
    b.release(b.held);
    b.received.length = 0;
  }
});

afterAll(async () => {
  await client.close();
  await backend.close();
  await other.close();
});

function overrides(change: { policy?: 'fifo' | 'sept' | 'aging-srtf'; concurrency?: number; url?: string; withExtra?: boolean } = {}): ConfigOverrides {
  return {
    scheduler: { policy: change.policy ?? 'fifo' },
    pools: [{ name: 'one', backends: [change.url ?? backend.url], concurrency: change.concurrency ?? 1 }],
    functions: [
      { name: 'fn', pool: 'one', match: { pathPrefix: '/fn' } },
      ...(change.withExtra === false ? [] : [{ name: 'extra', pool: 'one', match: { pathPrefix: '/extra' } }]),
    ],
  };
}

/** What applyConfig gets: a full configuration with the proxy's own (test) addresses. */
function full(started: TestProxy, change: Parameters<typeof overrides>[0]): ShortlineConfig {
  return defaultConfig({ ...overrides(change), listen: started.shortline.config.listen, admin: started.shortline.config.admin });
}

async function queueBehindHold(started: TestProxy, paths: readonly string[]): Promise<{ answers: Promise<Answer>[] }> {
  const answers = [client.send(`${started.url}/fn/hold?hold`)];
  await backend.whenHeld(1);
  for (const path of paths) answers.push(client.send(`${started.url}${path}`));
  await started.whenQueued(paths.length);
  return { answers };
}

describe('applyConfig', () => {
  test('a new policy and new limits keep the queued requests, which are then all answered', async () => {
    proxy = await startProxy(overrides());
    const started = proxy;
    const { answers } = await queueBehindHold(started, ['/fn/1', '/fn/2', '/extra/1']);

    started.shortline.applyConfig(full(started, { policy: 'sept' }));

    expect(started.shortline.scheduler.policy.name).toBe('sept');
    expect(started.shortline.scheduler.waiting).toBe(3);
    backend.release();
    expect((await Promise.all(answers)).map((a) => a.status)).toEqual([200, 200, 200, 200]);
  });

  test('raising the concurrency starts queued requests at once', async () => {
    proxy = await startProxy(overrides());
    const started = proxy;
    const { answers } = await queueBehindHold(started, ['/fn/1?hold', '/fn/2?hold']);

    started.shortline.applyConfig(full(started, { concurrency: 3 }));

    await backend.whenHeld(3);
    backend.release(3);
    await Promise.all(answers);
  });

  test('a function removed from the configuration has its queued requests answered 503', async () => {
    proxy = await startProxy(overrides());
    const started = proxy;
    const { answers } = await queueBehindHold(started, ['/extra/1', '/fn/1']);

    started.shortline.applyConfig(full(started, { withExtra: false }));
    backend.release();
    const [hold, removed, kept] = await Promise.all(answers);

    expect(hold?.status).toBe(200);
    expect(removed?.status).toBe(503);
    expect(removed?.body).toContain('function-removed');
    expect(kept?.status).toBe(200);
  });

  test('a backend replaced in the pool gets the next requests; the old one finishes what it runs', async () => {
    proxy = await startProxy(overrides());
    const started = proxy;
    const { answers } = await queueBehindHold(started, ['/fn/queued']);

    started.shortline.applyConfig(full(started, { url: other.url }));
    await other.whenReceived(1);
    backend.release();

    expect((await Promise.all(answers)).map((a) => a.status)).toEqual([200, 200]);
    expect(other.paths).toEqual(['/fn/queued']);
    expect(started.shortline.backends.list().map((b) => b.url)).toEqual([other.url]);
  });

  test('an invalid configuration is counted and logged, and the one in force stays', async () => {
    proxy = await startProxy(overrides());

    proxy.shortline.reportInvalidConfig(new ConfigError('SHORTLINE_CONFIG_INVALID', 'test.yaml', [{ path: 'pools[0].concurrency', message: 'must be >= 0' }]));

    const metrics = await client.send(`${proxy.adminUrl}/metrics`);
    expect(metrics.body).toContain('shortline_config_reloads_total{result="invalid"} 1');
    expect(proxy.lines.some((line) => line.msg.includes('configuration refused'))).toBe(true);
    expect((await client.send(`${proxy.url}/fn/ok`)).status).toBe(200);
  });
});

describe('reloading the watched file under load', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'shortline-reload-'));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  test('valid and invalid edits while requests flow: none is lost, the valid edits apply', async () => {
    proxy = await startProxy(overrides({ concurrency: 2 }));
    const started = proxy;
    const yaml = (policy: string, concurrency: number | string): string =>
      `scheduler: { policy: ${policy} }\npools: [{ name: one, backends: ["${backend.url}"], concurrency: ${concurrency} }]\n` +
      `functions: [{ name: fn, pool: one, match: { pathPrefix: /fn } }, { name: extra, pool: one, match: { pathPrefix: /extra } }]\n` +
      `listen: { port: 0 }\nadmin: { port: 0 }\n`;
    const path = join(dir, 'shortline.yaml');
    writeFileSync(path, yaml('fifo', 2));
    let applied = 0;
    let refused = 0;
    const seen = new Changes();
    const watcher = watchConfigFile(
      path,
      {
        onReload: (config) => {
          applied++;
          started.shortline.applyConfig({ ...config, listen: started.shortline.config.listen, admin: started.shortline.config.admin });
          seen.notify();
        },
        onInvalid: (error) => {
          refused++;
          started.shortline.reportInvalidConfig(error);
          seen.notify();
        },
      },
      { debounceMs: 5, pollMs: 60_000 },
    );
    // Four closed-loop clients (more than the slots, so some always wait) run until the edits are
    // through, bounded in count; every request must be answered by the backend.
    let sent = 0;
    let editing = true;
    const statuses: number[] = [];
    const load = async (): Promise<void> => {
      while (editing && sent < 20_000) {
        sent++;
        statuses.push((await client.send(`${started.url}/fn/${sent}`)).status);
      }
    };
    const loops = [load(), load(), load(), load()];
    const edits: [string, number | string, () => boolean][] = [
      ['sept', 3, () => applied === 1],
      ['fifo', 'lots', () => refused === 1],
      ['aging-srtf', 1, () => applied === 2],
    ];
    for (const [policy, concurrency, done] of edits) {
      writeFileSync(path, yaml(policy, concurrency));
      await seen.when(done);
    }
    editing = false;
    await Promise.all(loops);
    watcher.close();

    expect(statuses).toHaveLength(sent);
    expect(statuses.every((status) => status === 200)).toBe(true);
    expect(started.shortline.scheduler.policy.name).toBe('aging-srtf');
    expect(started.shortline.backends.list()).toEqual([expect.objectContaining({ capacity: 1 })]);
    const metrics = (await client.send(`${started.adminUrl}/metrics`)).body;
    expect(metrics).toContain('shortline_config_reloads_total{result="ok"} 2');
    expect(metrics).toContain('shortline_config_reloads_total{result="invalid"} 1');
  });
});
