/**
 * Keys an earlier version read under another name, by full key path: a file still using one is told
 * the new name rather than offered a near spelling.
 */
export const RENAMED_KEYS: Readonly<Record<string, string>> = {
  'scheduler.alpha': 'scheduler.agingRate',
  'predictor.alpha': 'predictor.ewmaWeight',
};
