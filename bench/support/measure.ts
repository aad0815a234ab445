// Timing and reporting for benchmarks: run a function many times, report percentiles, print tables.
import { performance } from 'node:perf_hooks';

export type Timing = { p50: number; p99: number; mean: number; count: number };

/** Microseconds per call: `warmup` untimed calls, then `iterations` timed ones. `prepare` runs untimed before each. */
export async function timeCalls<T>(
  call: (input: T) => Promise<unknown>,
  { warmup, iterations, prepare }: { warmup: number; iterations: number; prepare?: (index: number) => T },
): Promise<Timing> {
  for (let index = 0; index < warmup; index++) await call(prepare ? prepare(index) : (undefined as T));
  const samples: number[] = [];
  for (let index = 0; index < iterations; index++) {
    const input = prepare ? prepare(warmup + index) : (undefined as T);
    const started = performance.now();
    await call(input);
    samples.push((performance.now() - started) * 1000);
  }
  return summarize(samples);
}

export function summarize(samples: number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (fraction: number) => sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? 0;
  const mean = sorted.reduce((sum, value) => sum + value, 0) / Math.max(1, sorted.length);
  return { p50: at(0.5), p99: at(0.99), mean, count: sorted.length };
}

export function formatNumber(value: number, digits = 0): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** Prints a Markdown table, so results paste straight into a closing note. */
export function printTable(title: string, header: string[], rows: (string | number)[][]): void {
  console.log(`\n### ${title}\n`);
  console.log(`| ${header.join(' | ')} |`);
  console.log(`|${header.map((_, index) => (index === 0 ? '---' : '---:')).join('|')}|`);
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
}
