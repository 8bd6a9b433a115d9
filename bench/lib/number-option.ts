export interface NumberRule {
  readonly integer: boolean;
  readonly min: number;
  /** The value must be above `min`, not merely at least it. */
  readonly above?: boolean;
}

/**
 * The number given to option `--name` (undefined when it was not given), checked against `rule`;
 * `fail` makes the benchmark's own usage error, whose message names the option and the value.
 */
export function numberOption(name: string, raw: string | undefined, rule: NumberRule, fail: (message: string) => Error): number | undefined {
  if (raw === undefined) return undefined;
  const value = raw.trim() === '' ? NaN : Number(raw);
  const inRange = rule.above === true ? value > rule.min : value >= rule.min;
  if (!(Number.isFinite(value) && inRange && (!rule.integer || Number.isSafeInteger(value)))) {
    throw fail(`--${name} must be ${rule.integer ? 'an integer' : 'a number'} ${rule.above === true ? '>' : '>='} ${rule.min}, got "${raw}"`);
  }
  return value;
}
