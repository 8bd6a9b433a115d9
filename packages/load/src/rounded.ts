/** Six significant digits, like the simulator's report (integers stay exact); not a number is null in JSON. */
export function rounded(value: number): number | null {
  if (!Number.isFinite(value)) return null;
  return Number.isInteger(value) ? value : Number(value.toPrecision(6));
}

/** Every field of a record of figures, rounded. */
export function roundedRecord(record: object): Record<string, number | null> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, rounded(value as number)]));
}
