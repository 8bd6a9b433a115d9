/** What a numeric command-line option accepts. */
export interface NumberRule {
  readonly integer: boolean;
  readonly min: number;
  /** Strictly above `min` rather than at least. */
  readonly above?: boolean;
}

/**
 * The value of `--name` as a number that keeps the rule; undefined when the option was not given.
 * Anything else throws `usageError(message)`, the message naming the option and what it got.
 */
export function numberOption(name: string, raw: string | undefined, rule: NumberRule, usageError: (message: string) => Error): number | undefined {
  if (raw === undefined) return undefined;
  const value = raw.trim() === '' ? NaN : Number(raw);
  const inRange = rule.above === true ? value > rule.min : value >= rule.min;
  if (!(Number.isFinite(value) && inRange && (!rule.integer || Number.isSafeInteger(value)))) {
    throw usageError(`--${name} must be ${rule.integer ? 'an integer' : 'a number'} ${rule.above === true ? '>' : '>='} ${rule.min}, got "${raw}"`);
  }
  return value;
}
