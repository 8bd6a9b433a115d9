/** One policy's p99 latency in each size bucket (NaN: no answered invocation there). */
export interface BucketSeries {
  readonly policy: string;
  readonly liveMs: readonly number[];
  readonly simulatedMs: readonly number[];
}

export interface BucketP99SvgOptions {
  readonly title: string;
  /** One label per bucket, in order. */
  readonly buckets: readonly string[];
  readonly series: readonly BucketSeries[];
}

// The colours of the simulator's CDF chart (Okabe–Ito), so a policy looks the same in both.
const COLOURS = ['#000000', '#E69F00', '#56B4E9', '#009E73', '#D55E00', '#0072B2', '#CC79A7', '#F0E442'];
const MARGIN = { left: 70, right: 200, top: 44, bottom: 56 };
const WIDTH = 860;
const HEIGHT = 460;

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const tickLabel = (ms: number): string => (ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`);

/**
 * p99 latency per function size bucket as grouped bars on a log scale: per bucket, one pair of bars
 * per policy, live solid and simulated pale beside it. Taller is worse.
 */
export function renderBucketP99Svg(options: BucketP99SvgOptions): string {
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const values = options.series.flatMap((s) => [...s.liveMs, ...s.simulatedMs]).filter((v) => Number.isFinite(v) && v > 0);
  const minDecade = Math.floor(Math.log10(values.length === 0 ? 1 : Math.min(...values)));
  const maxDecade = Math.max(minDecade + 1, Math.ceil(Math.log10(values.length === 0 ? 10 : Math.max(...values))));
  const y = (ms: number): number => MARGIN.top + (1 - (Math.log10(ms) - minDecade) / (maxDecade - minDecade)) * plotHeight;
  const f = (value: number): string => value.toFixed(1);
  const groupWidth = plotWidth / Math.max(1, options.buckets.length);
  const barWidth = (groupWidth * 0.8) / Math.max(1, 2 * options.series.length);

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${f(MARGIN.left + plotWidth / 2)}" y="24" text-anchor="middle" font-size="14">${escapeXml(options.title)}</text>`,
  ];
  for (let decade = minDecade; decade <= maxDecade; decade++) {
    const at = f(y(10 ** decade));
    parts.push(`<line x1="${MARGIN.left}" y1="${at}" x2="${MARGIN.left + plotWidth}" y2="${at}" stroke="#dddddd"/>`);
    parts.push(`<text x="${MARGIN.left - 8}" y="${at}" text-anchor="end" dominant-baseline="middle">${tickLabel(Number((10 ** decade).toPrecision(1)))}</text>`);
  }
  const bottom = MARGIN.top + plotHeight;
  options.buckets.forEach((label, bucket) => {
    const groupX = MARGIN.left + bucket * groupWidth + groupWidth * 0.1;
    parts.push(`<text x="${f(MARGIN.left + (bucket + 0.5) * groupWidth)}" y="${bottom + 18}" text-anchor="middle">${escapeXml(label)}</text>`);
    options.series.forEach((series, index) => {
      const colour = COLOURS[index % COLOURS.length] as string;
      [series.liveMs[bucket], series.simulatedMs[bucket]].forEach((ms, pale) => {
        if (ms === undefined || !(ms > 0)) return;
        const x = groupX + (2 * index + pale) * barWidth;
        const top = Math.min(bottom, y(ms));
        parts.push(
          `<rect x="${f(x)}" y="${f(top)}" width="${f(barWidth * 0.92)}" height="${f(bottom - top)}" fill="${colour}" fill-opacity="${pale === 0 ? 1 : 0.35}"><title>${escapeXml(`${series.policy} ${pale === 0 ? 'live' : 'simulated'}: ${ms.toFixed(1)} ms`)}</title></rect>`,
        );
      });
    });
  });
  parts.push(`<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="#333333"/>`);
  parts.push(`<text x="${f(MARGIN.left + plotWidth / 2)}" y="${HEIGHT - 14}" text-anchor="middle">function size (mean true duration, scaled)</text>`);
  parts.push(`<text x="18" y="${f(MARGIN.top + plotHeight / 2)}" text-anchor="middle" transform="rotate(-90 18 ${f(MARGIN.top + plotHeight / 2)})">p99 latency (log scale)</text>`);
  options.series.forEach((series, index) => {
    const colour = COLOURS[index % COLOURS.length] as string;
    const legendY = MARGIN.top + 14 + index * 20;
    const legendX = MARGIN.left + plotWidth + 16;
    parts.push(`<rect x="${legendX}" y="${legendY - 6}" width="12" height="12" fill="${colour}"/>`);
    parts.push(`<rect x="${legendX + 14}" y="${legendY - 6}" width="12" height="12" fill="${colour}" fill-opacity="0.35"/>`);
    parts.push(`<text x="${legendX + 34}" y="${legendY}" dominant-baseline="middle">${escapeXml(series.policy)}</text>`);
  });
  const noteY = MARGIN.top + 24 + options.series.length * 20;
  parts.push(`<text x="${MARGIN.left + plotWidth + 16}" y="${noteY}" dominant-baseline="middle">solid: live</text>`);
  parts.push(`<text x="${MARGIN.left + plotWidth + 16}" y="${noteY + 16}" dominant-baseline="middle">pale: simulated</text>`);
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}
