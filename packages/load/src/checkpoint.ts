import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { StreamCheckpoint } from './schedule-stream.js';

export const CHECKPOINT_FILE = 'checkpoint.json';
const VERSION = 1;

/** One stretch of a run: the first one, then one per --resume. */
export interface RunPart {
  readonly startedAt: string;
  readonly endedAt: string;
  /** The first invocation this part could send, and the first one it left for the next part. */
  readonly from: number;
  readonly next: number;
  readonly interrupted: boolean;
}

/**
 * What `--resume` needs to continue a run exactly: the command line it was started with (so that it
 * is parsed and checked the same way), where the schedule stood, and the run's clock.
 */
export interface Checkpoint {
  readonly version: typeof VERSION;
  readonly args: readonly string[];
  readonly cwd: string;
  /** Nothing is left to send. */
  readonly complete: boolean;
  /** The first invocation not taken yet. */
  readonly next: number;
  /** The run's clock (ms on the schedule) when the part ended. */
  readonly clockMs: number;
  /** The schedule's state (null for a sweep, whose position is `next`). */
  readonly schedule: StreamCheckpoint | null;
  /** Bytes of the trace files when the run started: a trace changed since cannot be resumed. */
  readonly traceBytes: number | null;
  readonly parts: readonly RunPart[];
}

/** A checkpoint that is missing, unreadable, or not one this version wrote. */
export class CheckpointError extends Error {
  readonly code = 'SHORTLINE_LOAD_CHECKPOINT';
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'CheckpointError';
  }
}

/** Written to a temporary file and renamed, so that a checkpoint on disk is always whole. */
export async function writeCheckpoint(dir: string, checkpoint: Checkpoint): Promise<void> {
  const file = join(dir, CHECKPOINT_FILE);
  await writeFile(`${file}.tmp`, JSON.stringify(checkpoint, null, 2) + '\n');
  await rename(`${file}.tmp`, file);
}

export async function readCheckpoint(dir: string): Promise<Checkpoint> {
  const file = join(dir, CHECKPOINT_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new CheckpointError(file, `cannot read it (is ${dir} the --out of a shortline load run?): ${(error as Error).message}`);
  }
  let parsed: Partial<Checkpoint>;
  try {
    parsed = JSON.parse(text) as Partial<Checkpoint>;
  } catch (error) {
    throw new CheckpointError(file, `is not JSON: ${(error as Error).message}`);
  }
  if (parsed.version !== VERSION) throw new CheckpointError(file, `is version ${String(parsed.version)}; this shortline reads version ${VERSION}`);
  const shaped =
    Array.isArray(parsed.args) &&
    parsed.args.every((arg) => typeof arg === 'string') &&
    typeof parsed.cwd === 'string' &&
    typeof parsed.complete === 'boolean' &&
    Number.isSafeInteger(parsed.next) &&
    typeof parsed.clockMs === 'number' &&
    (parsed.schedule === null || typeof parsed.schedule === 'object') &&
    Array.isArray(parsed.parts);
  if (!shaped) throw new CheckpointError(file, 'lacks fields or has fields of the wrong type (edited by hand?)');
  return parsed as Checkpoint;
}
