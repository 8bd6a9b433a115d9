import { pino, type DestinationStream, type Logger } from 'pino';
import type { LoggingConfig } from './config/index.js';

/**
 * Structured JSON logs, one line per event. The request path logs only refusals and failures (one
 * line each, with the request id); a successful request logs nothing at the default level.
 */
export function createLogger(level: LoggingConfig['level'], destination?: DestinationStream): Logger {
  const options = { name: 'shortline', level };
  return destination === undefined ? pino(options) : pino(options, destination);
}
