// /admin/usage: tokens and cost over a date range, by model and by day, as charts with the numbers in a table
// below them (for screen readers and for copying).
import { useEffect, useId, useMemo, useState } from 'react';
import { FormProblem } from '../form-problem.tsx';
import { TableScroll } from '../TableScroll.tsx';
import type { UsageRow } from '../types.ts';
import { usage } from './admin-api.ts';
import { type Series, UsageChart } from './UsageChart.tsx';

const DAY_MS = 86_400_000;
const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/** Every day from `from` up to and including `to` (YYYY-MM-DD, UTC), so days without replies show as zero. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let time = Date.parse(from); time <= Date.parse(to) && days.length < 366; time += DAY_MS)
    days.push(isoDay(new Date(time)));
  return days;
}

const COLORS = { input: '#6366f1', output: '#22c55e', cached: '#f59e0b', cost: '#ef4444' };

export function UsagePage({ onForbidden }: { onForbidden: (error: unknown) => boolean }) {
  const ids = useId();
  const [range, setRange] = useState(() => ({
    from: isoDay(new Date(Date.now() - 29 * DAY_MS)),
    to: isoDay(new Date()),
  }));
  const [byModel, setByModel] = useState<UsageRow[] | null>(null);
  const [byDay, setByDay] = useState<UsageRow[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    if (!range.from || !range.to || range.from > range.to) return;
    let current = true;
    // `to` is exclusive in the API: the range's last day is included by asking up to the next midnight.
    const until = isoDay(new Date(Date.parse(range.to) + DAY_MS));
    Promise.all([usage(range.from, until, 'model'), usage(range.from, until, 'day')])
      .then(([models, days]) => {
        if (!current) return;
        setByModel(models.rows);
        setByDay(days.rows);
        setProblem(null);
      })
      .catch((error: unknown) => {
        if (current && !onForbidden(error)) setProblem(error instanceof Error ? error.message : String(error));
      });
    return () => {
      current = false;
    };
  }, [range, onForbidden]);

  const modelChart = useMemo(() => {
    const rows = byModel ?? [];
    return {
      labels: rows.map((row) => row.key ?? 'not recorded'),
      tokens: [
        { label: 'Input tokens', values: rows.map((row) => row.inputTokens), color: COLORS.input },
        { label: 'Output tokens', values: rows.map((row) => row.outputTokens), color: COLORS.output },
      ] satisfies Series[],
      cost: [{ label: 'Cost (USD)', values: rows.map((row) => row.costUsd), color: COLORS.cost }] satisfies Series[],
    };
  }, [byModel]);

  const dayChart = useMemo(() => {
    const found = new Map((byDay ?? []).map((row) => [row.key, row]));
    const days = daysBetween(range.from, range.to);
    const at = (day: string) => found.get(day);
    return {
      labels: days,
      series: [
        { label: 'Input tokens', values: days.map((day) => at(day)?.inputTokens ?? 0), color: COLORS.input },
        { label: 'Output tokens', values: days.map((day) => at(day)?.outputTokens ?? 0), color: COLORS.output },
        {
          label: 'Cost (USD)',
          values: days.map((day) => at(day)?.costUsd ?? 0),
          color: COLORS.cost,
          axis: 'right',
          type: 'line',
        },
      ] satisfies Series[],
    };
  }, [byDay, range]);

  const total = (byModel ?? []).reduce(
    (sum, row) => ({
      messages: sum.messages + row.messages,
      tokens: sum.tokens + row.inputTokens + row.outputTokens,
      cost: sum.cost + row.costUsd,
    }),
    { messages: 0, tokens: 0, cost: 0 },
  );

  return (
    <div className="admin-usage">
      <form className="admin-filters" onSubmit={(event) => event.preventDefault()}>
        <label htmlFor={`${ids}-from`}>
          From
          <input
            id={`${ids}-from`}
            type="date"
            value={range.from}
            max={range.to}
            onChange={(event) => setRange({ ...range, from: event.target.value })}
          />
        </label>
        <label htmlFor={`${ids}-to`}>
          To
          <input
            id={`${ids}-to`}
            type="date"
            value={range.to}
            min={range.from}
            onChange={(event) => setRange({ ...range, to: event.target.value })}
          />
        </label>
      </form>
      <FormProblem problem={problem} />
      {byModel && (
        <p className="usage-totals">
          <strong>{total.messages.toLocaleString()}</strong> replies · <strong>{total.tokens.toLocaleString()}</strong>{' '}
          tokens · <strong>${total.cost.toFixed(4)}</strong>
        </p>
      )}
      {byModel && byModel.length === 0 && <p className="muted">No replies in this period.</p>}
      {byModel && byModel.length > 0 && (
        <div className="usage-charts">
          <UsageChart
            title="Tokens by model"
            labels={modelChart.labels}
            series={modelChart.tokens}
            stacked
            leftAxis="tokens"
          />
          <UsageChart title="Cost by model" labels={modelChart.labels} series={modelChart.cost} leftAxis="USD" />
          <UsageChart
            wide
            title="Tokens and cost by day"
            labels={dayChart.labels}
            series={dayChart.series}
            stacked
            leftAxis="tokens"
            rightAxis="USD"
          />
        </div>
      )}
      {byModel && byModel.length > 0 && (
        <TableScroll label="Usage by model">
          <table className="data-table" aria-label="Usage by model">
            <thead>
              <tr>
                <th scope="col">Model</th>
                <th scope="col" className="numeric">
                  Replies
                </th>
                <th scope="col" className="numeric">
                  Input tokens
                </th>
                <th scope="col" className="numeric">
                  Cached
                </th>
                <th scope="col" className="numeric">
                  Output tokens
                </th>
                <th scope="col" className="numeric">
                  Cost (USD)
                </th>
              </tr>
            </thead>
            <tbody>
              {byModel.map((row) => (
                <tr key={row.key ?? 'none'}>
                  <td>{row.key ?? 'not recorded'}</td>
                  <td className="numeric">{row.messages.toLocaleString()}</td>
                  <td className="numeric">{row.inputTokens.toLocaleString()}</td>
                  <td className="numeric">{row.cachedInputTokens.toLocaleString()}</td>
                  <td className="numeric">{row.outputTokens.toLocaleString()}</td>
                  <td className="numeric">{row.costUsd.toFixed(6)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </div>
  );
}
