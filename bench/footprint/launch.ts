import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { processUsage, type ProcessUsage } from './process-usage.js';
import type { ServeSetup } from './serve-setups.js';

/** A way to run `shortline`: a checkout's launcher or bundle, with the Node flags and environment it runs under. */
export interface ShortlineBuild {
  readonly label: string;
  /** The script Node runs, e.g. <checkout>/packages/cli/bin/shortline.js. */
  readonly entry: string;
  readonly nodeFlags: readonly string[];
  /** Set before the mode's own (as an image's ENV is, under the env Knative gives the container). */
  readonly env: Readonly<Record<string, string>>;
}

export interface Launched {
  readonly pid: number;
  /** From just before the exec to the end of the first answered (200) request. */
  readonly startMs: number;
  /** The CPU the process had used by then, every thread. */
  readonly startCpuMs: number;
  usage(): ProcessUsage;
  /** SIGKILL: a sidecar's drain would wait out Knative's 30 s quiet period. */
  stop(): Promise<void>;
}

const POLL_MS = 2;

/** One GET over a fresh connection; the status, or 0 when no answer came. */
export function get(port: number, path: string, headers: Readonly<Record<string, string>>): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path, headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', () => resolve(0));
    });
    req.on('error', () => resolve(0));
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Runs `shortline serve` and times it to its first answered request: one GET every 2 ms (each on a
 * new connection, refused until the port listens) until one is answered 200, which for a sidecar and
 * the gateway means it reached the backend. Fails if that takes longer than `limitMs`.
 */
export async function launch(build: ShortlineBuild, setup: ServeSetup, limitMs = 30_000): Promise<Launched> {
  const started = performance.now();
  const child = spawn(process.execPath, [...build.nodeFlags, build.entry, 'serve', ...setup.args], {
    env: { PATH: process.env['PATH'] ?? '', ...build.env, ...setup.env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const stop = async (): Promise<void> => {
    child.kill('SIGKILL');
    await exited(child);
  };
  const pid = child.pid as number;
  while ((await get(setup.port, '/', setup.headers)) !== 200) {
    if (child.exitCode !== null || performance.now() - started > limitMs) {
      await stop();
      throw new Error(`${build.label}: no answered request within ${limitMs} ms (exit ${String(child.exitCode)}):\n${stderr}`);
    }
    await sleep(POLL_MS);
  }
  const startMs = performance.now() - started;
  const startCpuMs = processUsage(pid).cpuNs / 1e6;
  return { pid, startMs, startCpuMs, usage: () => processUsage(pid), stop };
}
