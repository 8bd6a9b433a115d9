import { expect } from '@jest/globals';
import { request } from 'undici';

/** One scrape of /metrics: the sum of a metric's samples whose labels include `labels`. */
export interface MetricValues {
  sum(name: string, labels?: Readonly<Record<string, string>>): number;
}

/** Scrapes `${adminUrl}/metrics` (Prometheus text) once. */
export async function scrape(adminUrl: string): Promise<MetricValues> {
  const response = await request(`${adminUrl}/metrics`);
  const text = await response.body.text();
  const samples: { name: string; labels: Record<string, string>; value: number }[] = [];
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (match === null) continue;
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[pair[1] as string] = pair[2] as string;
    samples.push({ name: match[1] as string, labels, value: Number(match[3]) });
  }
  return {
    sum(name, wanted = {}) {
      let total = 0;
      for (const sample of samples) {
        if (sample.name !== name) continue;
        if (Object.entries(wanted).every(([key, value]) => sample.labels[key] === value)) total += sample.value;
      }
      return total;
    },
  };
}

/**
 * The books balance: every accepted request has finished (answered, refused, cut or its client
 * gone), none is queued or in flight.
 */
export async function expectBooksBalanced(adminUrl: string): Promise<MetricValues> {
  const metrics = await scrape(adminUrl);
  expect(metrics.sum('shortline_queue_depth')).toBe(0);
  expect(metrics.sum('shortline_in_flight')).toBe(0);
  expect(metrics.sum('shortline_requests_finished_total')).toBe(metrics.sum('shortline_requests_accepted_total'));
  expect(metrics.sum('shortline_requests_accepted_total')).toBeGreaterThan(0);
  return metrics;
}
