import { normalQuantile } from './normal-quantile.js';
import type { Random } from './random.js';
import { createRequestWorkload } from './request-workload.js';
import { eventRoutes, serviceRoutes, uploadRoute } from './service-routes.js';
import type { Workload } from './workload.js';

const DISTRIBUTION_KINDS = ['exponential', 'constant', 'lognormal', 'bimodal', 'pareto'] as const;
type DistributionKind = (typeof DISTRIBUTION_KINDS)[number];
/** Kinds whose invocations carry request features (one function, the way the sidecar sees a revision). */
const REQUEST_KINDS = ['service', 'upload', 'events'] as const;
type RequestKind = (typeof REQUEST_KINDS)[number];
export const SYNTHETIC_KINDS = [...DISTRIBUTION_KINDS, ...REQUEST_KINDS] as const;
export type SyntheticKind = DistributionKind | RequestKind;

interface ParameterRule {
  readonly fallback: number;
  readonly expected: string;
  valid(value: number): boolean;
}

const positive = (fallback: number): ParameterRule => ({ fallback, expected: 'a number > 0', valid: (v) => v > 0 && Number.isFinite(v) });
const nonNegative = (fallback: number): ParameterRule => ({ fallback, expected: 'a number >= 0', valid: (v) => v >= 0 && Number.isFinite(v) });

/**
 * Every kind splits its distribution into `functions` bands of equal probability, one function per
 * band (band 0 the shortest): 1 gives the predictor nothing to tell invocations apart, many make
 * predictions nearly exact.
 */
const FUNCTIONS: ParameterRule = { fallback: 10, expected: 'an integer from 1 to 10000', valid: (v) => Number.isInteger(v) && v >= 1 && v <= 10_000 };

/** Each kind's parameters (durations in ms) and their defaults. */
const PARAMETERS: Record<SyntheticKind, Readonly<Record<string, ParameterRule>>> = {
  exponential: { mean: positive(100), functions: FUNCTIONS },
  constant: { mean: positive(100), functions: FUNCTIONS },
  lognormal: { median: positive(100), sigma: nonNegative(1.5), functions: FUNCTIONS },
  bimodal: {
    short: positive(20),
    long: positive(2000),
    'long-share': { fallback: 0.05, expected: 'a number in (0, 1)', valid: (v) => v > 0 && v < 1 },
    sigma: nonNegative(0.25),
    functions: FUNCTIONS,
  },
  pareto: {
    min: positive(10),
    alpha: { fallback: 1.5, expected: 'a number > 1 (the mean must be finite)', valid: (v) => v > 1 && Number.isFinite(v) },
    functions: FUNCTIONS,
  },
  service: { sigma: nonNegative(0.25) },
  upload: {
    sigma: nonNegative(0.25),
    'fixed-ms': nonNegative(3),
    'bytes-per-ms': positive(10_000),
    'min-bytes': positive(1_000),
    'max-bytes': positive(8_000_000),
  },
  events: {
    types: { fallback: 8, expected: 'an integer from 1 to 1000', valid: (v) => Number.isInteger(v) && v >= 1 && v <= 1000 },
    short: positive(5),
    long: positive(2000),
    sigma: nonNegative(0.25),
  },
};

export interface SyntheticSpec {
  readonly kind: SyntheticKind;
  readonly parameters?: Readonly<Record<string, number>> | undefined;
}

export class SyntheticSpecError extends RangeError {
  readonly code = 'SHORTLINE_SYNTHETIC_SPEC';
  constructor(reason: string) {
    super(reason);
    this.name = 'SyntheticSpecError';
  }
}

export interface SyntheticWorkload extends Workload {
  readonly kind: SyntheticKind;
  /** Every parameter, defaults filled in. */
  readonly parameters: Readonly<Record<string, number>>;
}

function isSyntheticKind(kind: string): kind is SyntheticKind {
  return (SYNTHETIC_KINDS as readonly string[]).includes(kind);
}

function isRequestKind(kind: SyntheticKind): kind is RequestKind {
  return (REQUEST_KINDS as readonly string[]).includes(kind);
}

/** Parses `KIND[:key=value,...]`, e.g. `bimodal:short=10,long=5000,long-share=0.02`. */
export function parseSyntheticSpec(text: string): SyntheticSpec {
  const [kind = '', list] = text.split(/:(.*)/s, 2);
  if (!isSyntheticKind(kind)) throw new SyntheticSpecError(`unknown kind "${kind}"; known kinds: ${SYNTHETIC_KINDS.join(', ')}`);
  const parameters: Record<string, number> = {};
  for (const pair of list === undefined || list === '' ? [] : list.split(',')) {
    const [key = '', value] = pair.split('=', 2);
    if (value === undefined || value.trim() === '') throw new SyntheticSpecError(`${kind}: expected key=value, found "${pair}"`);
    const number = Number(value);
    if (Number.isNaN(number)) throw new SyntheticSpecError(`${kind}: ${key.trim()} must be a number, found "${value}"`);
    parameters[key.trim()] = number;
  }
  return { kind, parameters };
}

function resolveParameters(spec: SyntheticSpec): Record<string, number> {
  const rules = PARAMETERS[spec.kind];
  const given = spec.parameters ?? {};
  for (const key of Object.keys(given)) {
    if (rules[key] === undefined) {
      throw new SyntheticSpecError(`${spec.kind}: unknown parameter "${key}"; known: ${Object.keys(rules).join(', ')}`);
    }
  }
  const resolved: Record<string, number> = {};
  for (const [key, rule] of Object.entries(rules)) {
    const value = given[key] ?? rule.fallback;
    if (!rule.valid(value)) throw new SyntheticSpecError(`${spec.kind}: ${key} must be ${rule.expected}, got ${value}`);
    resolved[key] = value;
  }
  return resolved;
}

/** The quantile function (duration in ms at cumulative probability u) and the mean of a kind. */
function distribution(kind: DistributionKind, p: Record<string, number>): { quantile: (u: number) => number; meanMs: number } {
  const at = (key: string): number => p[key] as number;
  switch (kind) {
    case 'exponential':
      return { quantile: (u) => -at('mean') * Math.log(1 - u), meanMs: at('mean') };
    case 'constant':
      return { quantile: () => at('mean'), meanMs: at('mean') };
    case 'lognormal': {
      const [median, sigma] = [at('median'), at('sigma')];
      return { quantile: (u) => median * Math.exp(sigma * normalQuantile(u)), meanMs: median * Math.exp((sigma * sigma) / 2) };
    }
    case 'bimodal': {
      const [short, long, longShare, sigma] = [at('short'), at('long'), at('long-share'), at('sigma')];
      const shortShare = 1 - longShare;
      return {
        quantile: (u) =>
          u < shortShare
            ? short * Math.exp(sigma * normalQuantile(u / shortShare))
            : long * Math.exp(sigma * normalQuantile((u - shortShare) / longShare)),
        meanMs: (shortShare * short + longShare * long) * Math.exp((sigma * sigma) / 2),
      };
    }
    case 'pareto': {
      const [min, alpha] = [at('min'), at('alpha')];
      return { quantile: (u) => min * Math.pow(1 - u, -1 / alpha), meanMs: (alpha * min) / (alpha - 1) };
    }
  }
}

function requestWorkload(kind: RequestKind, p: Record<string, number>): Workload {
  const at = (key: string): number => p[key] as number;
  switch (kind) {
    case 'service':
      return createRequestWorkload(kind, serviceRoutes(), at('sigma'));
    case 'upload': {
      const [minBytes, maxBytes] = [at('min-bytes'), at('max-bytes')];
      if (!(maxBytes > minBytes)) throw new SyntheticSpecError(`upload: max-bytes must be greater than min-bytes, got ${maxBytes} <= ${minBytes}`);
      const route = uploadRoute({ share: 1, path: '/upload', fixedMs: at('fixed-ms'), bytesPerMs: at('bytes-per-ms'), minBytes, maxBytes });
      return createRequestWorkload(kind, [route], at('sigma'));
    }
    case 'events':
      return createRequestWorkload(kind, eventRoutes(at('types'), at('short'), at('long')), at('sigma'));
  }
}

/** A synthetic workload for tests and exploration; invalid parameters throw SyntheticSpecError. */
export function createSyntheticWorkload(spec: SyntheticSpec): SyntheticWorkload {
  const parameters = resolveParameters(spec);
  if (isRequestKind(spec.kind)) return { kind: spec.kind, parameters, ...requestWorkload(spec.kind, parameters) };
  const { quantile, meanMs } = distribution(spec.kind, parameters);
  const bands = parameters['functions'] as number;
  return {
    kind: spec.kind,
    parameters,
    functions: Array.from({ length: bands }, (_, band) => ({ name: `${spec.kind}-${band}`, averageMs: undefined })),
    meanDurationMs: meanMs,
    drawFunction: (random: Random) => random.below(bands),
    drawDuration: (fn: number, random: Random) => quantile((fn + random.next()) / bands),
  };
}
