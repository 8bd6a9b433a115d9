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

/**
 * The cluster's configuration could not be read: the API server is unreachable (`unreachable`), or it
 * answered with a refusal (`refused`: 401, 403, ... with the `status`). Retried; the configuration in
 * force stays meanwhile.
 */
export class ConfigSourceError extends Error {
  readonly code = 'SHORTLINE_CONFIG_SOURCE';
  constructor(
    /** `namespace/name` of the ConfigMap. */
    readonly configMap: string,
    readonly reason: 'unreachable' | 'refused',
    message: string,
    readonly status?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'ConfigSourceError';
  }
}
