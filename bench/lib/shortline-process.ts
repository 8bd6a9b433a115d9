import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { isDeepStrictEqual } from 'node:util';
import { createPolicy, type PolicySpec } from '@shortline/core';
import { parseConfig } from '@shortline/proxy';
import { request } from 'undici';
import { repositoryRoot, SHORTLINE_BIN } from './repository-root.js';

const READY_WITHIN_MS = 15_000;
const READY_POLL_MS = 50;
/** Longer than the proxy's own drain bound (drain.timeoutMs, 30 s by default). */
const EXIT_WITHIN_MS = 35_000;
const KEPT_OUTPUT_LINES = 20;

/** Shortline did not come up, or went away. */
export class ShortlineProcessError extends Error {
  readonly code = 'SHORTLINE_BENCH_PROXY';
  constructor(
    readonly configPath: string,
    reason: string,
  ) {
    super(`shortline serve --config ${configPath}: ${reason}`);
    this.name = 'ShortlineProcessError';
  }
}

/** The policy a running proxy reports at /debug/queue. */
export interface ReportedPolicy {
  readonly name: string;
  readonly parameters: Readonly<Record<string, number>>;
}

export interface ShortlineProcess {
  readonly policy: ReportedPolicy;
  /** SIGTERM (the proxy drains, then exits); SIGKILL if it has not exited in time. */
  stop(): Promise<void>;
}

async function ready(adminPort: number): Promise<boolean> {
  try {
    const { statusCode, body } = await request(`http://127.0.0.1:${adminPort}/readyz`);
    await body.dump();
    return statusCode === 200;
  } catch {
    return false;
  }
}

async function reportedPolicy(adminPort: number): Promise<ReportedPolicy> {
  const { body } = await request(`http://127.0.0.1:${adminPort}/debug/queue`);
  const snapshot = (await body.json()) as { policy: ReportedPolicy };
  return snapshot.policy;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Starts `shortline serve --config FILE` in a process of its own, as an operator would, and waits
 * until its admin port answers /readyz. Its output goes to `log` (the proxy logs at warn), and the
 * last lines of it are quoted if it fails to start.
 */
export async function startShortlineProcess(configPath: string, adminPort: number, log: (line: string) => void): Promise<ShortlineProcess> {
  const root = repositoryRoot();
  const child = spawn(process.execPath, [join(root, SHORTLINE_BIN), 'serve', '--config', configPath], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      log(line);
      output.push(line);
      if (output.length > KEPT_OUTPUT_LINES) output.shift();
    });
  }
  const gone = exited(child);
  let exitedEarly = false;
  void gone.then(() => (exitedEarly = true));
  const fail = async (reason: string): Promise<never> => {
    child.kill('SIGKILL');
    await gone;
    throw new ShortlineProcessError(configPath, `${reason}${output.length === 0 ? '' : `; its last output:\n${output.join('\n')}`}`);
  };
  const deadline = performance.now() + READY_WITHIN_MS;
  while (!(await ready(adminPort))) {
    if (exitedEarly) return fail(`exited (code ${String(child.exitCode)}) before it was ready`);
    if (performance.now() > deadline) return fail(`not ready within ${READY_WITHIN_MS} ms`);
    await sleep(READY_POLL_MS);
  }
  let policy: ReportedPolicy;
  try {
    policy = await reportedPolicy(adminPort);
  } catch (error) {
    return fail(`/debug/queue did not answer: ${(error as Error).message}`);
  }
  return {
    policy,
    stop: async () => {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), EXIT_WITHIN_MS);
      await gone;
      clearTimeout(timer);
    },
  };
}

export interface LaunchShortlineOptions {
  /** The configuration file's text, and where to write it (next to the report). */
  readonly yaml: string;
  readonly configPath: string;
  /** The admin port the configuration names. */
  readonly adminPort: number;
  /** The policy the simulator was given: the proxy must report the very same at /debug/queue. */
  readonly policy: PolicySpec;
  log(line: string): void;
}

/**
 * Writes the configuration and starts `shortline serve` on it; checks that the proxy reports the
 * very policy parameters the simulator was given. A bad configuration fails here, naming the key,
 * rather than as a child that exits.
 */
export async function launchShortline(options: LaunchShortlineOptions): Promise<ShortlineProcess> {
  parseConfig(options.yaml, options.configPath);
  await writeFile(options.configPath, options.yaml);
  const proxy = await startShortlineProcess(options.configPath, options.adminPort, options.log);
  const expected = createPolicy(options.policy);
  if (proxy.policy.name !== expected.name || !isDeepStrictEqual({ ...proxy.policy.parameters }, { ...expected.parameters })) {
    await proxy.stop();
    throw new ShortlineProcessError(
      options.configPath,
      `runs ${JSON.stringify(proxy.policy)}, but the simulator was given ${JSON.stringify({ name: expected.name, parameters: expected.parameters })}`,
    );
  }
  return proxy;
}
