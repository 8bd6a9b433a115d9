import { Changes } from '../../../proxy/test/support/changes.js';

export interface LogLine {
  readonly msg: string;
  readonly [key: string]: unknown;
}

/** JSON log lines as they are written, for a test to await the one that says what it waits for. */
export class LogLines {
  readonly lines: LogLine[] = [];
  readonly #changes = new Changes();
  /** Rejects once no more lines will come. */
  readonly #ended: Promise<never>;
  #end: (error: Error) => void = () => undefined;

  constructor() {
    this.#ended = new Promise<never>((_resolve, reject) => {
      this.#end = reject;
    });
    // Only the waits that cannot end care.
    this.#ended.catch(() => undefined);
  }

  add(line: LogLine): void {
    this.lines.push(line);
    this.#changes.notify();
  }

  /** How many lines so far carry this message. */
  count(msg: string): number {
    return this.lines.filter((line) => line.msg === msg).length;
  }

  /** Resolves once `times` lines carry this message. */
  counted(msg: string, times: number): Promise<void> {
    return this.#met(() => this.count(msg) >= times);
  }

  /** The first line with this message (and matching, if given), once it is written. */
  async logged(msg: string, matching: (line: LogLine) => boolean = () => true): Promise<LogLine> {
    const find = (): LogLine | undefined => this.lines.find((line) => line.msg === msg && matching(line));
    await this.#met(() => find() !== undefined);
    return find() as LogLine;
  }

  /** No more lines will come (the process exited): a wait still open fails with `error`. */
  end(error: Error): void {
    this.#end(error);
  }

  /** A condition met by the lines so far comes first, even once they have ended. */
  #met(condition: () => boolean): Promise<void> {
    return Promise.race([this.#changes.when(condition), this.#ended]);
  }
}
