import { readFile } from 'node:fs/promises';
import { ConfigError } from './config-error.js';
import { errorMessage } from './error-message.js';
import { parseConfig } from './parse-config.js';
import type { ShortlineConfig } from './shortline-config.js';

/** The ConfigError for a file that cannot be read: its message names the path and the system's reason. */
export function unreadableConfig(path: string, error: unknown): ConfigError {
  return new ConfigError('SHORTLINE_CONFIG_UNREADABLE', path, [{ path: '(file)', message: `cannot be read: ${errorMessage(error)}` }], {
    cause: error,
  });
}

/** Reads and validates a configuration file; any failure is a ConfigError naming the file. */
export async function loadConfigFile(path: string): Promise<ShortlineConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw unreadableConfig(path, error);
  }
  return parseConfig(text, path);
}
