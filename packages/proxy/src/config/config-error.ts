/** One thing wrong with a configuration: where (a key path such as `functions[1].pool`) and why. */
export interface ConfigProblem {
  readonly path: string;
  readonly message: string;
}

/**
 * `SHORTLINE_CONFIG_INVALID`: the text was read but is not a valid configuration.
 * `SHORTLINE_CONFIG_UNREADABLE`: the file could not be read at all.
 */
export type ConfigErrorCode = 'SHORTLINE_CONFIG_INVALID' | 'SHORTLINE_CONFIG_UNREADABLE';

/**
 * A configuration that cannot be used. It carries every problem found, not just the first, so that one
 * round of editing fixes them all; the message lists them one per line as `source: key.path: why`.
 */
export class ConfigError extends Error {
  readonly code: ConfigErrorCode;
  readonly source: string;
  readonly problems: readonly ConfigProblem[];

  constructor(code: ConfigErrorCode, source: string, problems: readonly ConfigProblem[], options?: ErrorOptions) {
    const heading = code === 'SHORTLINE_CONFIG_UNREADABLE' ? 'cannot read configuration' : 'invalid configuration';
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    const lines = problems.map((problem) => `${source}: ${problem.path}: ${problem.message}`);
    super([`${heading} ${source} (${count}):`, ...lines].join('\n'), options);
    this.name = 'ConfigError';
    this.code = code;
    this.source = source;
    this.problems = problems;
  }
}
