import { join } from 'node:path';
import { CheckpointError, CHECKPOINT_FILE, readCheckpoint, type Checkpoint } from './checkpoint.js';
import type { LoadSettings } from './load-settings.js';
import { parseLoadArgs } from './parse-load-args.js';

/** A new run from its settings (and the command line they came from), or a stopped one to continue. */
export type LoadRequest =
  | { readonly kind: 'run'; readonly settings: LoadSettings; readonly args: readonly string[]; readonly cwd: string }
  | { readonly kind: 'resume'; readonly dir: string };

/** The run cannot start: its folder holds a run already, or a resumed one cannot continue. */
export class LoadRunError extends Error {
  readonly code = 'SHORTLINE_LOAD_RUN';
  constructor(message: string) {
    super(message);
    this.name = 'LoadRunError';
  }
}

/** What one part of a run is: its settings, its folder, and where the run stood before it. */
export interface LoadPlan {
  readonly settings: LoadSettings;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly dir: string;
  /** Undefined for the first part. */
  readonly checkpoint: Checkpoint | undefined;
}

/**
 * The plan of a request. A resumed run takes its settings from its checkpoint's command line,
 * parsed again exactly as the first time; a complete one is refused.
 */
export async function planLoad(request: LoadRequest, startedAt: string): Promise<LoadPlan> {
  if (request.kind === 'run') {
    const dir = request.settings.out ?? join(request.cwd, `shortline-load-${startedAt.replace(/[:.]/g, '-')}`);
    return { settings: request.settings, args: request.args, cwd: request.cwd, dir, checkpoint: undefined };
  }
  const checkpoint = await readCheckpoint(request.dir);
  if (checkpoint.complete) throw new LoadRunError(`${request.dir}: the run is complete, nothing is left to send`);
  const command = parseLoadArgs(checkpoint.args, checkpoint.cwd);
  if (command.kind !== 'run') throw new CheckpointError(join(request.dir, CHECKPOINT_FILE), 'its arguments are not those of a run');
  return { settings: command.settings, args: checkpoint.args, cwd: checkpoint.cwd, dir: request.dir, checkpoint };
}
