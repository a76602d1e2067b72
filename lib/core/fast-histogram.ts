/**
 * A histogram for the per-request hot path, registered in a prom-client Registry like any metric.
 * prom-client's own Histogram.observe() hashes the label object into a string and keys its buckets
 * by the bound as a property name (a number turned into a string on every call): measured inside the
 * guard's stack that was ~5 µs per request. Here a series is found once per distinct label set and
 * an observation is a bucket search and three additions. The registry reads it through the same
 * `get()` / `reset()` contract as its own metrics, so the text it serves is the same.
 */
import type { Metric, Registry } from 'prom-client';

/** One label set's counts. */
export interface HistogramSeries {
  observe(value: number): void;
}

interface MetricValue {
  readonly metricName: string;
  readonly labels: Readonly<Record<string, string | number>>;
  readonly value: number;
}

class Series implements HistogramSeries {
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(
    private readonly bounds: readonly number[],
    readonly labels: Readonly<Record<string, string>>,
  ) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  observe(value: number): void {
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && value > (bounds[i] as number)) i++;
    this.counts[i] = (this.counts[i] as number) + 1;
    this.sum += value;
    this.count++;
  }
}

export class FastHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  readonly #series = new Map<string, Series>();

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly bounds: readonly number[],
  ) {}

  /** The series for `key` (a string unique to the label set); `labels` is used only when it is new. */
  series(key: string, labels: () => Readonly<Record<string, string>>): HistogramSeries {
    let series = this.#series.get(key);
    if (series === undefined) {
      series = new Series(this.bounds, labels());
      this.#series.set(key, series);
    }
    return series;
  }

  /** What a Registry reads: cumulative `_bucket`s with `le`, `_sum` and `_count` per series. */
  get(): { name: string; help: string; type: string; aggregator: string; values: MetricValue[] } {
    const values: MetricValue[] = [];
    for (const series of this.#series.values()) {
      let cumulative = 0;
      for (let i = 0; i <= this.bounds.length; i++) {
        cumulative += series.counts[i] as number;
        values.push({ metricName: `${this.name}_bucket`, labels: { le: i < this.bounds.length ? (this.bounds[i] as number) : '+Inf', ...series.labels }, value: cumulative });
      }
      values.push({ metricName: `${this.name}_sum`, labels: series.labels, value: series.sum });
      values.push({ metricName: `${this.name}_count`, labels: series.labels, value: series.count });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  reset(): void {
    this.#series.clear();
  }
}

/** The FastHistogram `name` in `registry`, registered on first use. Throws when another kind of metric has the name. */
export function fastHistogram(registry: Registry, name: string, help: string, bounds: readonly number[]): FastHistogram {
  const existing = registry.getSingleMetric(name) as unknown;
  if (existing instanceof FastHistogram) return existing;
  if (existing !== undefined) throw new Error(`A metric named ${name} is already registered in this registry; express-api-guard needs that name for its own histogram.`);
  const histogram = new FastHistogram(name, help, bounds);
  registry.registerMetric(histogram as unknown as Metric);
  return histogram;
}
