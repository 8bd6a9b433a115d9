import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DEFAULT_MAX_MS } from './duration-parameter.js';
import type { ListenOptions, RunningSample } from './running-sample.js';
import type { SampleKind } from './sample-kind.js';

/** The compiled child entry; the same relative URL works from src/ (tests) and dist/. */
const SAMPLE_MAIN = fileURLToPath(new URL('../dist/sample-main.js', import.meta.url));

export class SampleStartError extends Error {
  readonly code = 'SHORTLINE_SAMPLE_START';
  constructor(
    readonly kind: SampleKind,
    readonly port: number,
    reason: string,
  ) {
    super(`sample ${kind} could not listen on port ${port}: ${reason}`);
    this.name = 'SampleStartError';
  }
}

type ChildReport = { port: number; url: string } | { error: string };

/**
 * Starts a sample server in a child process of its own, so that a busy `spin` blocks only itself,
 * as a CPU-bound function in its own container would. Resolves once it listens.
 */
export async function spawnSampleServer(kind: SampleKind, options: ListenOptions = {}): Promise<RunningSample> {
  const port = options.port ?? 0;
  const args = [kind, String(port), options.host ?? '127.0.0.1', String(options.maxMs ?? DEFAULT_MAX_MS), ...(options.capacity === undefined ? [] : [String(options.capacity)])];
  const child = fork(SAMPLE_MAIN, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const report = await new Promise<ChildReport>((resolve, reject) => {
    child.once('message', (message) => resolve(message as ChildReport));
    child.once('error', reject);
    child.once('exit', (code) => reject(new SampleStartError(kind, port, `the process exited (code ${String(code)}) before listening`)));
  });
  if ('error' in report) throw new SampleStartError(kind, port, report.error);
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  return {
    kind,
    port: report.port,
    url: report.url,
    close: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
