// The minute rollups of every server process (minute-rollups.ts) as one series over a window, for the admin charts:
// counts added up per bucket, first-token percentiles averaged weighted by the replies behind them (an estimate: the
// true percentile of several processes' samples is not recoverable from theirs).
import type { MetricStore } from '../store/metrics.ts';
import { SERVER_MINUTE_METRIC } from './minute-rollups.ts';
import type { MinuteFigures } from './minute-totals.ts';

export type SeriesPoint = {
  /** The bucket's start. */
  at: string;
  turns: number;
  replies: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  firstTokenP50Ms: number | null;
  firstTokenP95Ms: number | null;
};

/** About how many points a chart gets, whatever its window. */
const POINTS = 240;

/** Whole minutes per bucket for a window of `hours`. */
export const bucketMinutesFor = (hours: number) => Math.max(1, Math.ceil((hours * 60) / POINTS));

/** One point per bucket of `bucketMinutes` from `from` to `to`, empty buckets as zeros. */
export function toSeries(
  rows: { timestamp: Date; metricData: Record<string, unknown> }[],
  { from, to, bucketMinutes }: { from: Date; to: Date; bucketMinutes: number },
): SeriesPoint[] {
  const bucketMs = bucketMinutes * 60_000;
  const start = Math.floor(from.getTime() / bucketMs) * bucketMs;
  const count = Math.max(1, Math.ceil((to.getTime() - start) / bucketMs));
  const buckets = Array.from({ length: count }, (_, index) => ({
    at: start + index * bucketMs,
    turns: 0,
    replies: 0,
    errors: 0,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    p50: { sum: 0, weight: 0 },
    p95: { sum: 0, weight: 0 },
  }));
  for (const row of rows) {
    const bucket = buckets[Math.floor((row.timestamp.getTime() - start) / bucketMs)];
    if (!bucket) continue;
    const figures = row.metricData as Partial<MinuteFigures>;
    bucket.turns += figures.turns ?? 0;
    bucket.replies += figures.replies ?? 0;
    bucket.errors += (figures.replyErrors ?? 0) + (figures.serverErrors ?? 0);
    bucket.inputTokens += figures.inputTokens ?? 0;
    bucket.outputTokens += figures.outputTokens ?? 0;
    bucket.costUsd += figures.costUsd ?? 0;
    const weight = figures.replies ?? 0;
    if (typeof figures.firstTokenP50Ms === 'number' && weight > 0) {
      bucket.p50.sum += figures.firstTokenP50Ms * weight;
      bucket.p50.weight += weight;
    }
    if (typeof figures.firstTokenP95Ms === 'number' && weight > 0) {
      bucket.p95.sum += figures.firstTokenP95Ms * weight;
      bucket.p95.weight += weight;
    }
  }
  const mean = ({ sum, weight }: { sum: number; weight: number }) =>
    weight === 0 ? null : Math.round((sum / weight) * 10) / 10;
  return buckets.map(({ at, p50, p95, ...counts }) => ({
    at: new Date(at).toISOString(),
    ...counts,
    costUsd: Math.round(counts.costUsd * 1e6) / 1e6,
    firstTokenP50Ms: mean(p50),
    firstTokenP95Ms: mean(p95),
  }));
}

/** The longest window the charts read: a week of minute rows is the most one request reads. */
export const MAX_SERIES_HOURS = 24 * 7;

/** The series of the `hours` up to `now`, from the minute rollups of every process. */
export async function readMetricSeries(
  metrics: Pick<MetricStore, 'inRange'>,
  { hours, now = new Date() }: { hours: number; now?: Date },
): Promise<{ bucketMinutes: number; points: SeriesPoint[] }> {
  const from = new Date(now.getTime() - hours * 3_600_000);
  const bucketMinutes = bucketMinutesFor(hours);
  const rows = await metrics.inRange({ metricType: SERVER_MINUTE_METRIC, from, to: now });
  return { bucketMinutes, points: toSeries(rows, { from, to: now, bucketMinutes }) };
}
