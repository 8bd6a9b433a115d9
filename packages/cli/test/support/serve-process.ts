import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { LogLines, type LogLine } from '../../../knative/test/support/log-lines.js';

const BIN = fileURLToPath(new URL('../../bin/shortline.js', import.meta.url));
const BUILT = fileURLToPath(new URL('../../dist/commands/serve.js', import.meta.url));

export type { LogLine };

/** `shortline serve` as a child process (the built command), its JSON log lines collected. */
export interface ServeProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly logs: LogLines;
  /** stdout and stderr as they came, for failure messages. */
  output(): string;
  /** The first log line with this message (and matching, if given), once it is written. */
  logged(msg: string, matching?: (line: LogLine) => boolean): Promise<LogLine>;
  /** Sends the signal and resolves with the exit code. */
  stop(signal: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts `shortline serve` with exactly `env` (plus PATH), so nothing of the test runner's own
 * environment, such as a Kubernetes service host, leaks into the mode it picks. `entry`: the script
 * Node runs, by default the launcher of the built command; `nodeFlags`: what Node runs it under.
 */
export function startServe(args: readonly string[], env: Readonly<Record<string, string>>, entry: string = BIN, nodeFlags: readonly string[] = []): ServeProcess {
  if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: build first (npm run build)`);
  const child = spawn(process.execPath, [...nodeFlags, entry, 'serve', ...args], { stdio: 'pipe', env: { PATH: process.env['PATH'] ?? '', ...env } });
  const logs = new LogLines();
  let output = '';
  let pending = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    pending += chunk.toString();
    const complete = pending.split('\n');
    pending = complete.pop() ?? '';
    for (const line of complete) if (line.startsWith('{')) logs.add(JSON.parse(line) as LogLine);
  });
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // Its output is all in: a line not written by now never will be, so a wait for one fails.
  child.once('close', () => logs.end(new Error(`serve exited without that log line; output:\n${output}`)));

  return {
    child,
    logs,
    output: () => output,
    logged: (msg, matching) => logs.logged(msg, matching),
    async stop(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
