import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ConfigOverrides } from '@shortline/proxy';

/** What the proxy process says about itself, taken inside it. */
export interface ProxySample {
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
  /** Buffers and array buffers outside the V8 heap. */
  readonly externalBytes: number;
  /** Event-loop delay since the previous sample (perf_hooks.monitorEventLoopDelay, 1 ms resolution). */
  readonly loopDelayMs: { readonly p50: number; readonly p99: number; readonly max: number };
  readonly waiting: number;
  readonly inFlight: number;
  readonly openRequests: number;
}

export interface ProxyProcess {
  readonly port: number;
  readonly url: string;
  /** Asks the proxy for a sample; with `afterGc`, it collects garbage first (retained memory only). */
  sample(afterGc?: boolean): Promise<ProxySample>;
  stop(): Promise<void>;
}

const PROXY_MAIN = fileURLToPath(new URL('./proxy-main.js', import.meta.url));

/**
 * Starts a Shortline with `overrides` in a child process (its own event loop and memory, as in a pod),
 * with garbage collection exposed so that retained memory can be told from garbage.
 */
export async function startProxyProcess(overrides: ConfigOverrides): Promise<ProxyProcess> {
  const child: ChildProcess = fork(PROXY_MAIN, [JSON.stringify(overrides)], {
    execArgv: ['--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const { port } = await new Promise<{ port: number }>((resolve, reject) => {
    child.once('message', (message) => resolve(message as { port: number }));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the proxy process exited (code ${String(code)}) before it listened`)));
  });
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  let queue: Promise<unknown> = Promise.resolve();
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    sample(afterGc = false) {
      // One request at a time over the channel, so answers cannot cross.
      const next = queue.then(
        () =>
          new Promise<ProxySample>((resolve) => {
            child.once('message', (message) => resolve(message as ProxySample));
            child.send(afterGc ? 'sample-after-gc' : 'sample');
          }),
      );
      queue = next;
      return next;
    },
    async stop() {
      child.send('stop');
      await exited;
    },
  };
}
