import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/shortline.js', import.meta.url));
const BUILT = fileURLToPath(new URL('../../dist/commands/serve.js', import.meta.url));

export interface LogLine {
  readonly msg: string;
  readonly [key: string]: unknown;
}

/** `shortline serve` as a child process (the built command), its JSON log lines collected. */
export interface ServeProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly lines: LogLine[];
  /** stdout and stderr as they came, for failure messages. */
  output(): string;
  /** The first log line with this message (waits for it, bounded). */
  logged(msg: string, limitMs?: number): Promise<LogLine>;
  /** Sends the signal and resolves with the exit code. */
  stop(signal: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts `shortline serve` with exactly `env` (plus PATH), so nothing of the test runner's own
 * environment, such as a Kubernetes service host, leaks into the mode it picks. `entry`: the script
 * Node runs, by default the launcher of the built command.
 */
export function startServe(args: readonly string[], env: Readonly<Record<string, string>>, entry: string = BIN): ServeProcess {
  if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: build first (npm run build)`);
  const child = spawn(process.execPath, [entry, 'serve', ...args], { stdio: 'pipe', env: { PATH: process.env['PATH'] ?? '', ...env } });
  const lines: LogLine[] = [];
  let output = '';
  let pending = '';
  const waiters = new Set<() => void>();
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    pending += chunk.toString();
    const complete = pending.split('\n');
    pending = complete.pop() ?? '';
    for (const line of complete) if (line.startsWith('{')) lines.push(JSON.parse(line) as LogLine);
    for (const wake of waiters) wake();
  });
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  return {
    child,
    lines,
    output: () => output,
    logged(msg, limitMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const found = lines.find((line) => line.msg === msg);
          if (found === undefined) return false;
          cleanup();
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`no "${msg}" log line within ${limitMs} ms; output:\n${output}`));
        }, limitMs);
        const onExit = (): void => {
          if (check()) return;
          cleanup();
          reject(new Error(`serve exited before logging "${msg}"; output:\n${output}`));
        };
        const wake = (): void => void check();
        const cleanup = (): void => {
          clearTimeout(timer);
          waiters.delete(wake);
          child.off('exit', onExit);
        };
        if (check()) return;
        waiters.add(wake);
        child.once('exit', onExit);
      });
    },
    async stop(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
