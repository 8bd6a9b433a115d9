import { requestFeatures, type RequestFeatures } from '@shortline/core';
import type { Random } from './random.js';
import type { RequestRoute } from './request-workload.js';

/** Uniform on a log scale between `low` and `high`. */
function logUniform(random: Random, low: number, high: number): number {
  return low * Math.pow(high / low, random.next());
}

/** The mean of (x / unit)^power for x log-uniform between `low` and `high` (power 1: the plain mean). */
function logUniformMean(low: number, high: number, power: number, unit: number): number {
  return (Math.pow(high / unit, power) - Math.pow(low / unit, power)) / (power * Math.log(high / low));
}

/** A lower-case word for index k (`b`, `ba`, ...): names and search terms that look like names, not ids. */
function word(k: number): string {
  let text = '';
  let rest = k;
  do {
    text = String.fromCharCode(97 + (rest % 26)) + text;
    rest = Math.floor(rest / 26);
  } while (rest > 0);
  return text;
}

function fixed(share: number, baseMs: number, features: (random: Random) => RequestFeatures): RequestRoute {
  return { share, meanBaseMs: baseMs, draw: (random) => ({ features: features(random), baseMs }) };
}

export interface UploadParameters {
  readonly share: number;
  readonly path: string;
  readonly fixedMs: number;
  /** Bytes per millisecond once the fixed cost is paid. */
  readonly bytesPerMs: number;
  readonly minBytes: number;
  readonly maxBytes: number;
}

/** A POST whose time is a fixed cost plus one proportional to its body (gzip, an upload, a checksum). */
export function uploadRoute(p: UploadParameters): RequestRoute {
  return {
    share: p.share,
    meanBaseMs: p.fixedMs + logUniformMean(p.minBytes, p.maxBytes, 1, 1) / p.bytesPerMs,
    draw: (random) => {
      const bytes = Math.round(logUniform(random, p.minBytes, p.maxBytes));
      return { features: requestFeatures('POST', p.path, bytes), baseMs: p.fixedMs + bytes / p.bytesPerMs };
    },
  };
}

/** A POST whose time grows as a power of its body (an image resize: 40 ms at 100 KB, ^0.7). */
function thumbnailRoute(share: number): RequestRoute {
  const [unit, atUnitMs, power, low, high] = [100_000, 40, 0.7, 10_000, 2_000_000];
  return {
    share,
    meanBaseMs: atUnitMs * logUniformMean(low, high, power, unit),
    draw: (random) => {
      const bytes = Math.round(logUniform(random, low, high));
      return { features: requestFeatures('POST', '/thumbnail', bytes), baseMs: atUnitMs * Math.pow(bytes / unit, power) };
    },
  };
}

const REPORT_MS = { day: 150, week: 600, month: 2400 } as const;
const RANGES = ['day', 'week', 'month'] as const;
const FORMATS = ['json', 'csv'] as const;

/**
 * The service of the benchmark, all in one function: cheap lookups by id, a search whose
 * terms are all different, profiles by user name (1,000 names, no id pattern: only counting tells
 * them from routes), a report whose `range` decides its cost (and whose `format` does not), an
 * upload linear in its body and a thumbnail that grows as a power of it.
 */
export function serviceRoutes(): readonly RequestRoute[] {
  return [
    fixed(0.35, 5, (random) => requestFeatures('GET', `/items/${random.below(1_000_000)}`, 0)),
    fixed(0.2, 25, (random) => requestFeatures('GET', `/search?q=${word(random.below(100_000))}&page=${1 + random.below(20)}`, 0)),
    fixed(0.15, 12, (random) => requestFeatures('GET', `/users/${word(1000 + random.below(1000))}/profile`, 0)),
    {
      share: 0.1,
      meanBaseMs: (REPORT_MS.day + REPORT_MS.week + REPORT_MS.month) / 3,
      draw: (random) => {
        const range = RANGES[random.below(RANGES.length)] as (typeof RANGES)[number];
        const format = FORMATS[random.below(FORMATS.length)] as string;
        return { features: requestFeatures('GET', `/report?range=${range}&format=${format}`, 0), baseMs: REPORT_MS[range] };
      },
    },
    uploadRoute({ share: 0.15, path: '/upload', fixedMs: 3, bytesPerMs: 10_000, minBytes: 1_000, maxBytes: 8_000_000 }),
    thumbnailRoute(0.05),
  ];
}

/**
 * A function fed by Knative Eventing: every call is `POST /` with a small body, and only the
 * CloudEvent type tells them apart; `types` types of equal share whose durations spread log-evenly
 * from `shortMs` to `longMs`.
 */
export function eventRoutes(types: number, shortMs: number, longMs: number): readonly RequestRoute[] {
  return Array.from({ length: types }, (_, t) => {
    const baseMs = types === 1 ? shortMs : shortMs * Math.pow(longMs / shortMs, t / (types - 1));
    return fixed(1 / types, baseMs, (random) => requestFeatures('POST', '/', 200 + random.below(800), `com.example.step-${t}`));
  });
}
