// /admin/metrics: what the server did over the last hours, from the minute rollups of every server process —
// messages, tokens, cost, errors, and time to first token (p50/p95) — as charts over time.
import { useEffect, useId, useMemo, useState } from 'react';
import { FormProblem } from '../form-problem.tsx';
import type { MetricSeries } from '../types.ts';
import { metricSeries } from './admin-api.ts';
import { type Series, UsageChart } from './UsageChart.tsx';

const WINDOWS = [
  { hours: 1, label: 'Last hour' },
  { hours: 6, label: 'Last 6 hours' },
  { hours: 24, label: 'Last 24 hours' },
  { hours: 168, label: 'Last 7 days' },
];

const COLORS = { messages: '#6366f1', replies: '#0ea5e9', input: '#8b5cf6', output: '#22c55e', cost: '#ef4444' };

/** A bucket's start as a short label: the time of day, with the date when the window spans days. */
const labelOf = (at: string, hours: number) => {
  const date = new Date(at);
  return hours > 24
    ? date.toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' })
    : date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
};

export function MetricsPage({ onForbidden }: { onForbidden: (error: unknown) => boolean }) {
  const ids = useId();
  const [hours, setHours] = useState(24);
  const [series, setSeries] = useState<MetricSeries | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    const load = () =>
      metricSeries(hours)
        .then((loaded) => {
          if (!current) return;
          setSeries(loaded);
          setProblem(null);
        })
        .catch((error: unknown) => {
          if (current && !onForbidden(error)) setProblem(error instanceof Error ? error.message : String(error));
        });
    void load();
    // New minutes arrive once a minute.
    const timer = setInterval(load, 60_000);
    return () => {
      current = false;
      clearInterval(timer);
    };
  }, [hours, onForbidden]);

  const charts = useMemo(() => {
    const points = series?.points ?? [];
    const labels = points.map((point) => labelOf(point.at, hours));
    const values = (pick: (point: (typeof points)[number]) => number | null) => points.map((point) => pick(point) ?? 0);
    return {
      labels,
      messages: [
        { label: 'Messages answered', values: values((point) => point.turns), color: COLORS.messages },
        { label: 'Replies', values: values((point) => point.replies), color: COLORS.replies },
      ] satisfies Series[],
      tokens: [
        { label: 'Input tokens', values: values((point) => point.inputTokens), color: COLORS.input },
        { label: 'Output tokens', values: values((point) => point.outputTokens), color: COLORS.output },
      ] satisfies Series[],
      cost: [{ label: 'Cost (USD)', values: values((point) => point.costUsd), color: COLORS.cost }] satisfies Series[],
      errors: [{ label: 'Errors', values: values((point) => point.errors), color: COLORS.cost }] satisfies Series[],
      firstToken: [
        {
          label: 'p50',
          values: values((point) => point.firstTokenP50Ms),
          color: COLORS.output,
          type: 'line',
        },
        {
          label: 'p95',
          values: values((point) => point.firstTokenP95Ms),
          color: COLORS.messages,
          type: 'line',
        },
      ] satisfies Series[],
    };
  }, [series, hours]);

  const totals = (series?.points ?? []).reduce(
    (sum, point) => ({
      turns: sum.turns + point.turns,
      tokens: sum.tokens + point.inputTokens + point.outputTokens,
      cost: sum.cost + point.costUsd,
      errors: sum.errors + point.errors,
    }),
    { turns: 0, tokens: 0, cost: 0, errors: 0 },
  );

  return (
    <div className="admin-usage">
      <form className="admin-filters" onSubmit={(event) => event.preventDefault()}>
        <label htmlFor={`${ids}-window`}>
          Window
          <select id={`${ids}-window`} value={hours} onChange={(event) => setHours(Number(event.target.value))}>
            {WINDOWS.map((window) => (
              <option key={window.hours} value={window.hours}>
                {window.label}
              </option>
            ))}
          </select>
        </label>
      </form>
      <FormProblem problem={problem} />
      {series && (
        <p className="usage-totals">
          <strong>{totals.turns.toLocaleString()}</strong> messages · <strong>{totals.tokens.toLocaleString()}</strong>{' '}
          tokens · <strong>${totals.cost.toFixed(4)}</strong> · <strong>{totals.errors.toLocaleString()}</strong> errors
          <span className="muted"> ({series.bucketMinutes}-minute buckets; every server process added up)</span>
        </p>
      )}
      {series && (
        <div className="usage-charts">
          <UsageChart title="Messages and replies" labels={charts.labels} series={charts.messages} leftAxis="count" />
          <UsageChart title="Tokens" labels={charts.labels} series={charts.tokens} stacked leftAxis="tokens" />
          <UsageChart title="Cost" labels={charts.labels} series={charts.cost} leftAxis="USD" />
          <UsageChart title="Errors" labels={charts.labels} series={charts.errors} leftAxis="count" />
          <UsageChart
            wide
            title="Time to first token"
            labels={charts.labels}
            series={charts.firstToken}
            leftAxis="ms"
          />
        </div>
      )}
    </div>
  );
}
