import { spawn } from 'node:child_process';
import { findExecutable } from './find-executable.js';
import type { LatencySummary, LoadResult } from './load-result.js';

/** The wrk executable on PATH, or undefined (Debian: `apt-get install wrk`). */
export function findWrk(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return findExecutable('wrk', env);
}

export interface WrkOptions {
  readonly wrk: string;
  readonly url: string;
  readonly connections: number;
  /** wrk runs whole seconds; this is rounded, at least 1 s. */
  readonly durationMs: number;
  /** Default 1: on a small machine more threads only compete with the target. */
  readonly threads?: number;
}

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

function durationMs(text: string): number {
  const match = /^([\d.]+)(us|ms|s|m)$/.exec(text);
  if (match === null) return NaN;
  return Number(match[1]) * (UNIT_MS[match[2] as string] as number);
}

/** Reads wrk's `--latency` report. Exported for its test; throws if the report lacks the rate. */
export function parseWrkReport(report: string, seconds: number): LoadResult {
  const rate = /^Requests\/sec:\s+([\d.]+)/m.exec(report);
  const total = /^\s*(\d+) requests in /m.exec(report);
  if (rate === null || total === null) throw new Error(`could not read wrk's report:\n${report}`);
  const percentile = (p: string): number => {
    const match = new RegExp(`^\\s+${p}%\\s+(\\S+)`, 'm').exec(report);
    return match === null ? NaN : durationMs(match[1] as string);
  };
  const max = /^\s+Latency\s+\S+\s+\S+\s+(\S+)/m.exec(report);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(report);
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(report);
  const errors =
    Number(non2xx?.[1] ?? 0) + (socketErrors === null ? 0 : socketErrors.slice(1).reduce((sum, count) => sum + Number(count), 0));
  const latencyMs: LatencySummary = {
    p50: percentile('50'),
    p90: percentile('90'),
    p99: percentile('99'),
    max: max === null ? NaN : durationMs(max[1] as string),
  };
  return { generator: 'wrk', requests: Number(total[1]), errors, seconds, requestsPerSecond: Number(rate[1]), latencyMs };
}

/** Closed-loop load with wrk (keep-alive, `connections` open at once). */
export function runWrk(options: WrkOptions): Promise<LoadResult> {
  const seconds = Math.max(1, Math.round(options.durationMs / 1000));
  const args = [`-t${options.threads ?? 1}`, `-c${options.connections}`, `-d${seconds}s`, '--latency', options.url];
  return new Promise((resolve, reject) => {
    const child = spawn(options.wrk, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`wrk exited with code ${String(code)}:\n${output}`));
      else {
        try {
          resolve(parseWrkReport(output, seconds));
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      }
    });
  });
}
