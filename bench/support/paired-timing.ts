// Timing helpers the registry benchmark needs beyond measure.ts: a system call and its baseline timed in
// alternation under a time budget (both see the same noise of a shared machine), and synchronous calls timed one
// by one in the million (percentiles from a typed array, which sorts natively).
import { performance } from 'node:perf_hooks';
import { summarize, type Timing } from './measure.ts';

export type PairedCounts = {
  warmup: number;
  /** Pairs at most… */
  iterations: number;
  /** …and no more than fit in this many ms (after warm-up), but never fewer than `minIterations`. */
  budgetMs: number;
  minIterations?: number;
};

/** µs per call of `system` and of `baseline`, called in turns: A B A B … */
export async function timePaired(
  system: (index: number) => Promise<unknown>,
  baseline: (index: number) => Promise<unknown>,
  counts: PairedCounts,
): Promise<{ system: Timing; baseline: Timing }> {
  for (let index = 0; index < counts.warmup; index++) {
    await system(index);
    await baseline(index);
  }
  const systemSamples: number[] = [];
  const baselineSamples: number[] = [];
  const deadline = performance.now() + counts.budgetMs;
  const minimum = counts.minIterations ?? 20;
  for (let index = 0; index < counts.iterations; index++) {
    if (index >= minimum && performance.now() > deadline) break;
    let started = performance.now();
    await system(index);
    systemSamples.push((performance.now() - started) * 1000);
    started = performance.now();
    await baseline(index);
    baselineSamples.push((performance.now() - started) * 1000);
  }
  return { system: summarize(systemSamples), baseline: summarize(baselineSamples) };
}

/** µs per call of an asynchronous call alone, under the same kind of budget. */
export async function timeBudgeted(call: (index: number) => Promise<unknown>, counts: PairedCounts): Promise<Timing> {
  for (let index = 0; index < counts.warmup; index++) await call(index);
  const samples: number[] = [];
  const deadline = performance.now() + counts.budgetMs;
  const minimum = counts.minIterations ?? 20;
  for (let index = 0; index < counts.iterations; index++) {
    if (index >= minimum && performance.now() > deadline) break;
    const started = performance.now();
    await call(index);
    samples.push((performance.now() - started) * 1000);
  }
  return summarize(samples);
}

export type SyncTiming = Timing & { p999: number; max: number; nsPerCallInBulk: number };

/**
 * µs per call of a synchronous `call`, each timed alone (the timer's own ~50 ns included, so the figures err
 * high), stopping at `iterations` or `budgetMs`. `nsPerCallInBulk` is the untimed loop's cost per call: what
 * a lookup costs without the stopwatch. `sink` keeps the engine from dropping calls whose result is unused.
 */
export function timeSyncCalls(
  call: (index: number) => unknown,
  { warmup, iterations, budgetMs }: { warmup: number; iterations: number; budgetMs: number },
): SyncTiming {
  let sink = 0;
  const consume = (value: unknown) => {
    if (value !== undefined) sink++;
  };
  for (let index = 0; index < warmup; index++) consume(call(index));
  const samples = new Float64Array(iterations);
  const deadline = performance.now() + budgetMs;
  let count = 0;
  for (; count < iterations; count++) {
    // Checking the clock every 1,024 calls keeps the check out of the measured calls' way.
    if ((count & 1023) === 0 && count > 0 && performance.now() > deadline) break;
    const started = performance.now();
    consume(call(count));
    samples[count] = performance.now() - started;
  }
  // A quarter as many calls as were timed (at most 100,000): a quarter of the budget at worst.
  const bulkCalls = Math.min(Math.ceil(count / 4), 100_000);
  const bulkStarted = performance.now();
  for (let index = 0; index < bulkCalls; index++) consume(call(index));
  const nsPerCallInBulk = ((performance.now() - bulkStarted) * 1e6) / Math.max(1, bulkCalls);
  if (sink < 0) console.log(sink);

  const sorted = samples.subarray(0, count).sort();
  const at = (fraction: number) => (sorted[Math.min(count - 1, Math.floor(fraction * count))] ?? 0) * 1000;
  let total = 0;
  for (const value of sorted) total += value;
  return {
    p50: at(0.5),
    p99: at(0.99),
    p999: at(0.999),
    max: (sorted[count - 1] ?? 0) * 1000,
    mean: (total / Math.max(1, count)) * 1000,
    count,
    nsPerCallInBulk,
  };
}

/** Milliseconds since the epoch, sub-millisecond precise and comparable between processes of one machine. */
export const epochMs = () => performance.timeOrigin + performance.now();

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return 0;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
