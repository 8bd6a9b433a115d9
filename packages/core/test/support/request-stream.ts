import { requestFeatures, type Predictor, type RequestFeatures, type RequestPrediction } from '@shortline/core';

/** A deterministic uniform source in [0, 1), so that no test depends on Math.random. */
export function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Log-normal noise of spread `sigma` around 1 (Box–Muller on two uniforms). */
export function noise(random: () => number, sigma: number): number {
  const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return Math.exp(sigma * z);
}

/** Predicts one call as the scheduler does, then teaches it the call's duration; returns the prediction made. */
export function teach(predictor: Predictor, functionName: string, features: RequestFeatures, durationMs: number): RequestPrediction {
  const prediction = predictor.predictRequest(functionName, features);
  predictor.observe(functionName, prediction.predictedMs, durationMs, prediction);
  return prediction;
}

/** `GET target` without a body. */
export function get(target: string): RequestFeatures {
  return requestFeatures('GET', target, 0);
}

/** The mean absolute log error of predictions against durations. */
export function male(pairs: readonly (readonly [number, number])[]): number {
  return pairs.reduce((sum, [predicted, observed]) => sum + Math.abs(Math.log(predicted / observed)), 0) / pairs.length;
}
