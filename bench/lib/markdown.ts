/** A table in GitHub markdown: the first column left-aligned, the others right-aligned (figures). */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const align = header.map((_, index) => (index === 0 ? '---' : '---:'));
  return [header, align, ...rows].map((row) => `| ${row.join(' | ')} |`).join('\n');
}

/** Milliseconds as a report shows them: whole from 100 up (with thousands separators), else one decimal; — when unknown. */
export const formatMs = (value: number): string => (!Number.isFinite(value) ? '—' : value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(1));

/** A ratio: whole from 100 up, else two decimals; — when unknown. */
export const formatRatio = (value: number): string => (!Number.isFinite(value) ? '—' : value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(2));

/** A fraction as a signed percentage: +12.5%. */
export const signedPercent = (fraction: number): string => `${fraction >= 0 ? '+' : ''}${(100 * fraction).toFixed(1)}%`;
