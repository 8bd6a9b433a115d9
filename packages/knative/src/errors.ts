/**
 * Errors this package throws are configuration errors found at start-up or on reload: each names the
 * input that is wrong and why, with a stable `code`. Expected run-time outcomes (a probe failed, a pod
 * is not ready) are returned as values.
 */
export class KnativeEnvError extends Error {
  readonly code = 'SHORTLINE_KNATIVE_ENV';
  constructor(
    readonly variable: string,
    readonly value: string | undefined,
    readonly reason: string,
  ) {
    super(`${variable}=${value === undefined ? '(unset)' : JSON.stringify(value)}: ${reason}`);
    this.name = 'KnativeEnvError';
  }
}

export class ProbeSpecError extends Error {
  readonly code = 'SHORTLINE_PROBE_SPEC';
  constructor(
    /** Where in the probe JSON, e.g. `[1].httpGet.port`. */
    readonly path: string,
    readonly reason: string,
  ) {
    super(`readiness probe ${path === '' ? '' : `${path}: `}${reason}`);
    this.name = 'ProbeSpecError';
  }
}

export class ConfigMapError extends Error {
  readonly code = 'SHORTLINE_CONFIGMAP';
  constructor(
    readonly configMap: string,
    readonly reason: 'deleted' | 'missing-key',
    message: string,
  ) {
    super(message);
    this.name = 'ConfigMapError';
  }
}
