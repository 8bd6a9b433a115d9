/**
 * The `dur` of metric `name` in a Server-Timing header (`queue;dur=1.5, upstream;dur=20.3`), in ms;
 * NaN when the header or the metric is missing or has no duration. The last entry of a name wins,
 * because a proxy appends its own after whatever the backend sent.
 */
export function serverTimingMs(header: string | undefined, name: string): number {
  if (header === undefined) return NaN;
  let found = NaN;
  for (const entry of header.split(',')) {
    const [metric = '', ...parameters] = entry.split(';').map((part) => part.trim());
    if (metric !== name) continue;
    found = NaN;
    for (const parameter of parameters) {
      const [key, value] = parameter.split('=', 2);
      if (key?.trim() !== 'dur' || value === undefined) continue;
      const text = value.trim().replace(/^"(.*)"$/, '$1');
      found = text === '' ? NaN : Number(text);
    }
  }
  return found;
}
