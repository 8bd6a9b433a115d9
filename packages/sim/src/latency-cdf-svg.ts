import { countAtMost } from './count-at-most.js';

/** One curve of the chart: a policy's run, or any named set of latencies. */
export interface LatencyCurve {
  readonly name: string;
  /** Ascending. */
  readonly sortedLatencyMs: Float64Array;
}

export interface LatencyCdfSvgOptions {
  readonly title?: string | undefined;
  readonly width?: number | undefined;
  readonly height?: number | undefined;
}

// Colour-blind-safe palette (Okabe–Ito), one per curve in order.
const COLOURS = ['#000000', '#E69F00', '#56B4E9', '#009E73', '#D55E00', '#0072B2', '#CC79A7', '#F0E442'];
const POINTS_PER_CURVE = 400;
const MARGIN = { left: 64, right: 190, top: 40, bottom: 52 };

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Fraction of `sorted` (ascending) at or below `value`. */
function fractionAtOrBelow(sorted: Float64Array, value: number): number {
  return countAtMost(sorted, value) / sorted.length;
}

const tickLabel = (ms: number): string => (ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`);

/**
 * A latency CDF per curve (a policy, a function) on a log-scale latency axis, as a self-contained SVG document: the share of
 * invocations (y) that finished within a latency (x). Curves further left and up are better.
 */
export function renderLatencyCdfSvg(results: readonly LatencyCurve[], options: LatencyCdfSvgOptions = {}): string {
  const width = options.width ?? 860;
  const height = options.height ?? 500;
  const plotWidth = width - MARGIN.left - MARGIN.right;
  const plotHeight = height - MARGIN.top - MARGIN.bottom;
  const nonEmpty = results.filter((r) => r.sortedLatencyMs.length > 0);
  const smallest = Math.min(...nonEmpty.map((r) => Math.max(r.sortedLatencyMs[0] as number, 1e-3)));
  const largest = Math.max(...nonEmpty.map((r) => r.sortedLatencyMs[r.sortedLatencyMs.length - 1] as number));
  const minDecade = Math.floor(Math.log10(Number.isFinite(smallest) ? smallest : 1));
  const maxDecade = Math.max(minDecade + 1, Math.ceil(Math.log10(Number.isFinite(largest) ? largest : 10)));
  const x = (ms: number): number => MARGIN.left + ((Math.log10(ms) - minDecade) / (maxDecade - minDecade)) * plotWidth;
  const y = (fraction: number): number => MARGIN.top + (1 - fraction) * plotHeight;
  const f = (value: number): string => value.toFixed(1);

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
  ];
  if (options.title !== undefined) {
    parts.push(`<text x="${f(MARGIN.left + plotWidth / 2)}" y="22" text-anchor="middle" font-size="14">${escapeXml(options.title)}</text>`);
  }
  for (let decade = minDecade; decade <= maxDecade; decade++) {
    const at = f(x(10 ** decade));
    parts.push(`<line x1="${at}" y1="${MARGIN.top}" x2="${at}" y2="${MARGIN.top + plotHeight}" stroke="#dddddd"/>`);
    const label = tickLabel(Number((10 ** decade).toPrecision(1)));
    parts.push(`<text x="${at}" y="${MARGIN.top + plotHeight + 18}" text-anchor="middle">${label}</text>`);
  }
  for (let tick = 0; tick <= 10; tick += 2) {
    const at = f(y(tick / 10));
    parts.push(`<line x1="${MARGIN.left}" y1="${at}" x2="${MARGIN.left + plotWidth}" y2="${at}" stroke="#dddddd"/>`);
    parts.push(`<text x="${MARGIN.left - 8}" y="${at}" text-anchor="end" dominant-baseline="middle">${tick * 10}%</text>`);
  }
  parts.push(`<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="#333333"/>`);
  parts.push(`<text x="${f(MARGIN.left + plotWidth / 2)}" y="${height - 12}" text-anchor="middle">latency (log scale)</text>`);
  parts.push(
    `<text x="16" y="${f(MARGIN.top + plotHeight / 2)}" text-anchor="middle" transform="rotate(-90 16 ${f(MARGIN.top + plotHeight / 2)})">invocations completed within</text>`,
  );
  results.forEach((result, index) => {
    const colour = COLOURS[index % COLOURS.length] as string;
    const points: string[] = [];
    for (let step = 0; step <= POINTS_PER_CURVE; step++) {
      const latency = 10 ** (minDecade + ((maxDecade - minDecade) * step) / POINTS_PER_CURVE);
      points.push(`${f(x(latency))},${f(y(fractionAtOrBelow(result.sortedLatencyMs, latency)))}`);
    }
    parts.push(`<polyline fill="none" stroke="${colour}" stroke-width="1.8" points="${points.join(' ')}"/>`);
    const legendY = MARGIN.top + 14 + index * 20;
    const legendX = MARGIN.left + plotWidth + 16;
    parts.push(`<line x1="${legendX}" y1="${legendY}" x2="${legendX + 24}" y2="${legendY}" stroke="${colour}" stroke-width="3"/>`);
    parts.push(`<text x="${legendX + 32}" y="${legendY}" dominant-baseline="middle">${escapeXml(result.name)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}
