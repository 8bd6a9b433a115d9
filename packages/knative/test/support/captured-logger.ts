import { createLogger, type Shortline } from '@shortline/proxy';
import { LogLines, type LogLine } from './log-lines.js';

/** A logger (at info) whose lines a test can await, instead of a silent one. */
export function capturedLogger(): { logger: Shortline['logger']; logs: LogLines } {
  const logs = new LogLines();
  const logger = createLogger('info', { write: (text: string) => logs.add(JSON.parse(text) as LogLine) });
  return { logger, logs };
}
