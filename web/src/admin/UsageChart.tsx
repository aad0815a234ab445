// A Chart.js chart as a React component: created on mount, updated when its data changes, destroyed on unmount.
// Only the pieces the usage page draws are registered, so the rest of Chart.js stays out of the bundle.
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartConfiguration,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import { useEffect, useRef } from 'react';

Chart.register(
  BarController,
  BarElement,
  LineController,
  LineElement,
  PointElement,
  CategoryScale,
  LinearScale,
  Tooltip,
  Legend,
);

export type Series = { label: string; values: number[]; color: string; axis?: 'left' | 'right'; type?: 'bar' | 'line' };

type Props = {
  title: string;
  wide?: boolean;
  labels: string[];
  series: Series[];
  stacked?: boolean;
  leftAxis: string;
  rightAxis?: string;
};

export function UsageChart({ title, wide = false, labels, series, stacked = false, leftAxis, rightAxis }: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    // The canvas is styled as muted text: its computed colour is that of the scheme in force, as a colour Chart.js reads.
    const text = getComputedStyle(canvas.current).color || '#60606c';
    const configuration: ChartConfiguration<'bar' | 'line', number[], string> = {
      type: 'bar',
      data: {
        labels,
        datasets: series.map((item) => ({
          type: item.type ?? 'bar',
          label: item.label,
          data: item.values,
          backgroundColor: item.color,
          borderColor: item.color,
          yAxisID: item.axis === 'right' ? 'right' : 'left',
          ...(item.type === 'line' ? { tension: 0.25, pointRadius: 2 } : {}),
        })),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: 'index', intersect: false },
        plugins: { legend: { labels: { color: text } } },
        scales: {
          x: { stacked, ticks: { color: text } },
          left: {
            type: 'linear',
            position: 'left',
            stacked,
            beginAtZero: true,
            title: { display: true, text: leftAxis, color: text },
            ticks: { color: text },
          },
          ...(rightAxis
            ? {
                right: {
                  type: 'linear' as const,
                  position: 'right' as const,
                  beginAtZero: true,
                  grid: { drawOnChartArea: false },
                  title: { display: true, text: rightAxis, color: text },
                  ticks: { color: text },
                },
              }
            : {}),
        },
      },
    };
    const chart = new Chart(canvas.current, configuration);
    return () => chart.destroy();
  }, [labels, series, stacked, leftAxis, rightAxis]);

  return (
    <figure className={wide ? 'usage-chart wide' : 'usage-chart'}>
      <figcaption>{title}</figcaption>
      <div className="usage-chart-canvas">
        <canvas ref={canvas} className="muted" role="img" aria-label={title} />
      </div>
    </figure>
  );
}
