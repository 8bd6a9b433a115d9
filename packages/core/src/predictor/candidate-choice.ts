/** The automatic features a candidate prediction may use; `query` also covers the operator's features. */
export type RequestFeatureName = 'route' | 'ceType' | 'query' | 'size';

/** The levels of refinement, each predicting by its mean and by its size fit. */
const LEVELS: readonly { readonly name: string; readonly features: readonly RequestFeatureName[] }[] = [
  { name: 'function', features: [] },
  { name: 'route', features: ['route'] },
  { name: 'event', features: ['route', 'ceType'] },
  { name: 'variant', features: ['route', 'ceType', 'query'] },
];

/**
 * The candidate predictions made for every call, from the plainest (the function's estimate) to the
 * most specific; each level refines the one before and comes without and with the size fit (the
 * power law or the linear fit, whichever predicts that class better). Level L's mean is candidate
 * 2L, its size fit 2L + 1.
 */
export const CANDIDATES: readonly { readonly name: string; readonly features: readonly RequestFeatureName[] }[] = LEVELS.flatMap(
  (level) => [level, { name: `${level.name}+size`, features: [...level.features, 'size'] }],
);
export const CANDIDATE_COUNT = CANDIDATES.length;

/** Calls the choice mostly reflects: long enough that a feature without signal does not win on noise. */
const CHOICE_MEMORY = 100;
/** Scored calls before a function's prediction may leave its plain estimate. */
const MIN_SCORED = 8;
/**
 * A more specific candidate replaces a plainer one only if its error is lower by this share plus
 * ABSOLUTE_MARGIN: a feature that splits the calls without telling them apart costs a little
 * accuracy (younger classes), and must not win on noise.
 */
const RELATIVE_MARGIN = 0.05;
const ABSOLUTE_MARGIN = 0.005;

/**
 * The self-judgement of a function's predictor: every candidate's mean absolute log error over
 * recent calls (each call is predicted by all of them before it runs and scored after), and which
 * candidate predicts now.
 */
export class CandidateChoice {
  readonly male = new Float64Array(CANDIDATE_COUNT);
  scored = 0;
  /** Index into CANDIDATES of the candidate that predicts. */
  chosen = 0;

  /**
   * Scores every candidate's prediction (log ms, the first CANDIDATE_COUNT of `predictedLogMs`)
   * against the observed log duration, then chooses.
   */
  score(predictedLogMs: readonly number[], observedLogMs: number): void {
    this.scored++;
    const weight = this.scored < CHOICE_MEMORY ? 1 / this.scored : 1 / CHOICE_MEMORY;
    const male = this.male;
    for (let i = 0; i < CANDIDATE_COUNT; i++) {
      const error = Math.abs((predictedLogMs[i] as number) - observedLogMs);
      male[i] = (male[i] as number) + weight * (error - (male[i] as number));
    }
    if (this.scored < MIN_SCORED) return;
    let best = 0;
    for (let i = 1; i < CANDIDATE_COUNT; i++) {
      if ((male[i] as number) < (male[best] as number) * (1 - RELATIVE_MARGIN) - ABSOLUTE_MARGIN) best = i;
    }
    this.chosen = best;
  }
}
