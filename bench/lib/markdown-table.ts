/** Milliseconds as the reports print them: whole above 100, one decimal below; a dash when unknown. */
export const formatMs = (value: number): string =>
  !Number.isFinite(value) ? '—' : value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(1);

/** A ratio or other dimensionless figure: two decimals below 100. */
export const formatRatio = (value: number): string =>
  !Number.isFinite(value) ? '—' : value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(2);

/** A GitHub markdown table: the first column left-aligned, the figures right-aligned. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const align = header.map((_, index) => (index === 0 ? '---' : '---:'));
  return [header, align, ...rows].map((row) => `| ${row.join(' | ')} |`).join('\n');
}
