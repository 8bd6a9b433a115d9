import type { PredictionEstimate } from '@shortline/core';
import { isHopByHop } from '../hop-by-hop.js';
import { CONFIG_DEFAULTS } from './config-defaults.js';
import { ConfigSection } from './config-section.js';
import { headerNameProblem } from './header-name.js';
import type { PredictorConfig, PredictorFeature } from './shortline-config.js';

const PREDICTOR_KEYS = ['priorMs', 'ewmaWeight', 'estimate', 'requestFeatures', 'maxClasses', 'features'] as const;
const FEATURE_KEYS = ['header', 'query'] as const;
const ESTIMATES: readonly PredictionEstimate[] = ['ewma', 'p50', 'p90'];
/** The core's own bound: more classes per function than this is a typo, and no longer small. */
const MAX_CLASSES = 100_000;
/** Each feature is read on every request; a longer list is a paste error. */
const MAX_FEATURES = 8;
/** Characters that end or split a query parameter name, or cannot be in one. */
const NOT_IN_PARAMETER = /[&=#?\s\u0000-\u001f\u007f]/;
const MAX_PARAMETER_LENGTH = 64;

function checkFeatureHeader(name: string): string | undefined {
  const problem = headerNameProblem(name);
  if (problem !== undefined) return problem;
  if (isHopByHop(name.toLowerCase())) return `cannot be ${name.toLowerCase()}: a hop-by-hop header never reaches the scheduler`;
  return undefined;
}

function checkFeatureQuery(name: string): string | undefined {
  if (name === '' || name.length > MAX_PARAMETER_LENGTH) return `must be a query parameter name of 1 to ${MAX_PARAMETER_LENGTH} characters`;
  if (NOT_IN_PARAMETER.test(name)) return `must be a query parameter name as sent, without & = # ? or spaces, got ${JSON.stringify(name)}`;
  return undefined;
}

function readFeatures(section: ConfigSection): PredictorFeature[] {
  const items = section.list('features');
  if (items.length > MAX_FEATURES) section.problem('features', `lists ${items.length} features; at most ${MAX_FEATURES}`);
  const features: PredictorFeature[] = [];
  for (const item of items.slice(0, MAX_FEATURES)) {
    const entry = ConfigSection.read(item.value, item.path, FEATURE_KEYS, section.problems);
    const header = entry.optionalString('header', checkFeatureHeader)?.toLowerCase();
    const query = entry.optionalString('query', checkFeatureQuery);
    const given = Number(entry.has('header')) + Number(entry.has('query'));
    if (given !== 1) {
      section.problems.add(item.path, 'must give exactly one of header: NAME or query: NAME');
      continue;
    }
    const feature: PredictorFeature | undefined =
      header !== undefined ? { source: 'header', name: header } : query !== undefined ? { source: 'query', name: query } : undefined;
    if (feature === undefined) continue;
    if (features.some((other) => other.source === feature.source && other.name === feature.name)) {
      section.problems.add(item.path, `repeats ${feature.source} ${feature.name}`);
    } else {
      features.push(feature);
    }
  }
  return features;
}

/** The `predictor:` section: how durations are learnt, per function and per request. */
export function readPredictor(top: ConfigSection): PredictorConfig {
  const section = top.section('predictor', PREDICTOR_KEYS);
  const defaults = CONFIG_DEFAULTS.predictor;
  return {
    priorMs: section.durationMs('priorMs', defaults.priorMs),
    ewmaWeight: section.number('ewmaWeight', defaults.ewmaWeight, { min: 0, minExclusive: true, max: 1 }),
    estimate: section.choice('estimate', ESTIMATES, defaults.estimate),
    requestFeatures: section.boolean('requestFeatures', defaults.requestFeatures),
    maxClasses: section.integer('maxClasses', defaults.maxClasses, { min: 1, max: MAX_CLASSES }),
    features: readFeatures(section),
  };
}
