import { fork } from 'node:child_process';

/** A server running in a child process, as reported by it over IPC once it listens. */
export interface ChildTarget<Info> {
  readonly info: Info;
  readonly pid: number;
  /** Sends `message` over IPC and resolves with the child's next message (its answer). */
  ask<Answer>(message: object): Promise<Answer>;
  stop(): Promise<void>;
}

/** How a child differs from this process: Node flags added to its own, variables added to its environment. */
export interface ChildSettings {
  readonly nodeFlags?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * Runs `script` (a compiled entry) in a child process and waits for the first IPC message, which
 * says where it listens. Load generator, proxy and backend each get a process (and event loop) of
 * their own, as they would in production; otherwise they would measure each other.
 */
export async function startChildTarget<Info>(script: string, args: readonly string[], settings: ChildSettings = {}): Promise<ChildTarget<Info>> {
  const child = fork(script, args, {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: [...process.execArgv, ...(settings.nodeFlags ?? [])],
    env: { ...process.env, ...settings.env },
  });
  const info = await new Promise<Info>((resolve, reject) => {
    child.once('message', (message) => resolve(message as Info));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${script} ${args.join(' ')} exited (code ${String(code)}) before it was ready`)));
  });
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  return {
    info,
    pid: child.pid as number,
    ask: <Answer>(message: object) =>
      new Promise<Answer>((resolve, reject) => {
        child.once('message', (answer) => resolve(answer as Answer));
        child.send(message, (error) => {
          if (error !== null) reject(error);
        });
      }),
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
