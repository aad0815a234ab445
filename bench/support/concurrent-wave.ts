// Thousands of chat streams at once against one benchmark server: each on a connection of its own, opened
// beforehand, all requests sent in the same instant; what failed, how long it took, and the server's memory
// before, at its peak and after. Replies not finished by the deadline count as failed.
import { execSync } from 'node:child_process';
import { setMaxListeners } from 'node:events';
import { performance } from 'node:perf_hooks';
import { openConnections, problemWith, streamChat, type TextEvents } from './chat-client.ts';
import type { ChildCpu, ChildServer } from './child-server.ts';
import { summarize, type Timing } from './measure.ts';

/** Per concurrent stream a server holds two sockets (its client's and its provider's); leave room for the rest. */
const DESCRIPTORS_PER_STREAM = 2;
const DESCRIPTORS_SPARE = 500;

const MB = 1024 * 1024;
/** A server still swamped after the wave may not answer at all; its heap is then not reported. */
const HEAP_ANSWER_TIMEOUT_MS = 3_000;

export type WaveResult = {
  count: number;
  failed: number;
  /** Each distinct problem, with how many streams had it. */
  problems: Map<string, number>;
  seconds: number;
  firstTokenMs: Timing;
  /** Request to [DONE], of the streams that arrived whole. */
  wholeReplyMs: Timing;
  rssMb: { idle: number; peak: number; after: number };
  /** CPU time the server spent from the first request to the last stream's end, all its threads, ms. */
  cpuMs: number;
  /** Read after the wave; undefined when the server was too busy to answer. */
  heapMb?: { used: number; external: number };
};

/** The soft limit on open files (`ulimit -n`), which bounds how many streams one process can hold. */
export function openFileLimit(): number {
  try {
    const limit = execSync('ulimit -n', { shell: '/bin/sh', encoding: 'utf8' }).trim();
    return limit === 'unlimited' ? Infinity : Number(limit);
  } catch {
    return Infinity;
  }
}

/** How many concurrent streams the open-file limit allows, and a note when it allows fewer than `wanted`. */
export function streamsWithinFileLimit(wanted: number): { count: number; note?: string } {
  const limit = openFileLimit();
  const needed = wanted * DESCRIPTORS_PER_STREAM + DESCRIPTORS_SPARE;
  if (limit >= needed) return { count: wanted };
  const count = Math.max(0, Math.floor((limit - DESCRIPTORS_SPARE) / DESCRIPTORS_PER_STREAM));
  return {
    count,
    note: `ulimit -n is ${limit}: ${wanted} streams need about ${needed} descriptors per process; running ${count} (raise it with \`ulimit -n 20000\`)`,
  };
}

export async function runConcurrentWave(
  server: ChildServer,
  request: {
    url: URL;
    body: () => string;
    headers: Record<string, string>;
    expectedPieces: number;
    textEvents?: TextEvents;
  },
  { count, deadlineMs }: { count: number; deadlineMs: number },
): Promise<WaveResult> {
  await server.command({ name: 'gc' });
  const idle = await server.memory({ resetPeak: true });
  const sockets = await openConnections(request.url, count);
  const deadline = new AbortController();
  setMaxListeners(count + 10, deadline.signal);
  const timer = setTimeout(() => deadline.abort(new Error(`not finished within ${deadlineMs / 1000} s`)), deadlineMs);
  const cpuBefore = await server.command<ChildCpu>({ name: 'cpu' });
  const startedAt = performance.now();
  const { headers, textEvents } = request;
  const timings = await Promise.all(
    sockets.map((socket) =>
      streamChat(request.url, request.body(), { socket, headers, textEvents, signal: deadline.signal }),
    ),
  );
  clearTimeout(timer);
  const cpuAfter = await server.command<ChildCpu>({ name: 'cpu' });
  const seconds = (performance.now() - startedAt) / 1000;
  const after = await server.memory({ resetPeak: true });
  const heap = await server.heap(HEAP_ANSWER_TIMEOUT_MS);

  const problems = new Map<string, number>();
  const whole: number[] = [];
  for (const timing of timings) {
    const problem = problemWith(timing, request.expectedPieces);
    if (problem) problems.set(problem, (problems.get(problem) ?? 0) + 1);
    else whole.push(timing.endedAt - timing.startedAt);
  }
  return {
    count,
    failed: count - whole.length,
    problems,
    seconds,
    firstTokenMs: summarize(
      timings.flatMap((timing) => (timing.firstDeltaAt ? [timing.firstDeltaAt - timing.startedAt] : [])),
    ),
    wholeReplyMs: summarize(whole),
    rssMb: { idle: idle.rss / MB, peak: after.peakRss / MB, after: after.rss / MB },
    cpuMs: (cpuAfter.user + cpuAfter.system - cpuBefore.user - cpuBefore.system) / 1000,
    heapMb: heap && { used: heap.heapUsed / MB, external: heap.external / MB },
  };
}
