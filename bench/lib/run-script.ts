import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

export interface ScriptRun {
  /** Exit code; null when a signal (or the time bound) ended it. */
  readonly code: number | null;
  readonly stdout: string;
  readonly seconds: number;
}

/**
 * Runs a compiled benchmark script with this Node in a process of its own, its stdout captured and
 * its stderr passed through (narration and progress stay visible). Killed after `timeoutMs`.
 */
export function runScript(script: string, args: readonly string[], timeoutMs: number): Promise<ScriptRun> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, seconds: (performance.now() - started) / 1000 });
    });
  });
}
