/**
 * Keys an earlier version read under another name, by full key path: a file still using one is told
 * the new name rather than offered a near spelling.
 */
export const RENAMED_KEYS: Readonly<Record<string, string>> = {
  'scheduler.alpha': 'scheduler.agingRate',
  'predictor.alpha': 'predictor.ewmaWeight',
};

/** Keys an earlier version read that are gone, by full key path, with what replaces them. */
export const REMOVED_KEYS: Readonly<Record<string, string>> = {
  'scheduler.maxSlowdown': 'the wait cap is now relative to what FIFO would have made a request wait: see scheduler.fifoFactor',
};
