/**
 * A whole-number query parameter from 1 to `max` (`?n=10000`), `fallback` when absent; or why it is
 * unusable, naming it.
 */
export function countParameter(query: URLSearchParams, name: string, fallback: number, max: number): { value: number } | { problem: string } {
  const raw = query.get(name);
  if (raw === null) return { value: fallback };
  const value = /^\d{1,9}$/.test(raw) ? Number(raw) : NaN;
  if (!(value >= 1 && value <= max)) return { problem: `${name} must be a whole number from 1 to ${max}, got ${JSON.stringify(raw.slice(0, 40))}` };
  return { value };
}
