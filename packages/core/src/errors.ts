/**
 * Errors the core throws are programmer or configuration errors: a call the caller should never make,
 * or a parameter outside its domain. Expected outcomes (queue full, expired) are returned as values.
 * Each has a stable `code` and carries the offending value.
 */
export class PolicyParameterError extends RangeError {
  readonly code = 'SHORTLINE_POLICY_PARAMETER';
  constructor(
    readonly policy: string,
    readonly parameter: string,
    readonly value: unknown,
    readonly expected: string,
  ) {
    super(`policy ${policy}: parameter ${parameter} must be ${expected}, got ${String(value)}`);
    this.name = 'PolicyParameterError';
  }
}

export class UnknownPolicyError extends RangeError {
  readonly code = 'SHORTLINE_UNKNOWN_POLICY';
  constructor(readonly policy: string, readonly known: readonly string[]) {
    super(`unknown scheduling policy "${policy}"; known policies: ${known.join(', ')}`);
    this.name = 'UnknownPolicyError';
  }
}

export class SchedulerUsageError extends Error {
  readonly code = 'SHORTLINE_SCHEDULER_USAGE';
  constructor(message: string) {
    super(message);
    this.name = 'SchedulerUsageError';
  }
}

export class InvalidOptionError extends RangeError {
  readonly code = 'SHORTLINE_INVALID_OPTION';
  constructor(
    readonly option: string,
    readonly value: unknown,
    readonly expected: string,
  ) {
    super(`${option} must be ${expected}, got ${String(value)}`);
    this.name = 'InvalidOptionError';
  }
}
