import type { FootprintMode } from './serve-setups.js';
import type { Idle, Overload } from './traffic-phases.js';

export interface BuildFootprint {
  readonly label: string;
  readonly entry: string;
  readonly nodeFlags: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly startMs: { readonly median: number; readonly min: number; readonly max: number; readonly all: readonly number[] };
  /** Median over the starts. */
  readonly startCpuMs: number;
  /** Median over the starts. */
  readonly rssAfterRequestsBytes: number;
  /** Of the requests after each start, those not answered 200 (expected: none). */
  readonly failedRequests: number;
  readonly idle: Idle;
  readonly overload: Overload;
}

export interface ModeReport {
  readonly mode: FootprintMode;
  readonly footprints: readonly BuildFootprint[];
}

export interface FootprintSettings {
  readonly starts: number;
  readonly requests: number;
  readonly idleMs: number;
  readonly overloadMs: number;
}

/**
 * Knative's queue-proxy (v1.12.4, built from source) on this machine, as issue 14 measured it: there
 * is no Go queue-proxy here to run again, so these are quoted, not measured by this benchmark.
 */
export const KNATIVE_QUEUE_PROXY = { startMs: 23, rssAfterRequestsMb: 22, idleCpuMsPer10s: 10, overloadPeakRssMb: 27 } as const;

/** The issue's "done when" for a sidecar. */
export const SIDECAR_TARGETS = { startMs: 250, rssAfterRequestsMb: 70, idleCpuMsPer10s: 50, overloadPeakRssMb: 110 } as const;

const mb = (bytes: number): number => bytes / 2 ** 20;

function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function footprintRow(footprint: BuildFootprint, idleScale: number): string {
  const { startMs, overload } = footprint;
  return row([
    footprint.failedRequests === 0 ? footprint.label : `${footprint.label} (${footprint.failedRequests} requests not answered 200)`,
    `${startMs.median.toFixed(0)} (${startMs.min.toFixed(0)}–${startMs.max.toFixed(0)})`,
    footprint.startCpuMs.toFixed(0),
    mb(footprint.rssAfterRequestsBytes).toFixed(1),
    (footprint.idle.cpuMs * idleScale).toFixed(1),
    (footprint.idle.wakeups * idleScale).toFixed(0),
    mb(overload.peakRssBytes).toFixed(1),
    `${overload.ok} × 200, ${overload.refused} × 503${overload.other > 0 ? `, ${overload.other} other` : ''}`,
  ]);
}

function targetCheck(footprint: BuildFootprint, idleScale: number): string {
  const checks: [string, number, number, string][] = [
    ['start', footprint.startMs.median, SIDECAR_TARGETS.startMs, 'ms'],
    ['RSS after traffic', mb(footprint.rssAfterRequestsBytes), SIDECAR_TARGETS.rssAfterRequestsMb, 'MB'],
    ['idle CPU', footprint.idle.cpuMs * idleScale, SIDECAR_TARGETS.idleCpuMsPer10s, 'ms/10 s'],
    ['peak RSS under 3×', mb(footprint.overload.peakRssBytes), SIDECAR_TARGETS.overloadPeakRssMb, 'MB'],
  ];
  return checks
    .map(([what, value, limit, unit]) => `${what} ${value.toFixed(value < 100 ? 1 : 0)} ${unit} (≤ ${limit}: ${value <= limit ? 'met' : 'NOT met'})`)
    .join('; ');
}

/** One table per mode, a row per build; the sidecar's with Knative's queue-proxy and the targets. */
export function formatReport(reports: readonly ModeReport[], settings: FootprintSettings): string {
  const idleScale = 10_000 / settings.idleMs;
  const lines: string[] = [];
  for (const report of reports) {
    lines.push(
      `${report.mode}: start = exec → first answered request, ms, median of ${settings.starts} (min–max); RSS after ${settings.requests} requests, median of as many;`,
      `idle over ${settings.idleMs / 1000} s, shown per 10 s; 3× open-loop overload for ${settings.overloadMs / 1000} s (4 slots, 50 ms, queue 40)`,
      '',
      row(['build', 'start ms', 'CPU to first answer ms', 'RSS after traffic MB', 'idle CPU ms/10 s', 'wakeups/10 s', 'peak RSS 3× MB', '3× answers']),
      row(['---', '--:', '--:', '--:', '--:', '--:', '--:', '---']),
      ...report.footprints.map((footprint) => footprintRow(footprint, idleScale)),
    );
    if (report.mode === 'sidecar') {
      const knative = KNATIVE_QUEUE_PROXY;
      lines.push(
        row([
          'Knative queue-proxy (issue 14, quoted)',
          `~${knative.startMs}`,
          'n/a',
          `~${knative.rssAfterRequestsMb}`,
          `~${knative.idleCpuMsPer10s}`,
          'n/a',
          `~${knative.overloadPeakRssMb}`,
          '816 × 200, the rest 503',
        ]),
        '',
        ...report.footprints.map((footprint) => `${footprint.label} against the sidecar targets: ${targetCheck(footprint, idleScale)}`),
      );
    }
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}
