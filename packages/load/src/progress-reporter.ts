import type { RunnerCounts } from './invocation-runner.js';
import { createProgressBar, type ProgressStream } from './progress-bar.js';

/** How far a run has come, for a bar or a line. */
export interface RunProgress {
  readonly counts: RunnerCounts;
  /** Done and total in some unit (schedule ms, or invocations), when the end is known. */
  readonly done: number;
  readonly total: number;
  /** e.g. `12.0 s of 60.0 s`. */
  readonly position: string;
}

export interface ProgressReporter {
  /** Stops the updates and clears the bar. */
  stop(): void;
}

const BAR_EVERY_MS = 200;
const LINE_EVERY_MS = 5000;

function describe(progress: RunProgress): string {
  const { counts } = progress;
  return `sent ${counts.sent}, done ${counts.settled}, in flight ${counts.inFlight}, failed ${counts.failed}, max send lag ${counts.maxLagMs.toFixed(1)} ms`;
}

/**
 * A bar redrawn in place on a terminal; elsewhere (logs, CI, pipes) a plain line every few seconds,
 * so that a long run in the background still says how it goes.
 */
export function startProgressReporter(stream: ProgressStream, label: string, read: () => RunProgress): ProgressReporter {
  const bar = createProgressBar(stream, label);
  const timer = setInterval(
    () => {
      const progress = read();
      if (bar !== undefined) bar.update(progress.done, progress.total, `${progress.position}, ${describe(progress)}`);
      else stream.write(`${label}: ${progress.position}, ${describe(progress)}\n`);
    },
    bar === undefined ? LINE_EVERY_MS : BAR_EVERY_MS,
  );
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      bar?.clear();
    },
  };
}
