import { afterAll, afterEach, beforeAll } from '@jest/globals';
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { Agent, request, type Dispatcher } from 'undici';
import { createShortline, defaultConfig, type ConfigOverrides, type Shortline, type ShortlineOptions } from '../../src/index.js';
import { Changes } from './changes.js';
import { TestBackend } from './test-backend.js';

export interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly requestId?: string;
  readonly reason?: string;
  readonly [key: string]: unknown;
}

/** A pino logger whose JSON lines the test can read. */
export function capturingLogger(level = 'info'): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line !== '') lines.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  return { logger: pino({ level }, sink), lines };
}

export interface TestProxy {
  readonly shortline: Shortline;
  readonly url: string;
  readonly adminUrl: string;
  readonly lines: LogLine[];
  /** Resolves once `count` requests wait in the queue (checked at every lifecycle event, no polling). */
  whenQueued(count: number): Promise<void>;
  /** Resolves once `count` requests are in flight. */
  whenInFlight(count: number): Promise<void>;
  /** Resolves once `condition` holds, checked at every lifecycle event of the proxy's requests. */
  when(condition: () => boolean): Promise<void>;
  close(): Promise<void>;
}

/** A Shortline on 127.0.0.1 (ports picked by the OS) with the given configuration. */
export async function startProxy(
  overrides: ConfigOverrides,
  options: Omit<ShortlineOptions, 'config' | 'logger'> = {},
): Promise<TestProxy> {
  const config = defaultConfig({
    ...overrides,
    listen: { host: '127.0.0.1', port: 0 },
    admin: { host: '127.0.0.1', port: 0 },
  });
  const { logger, lines } = capturingLogger();
  const shortline = createShortline({ processMetrics: false, ...options, config, logger });
  const { port, adminPort } = await shortline.listen();
  const changes = new Changes();
  const notify = (): void => changes.notify();
  shortline.observe({ arrived: notify, classified: notify, queued: notify, started: notify, finished: notify });
  const when = (condition: () => boolean): Promise<void> => changes.when(condition);
  return {
    shortline,
    url: `http://127.0.0.1:${port}`,
    adminUrl: `http://127.0.0.1:${adminPort}`,
    lines,
    whenQueued: (count) => when(() => shortline.scheduler.waiting === count),
    whenInFlight: (count) => when(() => shortline.scheduler.inFlight === count),
    when,
    close: () => shortline.close(),
  };
}

export interface ProxyFixture {
  readonly backend: TestBackend;
  readonly client: ReturnType<typeof createClient>;
  /** Starts a proxy that is closed after the current test. */
  start(overrides: ConfigOverrides, options?: Omit<ShortlineOptions, 'config' | 'logger'>): Promise<TestProxy>;
}

/**
 * The hooks every proxy test file needs: one backend for the file, one client, and every proxy
 * started through `start` closed after its test, with the backend reset so that no test sees
 * another's traffic.
 */
export function useProxyFixture(): ProxyFixture {
  const backend = new TestBackend();
  const client = createClient();
  const started: TestProxy[] = [];
  beforeAll(() => backend.listen());
  afterEach(async () => {
    for (const proxy of started.splice(0)) await proxy.close();
    backend.reset();
  });
  afterAll(async () => {
    await client.close();
    await backend.close();
  });
  return {
    backend,
    client,
    start: async (overrides, options) => {
      const proxy = await startProxy(overrides, options);
      started.push(proxy);
      return proxy;
    },
  };
}

export interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
  readonly bytes: Buffer;
}

/** A keep-alive client for one test file; close it in afterAll. */
export function createClient(): { send: (url: string, options?: SendOptions) => Promise<Answer>; close: () => Promise<void> } {
  const agent = new Agent({ connections: 256 });
  return {
    async send(url, options = {}) {
      const response = await request(url, { dispatcher: agent, ...options });
      const bytes = Buffer.from(await response.body.arrayBuffer());
      return { status: response.statusCode, headers: response.headers, body: bytes.toString('utf8'), bytes };
    },
    close: () => agent.close(),
  };
}

export type SendOptions = Omit<Dispatcher.RequestOptions, 'origin' | 'path' | 'method'> & { method?: Dispatcher.HttpMethod };

/** Waits until `condition` holds (polling); fails the test if it never does. Not a timing assertion. */
export async function until(condition: () => boolean, what = 'condition', limitMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > limitMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A URL on 127.0.0.1 where nothing listens (a port just released by the OS). */
export async function deadUrl(): Promise<string> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
