import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { Histogram, Registry } from 'prom-client';
import { BucketHistogram } from '../src/metrics/bucket-histogram.js';

const BUCKETS = [0.001, 0.01, 0.1, 1, 10];

/** The same observations through prom-client's Histogram and through BucketHistogram, as scraped. */
async function scrapeBoth(observations: readonly (readonly [string, number])[]): Promise<[string, string]> {
  const theirs = new Registry();
  const reference = new Histogram({ name: 'h_seconds', help: 'help text', labelNames: ['function'], buckets: BUCKETS, registers: [theirs] });
  const ours = new Registry();
  const histogram = new BucketHistogram({ name: 'h_seconds', help: 'help text', labelName: 'function', buckets: BUCKETS, registry: ours });
  for (const [fn, value] of observations) {
    reference.labels({ function: fn }).observe(value);
    histogram.series(fn).observe(value);
  }
  return [await ours.metrics(), await theirs.metrics()];
}

describe('request-path histograms (BucketHistogram)', () => {
  it('scrape exactly as prom-client histograms do, for any observations', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom('resize', 'thumb', 'a"b\\c'), fc.oneof(fc.constantFrom(0, ...BUCKETS), fc.double({ min: 0, max: 100, noNaN: true }))), {
          maxLength: 60,
        }),
        async (observations) => {
          const [ours, theirs] = await scrapeBoth(observations);
          expect(ours).toBe(theirs);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('count a value equal to a bound in that bound’s bucket (le means "less than or equal")', async () => {
    const [text] = await scrapeBoth([['fn', 0.01]]);
    expect(text).toContain('h_seconds_bucket{le="0.001",function="fn"} 0');
    expect(text).toContain('h_seconds_bucket{le="0.01",function="fn"} 1');
    expect(text).toContain('h_seconds_bucket{le="+Inf",function="fn"} 1');
  });

  it('start again from zero on a registry reset, keeping their series', async () => {
    const registry = new Registry();
    const histogram = new BucketHistogram({ name: 'h_seconds', help: 'help', labelName: 'function', buckets: BUCKETS, registry });
    const series = histogram.series('fn');
    series.observe(0.5);
    registry.resetMetrics();
    series.observe(2);
    const text = await registry.metrics();
    expect(text).toContain('h_seconds_count{function="fn"} 1');
    expect(text).toContain('h_seconds_sum{function="fn"} 2');
  });
});
