import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Changes } from '../../proxy/test/support/changes.js';

// `shortline demo` end to end: the built command, real child processes, real sockets on 127.0.0.1.

const BIN = fileURLToPath(new URL('../bin/shortline.js', import.meta.url));
const BUILT = fileURLToPath(new URL('../dist/commands/demo.js', import.meta.url));

/** Ports free right now (bound to 0, then released). */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<ReturnType<typeof createServer>>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => resolve(server));
    })),
  );
  const ports = servers.map((server) => (server.address() as { port: number }).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

async function get(url: string, init?: RequestInit): Promise<[number, string]> {
  const response = await fetch(url, init);
  return [response.status, await response.text()];
}

/** A POST whose body the test sends piece by piece; each piece that comes back is `progress`. */
function openPost(url: string): { request: http.ClientRequest; received: () => string; reply: Promise<[number, string]> } {
  const request = http.request(url, { method: 'POST', agent: false });
  let body = '';
  const reply = new Promise<[number, string]>((resolve, reject) => {
    request.on('response', (response) => {
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
        progress.notify();
      });
      response.on('end', () => resolve([response.statusCode ?? 0, body]));
    });
    request.on('error', reject);
  });
  return { request, received: () => body, reply };
}

let dir: string;
let demo: ChildProcessWithoutNullStreams;
let output = '';
/** What the test waits on: the demo's output, and what the echo sample sent back. */
const progress = new Changes();
let proxy: string;
let admin: string;
let samplePorts: number[];

beforeAll(async () => {
  if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: build first (npm run build)`);
  const [listen, adminPort, sleep, spin, echo] = (await freePorts(5)) as [number, number, number, number, number];
  samplePorts = [sleep, spin, echo];
  proxy = `http://127.0.0.1:${listen}`;
  admin = `http://127.0.0.1:${adminPort}`;
  dir = mkdtempSync(join(tmpdir(), 'shortline-demo-'));
  const config = join(dir, 'shortline.yaml');
  writeFileSync(
    config,
    [
      `listen: { port: ${listen} }`,
      `admin: { port: ${adminPort} }`,
      'logging: { level: warn }',
      `pools: [{ name: sleep, backends: ["http://127.0.0.1:${sleep}"], concurrency: 1 }]`,
      'functions:',
      '  - { name: short, match: { pathPrefix: /short }, pool: sleep, expectedDurationMs: 10 }',
      '  - { name: long, match: { pathPrefix: /long }, pool: sleep, expectedDurationMs: 1000 }',
      `  - { name: spin, match: { pathPrefix: /spin }, backends: ["http://127.0.0.1:${spin}"], concurrency: 1 }`,
      `  - { name: echo, match: { pathPrefix: /echo }, backends: ["http://127.0.0.1:${echo}"] }`,
      '',
    ].join('\n'),
  );
  demo = spawn(process.execPath, [BIN, 'demo', '--config', config], { stdio: 'pipe' });
  await new Promise<void>((resolve, reject) => {
    demo.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      progress.notify();
      if (output.includes('Ctrl-C stops everything')) resolve();
    });
    demo.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    demo.once('exit', (code) => reject(new Error(`demo exited with ${String(code)} before it was ready:\n${output}`)));
  });
});

afterAll(() => {
  if (demo.exitCode === null) demo.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('shortline demo', () => {
  test('prints the proxy and admin URLs and example requests for the configured functions', () => {
    expect(output).toContain(`proxy     ${proxy}`);
    expect(output).toContain(`${admin}/metrics`);
    expect(output).toContain(`${admin}/debug/queue`);
    expect(output).toContain(`curl '${proxy}/short?ms=200'`);
    expect(output).toContain(`curl '${proxy}/spin?ms=50'`);
    expect(output).toContain(`curl --data-binary 'hello, echo' ${proxy}/echo`);
    // The short call behind long ones, in ONE function (the first of the sleep pool), its routes learnt.
    expect(output).toContain(`curl -s -H 'x-sleep-ms: 50' "${proxy}/short/lookup/$i"`);
    expect(output).toContain(`for i in $(seq 3); do curl -s -H 'x-sleep-ms: 3000' '${proxy}/short/report'`);
    expect(output).toContain(`time curl -s -H 'x-sleep-ms: 50' '${proxy}/short/lookup/7'`);
  });

  test('serves the three sample functions through the proxy', async () => {
    expect(await get(`${proxy}/short?ms=5`)).toEqual([200, 'slept 5 ms\n']);
    const [status, body] = await get(`${proxy}/spin?ms=5`);
    expect([status, body.startsWith('spun 5 ms')]).toEqual([200, true]);
    expect(await get(`${proxy}/echo`, { method: 'POST', body: 'hello, echo' })).toEqual([200, 'hello, echo']);
    expect((await get(`${proxy}/nothing`))[0]).toBe(404);
    expect((await get(`${admin}/metrics`))[0]).toBe(200);
  });

  test('Ctrl-C lets a running request finish, then stops everything and exits 0', async () => {
    // A request the echo sample is running: the first half of its body has come back, the rest is yet to be sent.
    const running = openPost(`${proxy}/echo`);
    running.request.write('first half, ');
    await progress.when(() => running.received() === 'first half, ');

    const exited = new Promise<number | null>((resolve) => demo.once('exit', (code) => resolve(code)));
    demo.kill('SIGINT');
    await progress.when(() => output.includes('stopping: draining the proxy, then the samples'));
    running.request.end('second half');
    expect(await running.reply).toEqual([200, 'first half, second half']);
    expect(await exited).toBe(0);
    for (const port of samplePorts) {
      await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
    }
  });
});
