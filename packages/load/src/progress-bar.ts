/** Where a progress bar draws: a terminal (process.stderr), or anything else, which gets none. */
export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean | undefined;
}

export interface ProgressBar {
  /** Redraws the bar at done/total with a short note after it. */
  update(done: number, total: number, note: string): void;
  /** Clears the line. */
  clear(): void;
}

const WIDTH = 30;

/** A one-line bar redrawn in place, or undefined when the stream is not a terminal (logs, CI, pipes). */
export function createProgressBar(stream: ProgressStream, label: string): ProgressBar | undefined {
  if (stream.isTTY !== true) return undefined;
  return {
    update(done, total, note) {
      const share = total === 0 ? 1 : Math.min(1, Math.max(0, done / total));
      const filled = Math.round(WIDTH * share);
      const percent = Math.floor(100 * share);
      stream.write(`\r\x1b[K${label} [${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${percent}% ${note}`);
    },
    clear() {
      stream.write('\r\x1b[K');
    },
  };
}
