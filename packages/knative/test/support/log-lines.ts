import { createLogger, type Shortline } from '@shortline/proxy';
import { Conditions } from './conditions.js';

export interface LogLine {
  readonly msg: string;
  readonly [key: string]: unknown;
}

/** JSON log lines as they are written, for a test to await the one that says what it waits for. */
export class LogLines {
  readonly lines: LogLine[] = [];
  readonly #conditions = new Conditions();

  add(line: LogLine): void {
    this.lines.push(line);
    this.#conditions.changed();
  }

  /** How many lines so far carry this message. */
  count(msg: string): number {
    return this.lines.filter((line) => line.msg === msg).length;
  }

  /** Resolves once `times` lines carry this message. */
  counted(msg: string, times: number): Promise<void> {
    return this.#conditions.when(() => this.count(msg) >= times);
  }

  /** The first line with this message (and matching, if given), once it is written. */
  async logged(msg: string, matching: (line: LogLine) => boolean = () => true): Promise<LogLine> {
    const find = (): LogLine | undefined => this.lines.find((line) => line.msg === msg && matching(line));
    await this.#conditions.when(() => find() !== undefined);
    return find() as LogLine;
  }

  /** No more lines will come (the process exited): a wait still open fails with `error`. */
  end(error: Error): void {
    this.#conditions.fail(error);
  }
}

/** A logger (at info) whose lines a test can await, instead of a silent one. */
export function capturedLogger(): { logger: Shortline['logger']; logs: LogLines } {
  const logs = new LogLines();
  const logger = createLogger('info', { write: (text: string) => logs.add(JSON.parse(text) as LogLine) });
  return { logger, logs };
}
