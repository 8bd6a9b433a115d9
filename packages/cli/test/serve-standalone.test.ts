import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from '../../knative/test/support/http.js';
import { startUserContainer, type UserContainer } from '../../knative/test/support/user-container.js';
import { startServe, type ServeProcess } from './support/serve-process.js';

// `shortline serve` without Knative's env contract: standalone mode, static pools from the file.

let dir: string;
let backend: UserContainer;
let serve: ServeProcess;
let ports: { port: number; admin: number };

beforeAll(async () => {
  backend = await startUserContainer();
  dir = mkdtempSync(join(tmpdir(), 'shortline-standalone-'));
  const config = join(dir, 'shortline.yaml');
  writeFileSync(
    config,
    [
      'listen: { host: 127.0.0.1, port: 0 }',
      'admin: { host: 127.0.0.1, port: 0 }',
      `functions: [{ name: app, match: { pathPrefix: / }, backends: ["http://127.0.0.1:${backend.port}"], concurrency: 1 }]`,
      '',
    ].join('\n'),
  );
  // SERVING_REVISION alone is not the env contract: still standalone.
  serve = startServe(['--config', config], { SERVING_REVISION: 'not-a-pod' });
  const serving = await serve.logged('shortline serving');
  expect(serving['mode']).toBe('standalone');
  ports = serving as unknown as typeof ports;
});

afterAll(async () => {
  await serve.stop('SIGKILL');
  await backend.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('shortline serve, standalone', () => {
  test('proxies to the static backends, and on SIGTERM lets held work finish before exiting 0', async () => {
    expect((await request(ports.port, { path: '/hello' })).text).toBe('ok /hello');
    const held = request(ports.port, { path: '/hold/1' });
    await backend.when(() => backend.held === 1);
    const exited = serve.stop('SIGTERM');
    await serve.logged('shutting down: draining');
    backend.release();
    expect((await held).status).toBe(200);
    expect(await exited).toBe(0);
  });
});
