import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { createAdminServer, createLiveQueue, type ConfigOverrides, type LiveQueue } from '../src/index.js';
import { until, useProxyFixture, type TestProxy } from './support/test-proxy.js';

// The admin port's live queue page, in a real headless Chromium (Debian's package; .ci/run installs it).

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`${CHROMIUM} is not installed (apt-get install chromium): skipping the live queue page tests`);
const describeInChromium = hasChromium ? describe : describe.skip;

const { backend, client, start } = useProxyFixture();

/** One slot, a short function (priority high, with a deadline far off) and a long one sharing it. */
function oneSlot(): ConfigOverrides {
  return {
    pools: [{ name: 'one-slot', backends: [backend.url], concurrency: 1 }],
    functions: [
      { name: 'short', pool: 'one-slot', match: { pathPrefix: '/short' }, expectedDurationMs: 20, priority: 'high', deadlineMs: 600_000 },
      { name: 'long', pool: 'one-slot', match: { pathPrefix: '/long' }, expectedDurationMs: 30_000 },
    ],
  };
}

/** The text of a cell of the function's row in the pool table, as the page shows it now. */
async function functionCell(page: Page, functionName: string, field: string): Promise<string> {
  return (await page.locator(`section[data-pool] tr[data-function="${functionName}"] [data-field="${field}"]`).textContent()) ?? '';
}

/** Waits (bounded) until the page, polling on its own, shows `wanted` in that cell. */
async function untilCell(page: Page, functionName: string, field: string, wanted: string): Promise<void> {
  await page
    .locator(`section[data-pool] tr[data-function="${functionName}"] [data-field="${field}"]`)
    .filter({ hasText: new RegExp(`^${wanted}$`) })
    .waitFor({ timeout: 10_000 });
}

/** Waits (bounded) until the page shows `count` rows of requests in a table. */
async function untilRows(page: Page, table: string, count: number): Promise<void> {
  await page.waitForFunction(`document.querySelectorAll('#${table} tr[data-function]').length === ${count}`, undefined, { timeout: 10_000 });
}

describeInChromium('the live queue page on the admin port', () => {
  let context: BrowserContext;
  let userDataDir: string;

  beforeAll(async () => {
    userDataDir = mkdtempSync(path.join(tmpdir(), 'shortline-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  afterAll(async () => {
    await context?.close();
    rmSync(userDataDir, { recursive: true, force: true });
  });

  test("the proxy's own admin port leads / to the page, which shows its pools and functions and their counts changing as requests queue", async () => {
    const proxy = await start(oneSlot());
    const page = await context.newPage();

    await page.goto(`${proxy.adminUrl}/`);
    expect(new URL(page.url()).pathname).toBe('/queue');
    expect(await page.title()).toBe('Shortline queue');
    await untilCell(page, 'short', 'waiting', '0');
    expect(await page.locator('section[data-pool="one-slot"] h2').textContent()).toContain('pool one-slot');
    expect(await functionCell(page, 'long', 'running')).toBe('0');
    expect([await functionCell(page, 'short', 'priority'), await functionCell(page, 'short', 'deadline'), await functionCell(page, 'short', 'attainment')]).toEqual([
      'high',
      '600.0 s',
      '—',
    ]);
    expect([await functionCell(page, 'long', 'priority'), await functionCell(page, 'long', 'deadline')]).toEqual(['normal', '—']);

    // A long call takes the slot; a short one and another long one queue behind it.
    const held = client.send(`${proxy.url}/long/1?hold`);
    await until(() => backend.held === 1, 'the long call at the backend');
    const queued = [client.send(`${proxy.url}/long/2`), client.send(`${proxy.url}/short/1`)];
    await until(() => proxy.shortline.scheduler.waiting === 2, 'two calls queued');
    await untilCell(page, 'long', 'running', '1');
    await untilCell(page, 'long', 'waiting', '1');
    await untilCell(page, 'short', 'waiting', '1');

    backend.release(1);
    await Promise.all([held, ...queued]);
    await untilCell(page, 'short', 'waiting', '0');
    await untilCell(page, 'long', 'running', '0');
    // The short call was answered long before its deadline.
    await untilCell(page, 'short', 'attainment', '1 of 1 \\(100%\\)');
    await page.close();
  });

  /** The proxy's admin page with the per-request provider wired as the proxy wires it (createLiveQueue). */
  async function withLiveDetail(proxy: TestProxy): Promise<{ adminUrl: string; close: () => Promise<void> }> {
    const shortline = proxy.shortline;
    // Outside the proxy only its snapshot knows the predictions; inside, the scheduler's predictor answers.
    const live: LiveQueue = createLiveQueue({
      observe: (observer) => shortline.observe(observer),
      predict: (fn) => shortline.scheduler.snapshot(shortline.timers.now()).functions.find((f) => f.name === fn)?.predictedMs ?? 0,
      timers: shortline.timers,
    });
    const admin: Server = createAdminServer({ registry: shortline.registry, ready: () => true, debug: () => shortline.debugSnapshot(), liveQueue: () => live.snapshot() });
    await new Promise<void>((resolve) => admin.listen(0, '127.0.0.1', resolve));
    return {
      adminUrl: `http://127.0.0.1:${(admin.address() as AddressInfo).port}`,
      close: async () => {
        live.stop();
        admin.closeAllConnections();
        await new Promise((resolve) => admin.close(resolve));
      },
    };
  }

  test('with request-by-request detail it lists what waits and runs with its prediction, and what finished, in the order served', async () => {
    const proxy = await start(oneSlot());
    const { adminUrl, close } = await withLiveDetail(proxy);
    const page = await context.newPage();
    await page.goto(`${adminUrl}/queue`);
    await page.locator('#waiting td', { hasText: 'nothing waits' }).waitFor();

    const held = client.send(`${proxy.url}/long/1?hold`);
    await until(() => backend.held === 1, 'the long call at the backend');
    const queued = [client.send(`${proxy.url}/long/2?secret=1`), client.send(`${proxy.url}/short/1`)];
    await until(() => proxy.shortline.scheduler.waiting === 2, 'two calls queued');

    await page.locator('#running tr[data-function="long"]').waitFor();
    await untilRows(page, 'waiting', 2);
    const waiting = await page.locator('#waiting tr[data-function]').evaluateAll((rows) =>
      rows.map((row) => [row.getAttribute('data-function'), row.querySelector('.path')?.textContent, row.querySelector('[data-field="predicted"]')?.textContent]),
    );
    expect(waiting.sort()).toEqual([
      ['long', 'GET /long/2', '30.0 s'],
      ['short', 'GET /short/1', '20 ms'],
    ]);

    backend.release(1);
    await Promise.all([held, ...queued]);
    await untilRows(page, 'recent', 3);
    // Newest first: the short call overtook the long one that arrived before it.
    const recent = await page.locator('#recent tr[data-function]').evaluateAll((rows) =>
      rows.map((row) => [row.querySelector('.path')?.textContent, row.querySelector('[data-field="status"]')?.textContent]),
    );
    expect(recent).toEqual([
      ['GET /long/2', '200'],
      ['GET /short/1', '200'],
      ['GET /long/1', '200'],
    ]);
    await page.locator('#waiting td', { hasText: 'nothing waits' }).waitFor();
    await page.close();
    await close();
  });
});
