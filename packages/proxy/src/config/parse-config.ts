import { parseDocument } from 'yaml';
import { ConfigError, type ConfigProblem } from './config-error.js';
import { errorMessage } from './error-message.js';
import type { ShortlineConfig } from './shortline-config.js';
import { validateConfig } from './validate-config.js';

/** Aliases can expand a small file into a huge tree ("billion laughs"); a configuration needs few. */
const MAX_ALIAS_COUNT = 100;

/**
 * Parses YAML (JSON is YAML too) into a validated configuration with every default filled in.
 * `source` names the text in messages (usually its file path). Throws a ConfigError listing every
 * problem, syntax errors included, each as `source: key.path: why`.
 */
export function parseConfig(text: string, source: string): ShortlineConfig {
  const document = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  if (document.errors.length > 0) {
    const problems: ConfigProblem[] = document.errors.map((error) => ({
      path: error.linePos === undefined ? '(yaml)' : `(yaml line ${error.linePos[0].line}, column ${error.linePos[0].col})`,
      message: (error.message.split('\n')[0] ?? error.code).replace(/ at line \d+, column \d+:?$/, ''),
    }));
    throw new ConfigError('SHORTLINE_CONFIG_INVALID', source, problems);
  }
  // A truncated read or an empty ConfigMap key would otherwise pass as "all defaults, no functions".
  if (document.contents === null) {
    throw new ConfigError('SHORTLINE_CONFIG_INVALID', source, [{ path: '(document)', message: 'is empty; write {} to take every default' }]);
  }
  let data: unknown;
  try {
    data = document.toJS({ mapAsMap: true, maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    throw new ConfigError('SHORTLINE_CONFIG_INVALID', source, [{ path: '(yaml)', message: errorMessage(error) }], { cause: error });
  }
  return validateConfig(data, source);
}
