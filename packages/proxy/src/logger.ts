import { pino, stdSerializers, type DestinationStream, type Logger } from 'pino';
import type { LoggingConfig } from './config/index.js';

/**
 * A configuration refused (SHORTLINE_CONFIG_* codes: a file, a ConfigMap, the cluster source) is an
 * expected outcome whose message lists what is wrong, one key path per line; a stack trace would only
 * bury those lines, so it is left out. Every other error keeps its stack.
 */
function serializeError(error: Error): ReturnType<typeof stdSerializers.err> {
  const serialized = stdSerializers.err(error);
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string' || !code.startsWith('SHORTLINE_CONFIG')) return serialized;
  const { stack: _stack, ...withoutStack } = serialized;
  return withoutStack as ReturnType<typeof stdSerializers.err>;
}

/**
 * Structured JSON logs, one line per event. The request path logs only refusals and failures (one
 * line each, with the request id); a successful request logs nothing at the default level.
 */
export function createLogger(level: LoggingConfig['level'], destination?: DestinationStream): Logger {
  const options = { name: 'shortline', level, serializers: { err: serializeError } };
  return destination === undefined ? pino(options) : pino(options, destination);
}
