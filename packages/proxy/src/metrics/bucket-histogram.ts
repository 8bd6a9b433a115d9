import type { Histogram, Registry } from 'prom-client';

/** One label value's series: per-bucket counts (the last for +Inf), their sum and count. */
export class HistogramSeries {
  readonly #bounds: readonly number[];
  readonly #counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(bounds: readonly number[]) {
    this.#bounds = bounds;
    this.#counts = new Float64Array(bounds.length + 1);
  }

  /** Counts one observation: a few comparisons and three additions, nothing allocated. */
  observe(value: number): void {
    const bounds = this.#bounds;
    let bucket = 0;
    while (bucket < bounds.length && value > (bounds[bucket] as number)) bucket++;
    this.#counts[bucket] = (this.#counts[bucket] as number) + 1;
    this.sum += value;
    this.count++;
  }

  /** The count of observations at or below each bound, then of all of them. */
  cumulative(): number[] {
    const totals: number[] = [];
    let running = 0;
    for (const count of this.#counts) totals.push((running += count));
    return totals;
  }

  reset(): void {
    this.#counts.fill(0);
    this.sum = 0;
    this.count = 0;
  }
}

interface SampleValue {
  readonly metricName: string;
  readonly labels: Readonly<Record<string, string | number>>;
  readonly value: number;
}

export interface BucketHistogramOptions {
  readonly name: string;
  readonly help: string;
  /** The one label that tells series apart (e.g. `function`). */
  readonly labelName: string;
  /** Upper bounds, ascending; +Inf is added. */
  readonly buckets: readonly number[];
  readonly registry: Registry;
}

/**
 * A Prometheus histogram with one label, exposed through a prom-client registry in the same text
 * as prom-client's own Histogram. It exists for the request path: prom-client's `observe` builds a
 * label object and hashes it on every call, while a series of this one is resolved once and then
 * counts in a typed array.
 */
export class BucketHistogram {
  readonly name: string;
  readonly help: string;
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  readonly #labelName: string;
  readonly #bounds: readonly number[];
  readonly #series = new Map<string, HistogramSeries>();

  constructor(options: BucketHistogramOptions) {
    this.name = options.name;
    this.help = options.help;
    this.#labelName = options.labelName;
    this.#bounds = [...options.buckets].sort((a, b) => a - b);
    // The registry reads only name, help, type, aggregator, get() and reset(); its types admit only prom-client's own classes.
    options.registry.registerMetric(this as unknown as Histogram);
  }

  /** Forgets one label value's series: it is no longer exported. */
  remove(labelValue: string): void {
    this.#series.delete(labelValue);
  }

  /** The series for one label value, created on first use; keep it and call `observe` on it. */
  series(labelValue: string): HistogramSeries {
    let series = this.#series.get(labelValue);
    if (series === undefined) {
      series = new HistogramSeries(this.#bounds);
      this.#series.set(labelValue, series);
    }
    return series;
  }

  /** What prom-client's registry formats: `_bucket` lines (le first, as prom-client writes them), `_sum`, `_count`. */
  async get(): Promise<{ name: string; help: string; type: string; aggregator: string; values: SampleValue[] }> {
    const values: SampleValue[] = [];
    for (const [labelValue, series] of this.#series) {
      const cumulative = series.cumulative();
      cumulative.forEach((value, i) => {
        const le = i < this.#bounds.length ? (this.#bounds[i] as number) : '+Inf';
        values.push({ metricName: `${this.name}_bucket`, labels: { le, [this.#labelName]: labelValue }, value });
      });
      values.push({ metricName: `${this.name}_sum`, labels: { [this.#labelName]: labelValue }, value: series.sum });
      values.push({ metricName: `${this.name}_count`, labels: { [this.#labelName]: labelValue }, value: series.count });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  reset(): void {
    for (const series of this.#series.values()) series.reset();
  }
}
