// The modelled samples through real sockets. Order and counts, not timing: each request waits until
// the sample has admitted the one before (its response head carries the arrival number), and the
// outcome is the finish number the sample reports.
import { afterEach, describe, expect, it } from '@jest/globals';
import { Agent, request } from 'node:http';
import { spawnSampleServer, startSampleServer, type RunningSample } from '../src/index.js';

const agent = new Agent({ keepAlive: true, maxSockets: 64 });
const running: RunningSample[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((sample) => sample.close()));
});

async function start(kind: 'sequential' | 'shared', capacity: number): Promise<RunningSample> {
  const sample = await startSampleServer(kind, { capacity, maxMs: 60_000 });
  running.push(sample);
  return sample;
}

interface Sent {
  /** Resolves with the arrival number once the sample has admitted the call. */
  readonly admitted: Promise<number>;
  /** Resolves with the status and body once the call has ended. */
  readonly done: Promise<{ status: number; body: string }>;
}

function send(base: string, path: string, method = 'GET'): Sent {
  let admit: (n: number) => void = () => undefined;
  const admitted = new Promise<number>((resolve) => (admit = resolve));
  const done = new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(`${base}${path}`, { agent, method }, (res) => {
      admit(Number(res.headers['x-sample-admitted'] ?? 0));
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
  return { admitted, done };
}

/** Sends the calls one after another, each once the previous one is admitted; returns each one's finish number. */
async function finishOrder(base: string, paths: readonly string[]): Promise<number[]> {
  const sent: Sent[] = [];
  for (const path of paths) {
    const call = send(base, path);
    sent.push(call);
    await call.admitted;
  }
  const bodies = await Promise.all(sent.map((call) => call.done));
  return bodies.map(({ body }) => Number(/finish #(\d+)/.exec(body)?.[1]));
}

describe('sequential sample', () => {
  it('with one worker, a short call that arrives behind a long one ends after it', async () => {
    const sample = await start('sequential', 1);
    expect(await finishOrder(sample.url, ['/?ms=1000', '/?ms=1'])).toEqual([1, 2]);
  });

  it('with two workers, a short call waits only for the first worker to free up', async () => {
    const sample = await start('sequential', 2);
    expect(await finishOrder(sample.url, ['/?ms=1000', '/?ms=1500', '/?ms=1'])).toEqual([1, 3, 2]);
  });

  it('answers every call once, with its own work and a distinct finish number', async () => {
    const sample = await start('sequential', 1);
    const calls = Array.from({ length: 30 }, (_, i) => send(sample.url, `/work?ms=${i % 3}`));
    const bodies = await Promise.all(calls.map((call) => call.done));
    expect(bodies.every(({ status }) => status === 200)).toBe(true);
    const finishes = bodies.map(({ body }) => Number(/finish #(\d+)/.exec(body)?.[1]));
    expect([...finishes].sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(bodies[4]?.body).toMatch(/^sequential: worked 1 ms, finish #\d+\n$/);
  });

  it('takes more workers from PUT /capacity?k=N', async () => {
    const sample = await start('sequential', 1);
    const changed = await send(sample.url, '/capacity?k=2', 'PUT').done;
    expect(changed).toEqual({ status: 200, body: 'capacity 2\n' });
    expect(await finishOrder(sample.url, ['/?ms=1000', '/?ms=1'])).toEqual([2, 1]);
  });
});

describe('shared sample', () => {
  it('on one core, a short call that arrives behind a long one shares the core and ends first', async () => {
    const sample = await start('shared', 1);
    expect(await finishOrder(sample.url, ['/?ms=2000', '/?ms=1'])).toEqual([2, 1]);
  });

  it('runs as a child process of its own too, with the cores given', async () => {
    const child = await spawnSampleServer('shared', { capacity: 1 });
    running.push(child);
    expect(await finishOrder(child.url, ['/?ms=2000', '/?ms=1'])).toEqual([2, 1]);
  });
});

describe('bad input to a modelled sample', () => {
  it.each([
    ['/?ms=soon', 'GET', 400, 'ms must be a number of milliseconds from 0 to 60000, got "soon"\n'],
    ['/', 'GET', 200, 'shared: worked 0 ms, finish #1\n'],
    ['/capacity?k=0', 'PUT', 400, 'k must be a whole number of cores >= 1, got "0"\n'],
    ['/capacity', 'PUT', 400, 'k must be a whole number of cores >= 1, got ""\n'],
  ])('%s %s answers %i', async (path, method, status, body) => {
    const sample = await start('shared', 2);
    expect(await send(sample.url, path, method).done).toEqual({ status, body });
  });
});
