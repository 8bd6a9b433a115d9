import {
  CheckpointError,
  LOAD_HELP,
  LoadRunError,
  LoadUsageError,
  parseLoadArgs,
  runLoad,
  TemplateError,
  type LoadIo,
} from '@shortline/load';
import { TraceFileError, TraceFormatError } from '@shortline/sim';
import type { Command } from '../command.js';

/** A stopped run exits as a process killed by the signal would (128 + its number), its checkpoint written. */
const STOPPED_BY = { SIGINT: 130, SIGTERM: 143 } as const;
type StopSignal = keyof typeof STOPPED_BY;

const CANNOT_RUN = [TraceFileError, TraceFormatError, CheckpointError, LoadRunError];

async function run(io: LoadIo, args: readonly string[]): Promise<number> {
  const say = (line: string): void => void io.stderr.write(`shortline load: ${line}\n`);
  let command;
  try {
    command = parseLoadArgs(args, process.cwd());
  } catch (error) {
    if (!(error instanceof LoadUsageError || error instanceof TemplateError)) throw error;
    say(`${error.message}\nRun shortline load --help for the options.`);
    return 2;
  }
  if (command.kind === 'help') {
    io.stdout.write(LOAD_HELP);
    return 0;
  }
  // The first SIGINT or SIGTERM stops sending; the run then settles what it has and writes its checkpoint.
  const stop = new AbortController();
  let stoppedBy: StopSignal | undefined;
  const handlers = (Object.keys(STOPPED_BY) as StopSignal[]).map((signal) => {
    const handler = (): void => {
      stoppedBy ??= signal;
      stop.abort();
    };
    process.on(signal, handler);
    return () => process.off(signal, handler);
  });
  try {
    const request = command.kind === 'resume' ? command : { kind: 'run' as const, settings: command.settings, args, cwd: process.cwd() };
    const outcome = await runLoad(request, io, stop.signal);
    if (outcome.interrupted) return STOPPED_BY[stoppedBy ?? 'SIGINT'];
    return outcome.valid ? 0 : 3;
  } catch (error) {
    if (!CANNOT_RUN.some((kind) => error instanceof kind)) throw error;
    say((error as Error).message);
    return 1;
  } finally {
    for (const remove of handlers) remove();
  }
}

/** The command with its output streams injected (tests pass string sinks). */
export function createLoadCommand(io: LoadIo): Command {
  return {
    summary: 'send a trace or a sweep to any HTTP endpoint, open loop, recording every invocation',
    run: (args) => run(io, args),
  };
}

export const load: Command = createLoadCommand({ stdout: process.stdout, stderr: process.stderr });
