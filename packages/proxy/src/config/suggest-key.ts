/**
 * The known key an unknown one was probably meant to be, if any: a typo within two edits, or a
 * shortened or lengthened form (`path` for `pathPrefix`).
 */
export function suggestKey(unknown: string, known: readonly string[]): string | undefined {
  const wanted = unknown.toLowerCase();
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of known) {
    const distance = editDistance(wanted, candidate.toLowerCase(), bestDistance);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  if (best !== undefined || wanted.length < 3) return best;
  return known.find((candidate) => {
    const lower = candidate.toLowerCase();
    return lower.startsWith(wanted) || wanted.startsWith(lower);
  });
}

/** Levenshtein distance, giving up (returning `limit`) once it cannot be below `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) >= limit) return limit;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMinimum = i;
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      const value = Math.min(substitution, (previous[j] as number) + 1, (current[j - 1] as number) + 1);
      current.push(value);
      if (value < rowMinimum) rowMinimum = value;
    }
    if (rowMinimum >= limit) return limit;
    previous = current;
  }
  return Math.min(previous[b.length] as number, limit);
}
