// Chat streaming benchmark: POST /api/chat against a provider that streams instantly (every chunk at once), side by
// side with a bare node:http SSE relay of the same provider in the same run (support/sse-relay.ts). The provider,
// the relay and Chorus each run in a child process of their own (support/child-server.ts); this one is the client.
// Targets: chunks/s ≥ 0.8× the relay; time to first token added by the server ≤ 5 ms (median); 5,000 concurrent
// replies with 0 errors and server RSS < 500 MB; three models in one request ≤ the slowest alone + 20 ms.
// Chorus runs on PGlite (a data folder `chorus migrate` made, as a restarted server has), then on PostgreSQL when
// one is reachable (see support/databases.ts); CHAT_BENCH_ON=pglite or =postgres runs one of them only.
// CHAT_BENCH_CONCURRENT=<n> runs a smaller wave while working on it; CHAT_BENCH_CPU_PROFILE=<dir> writes a CPU
// profile of Chorus and of the relay per measure into <dir>, and CHAT_BENCH_ALLOCATION_PROFILE=<dir> a sampled
// profile of every allocation (a .heapprofile) likewise.
import { mkdirSync } from 'node:fs';
import { Agent } from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { chatBody, createBenchAccount, problemWith, type StreamTiming, streamChat } from './support/chat-client.ts';
import { BENCH_PUBLIC_URL, type ChildServer, prepareChorusData, startChildServer } from './support/child-server.ts';
import { runConcurrentWave, streamsWithinFileLimit, type WaveResult } from './support/concurrent-wave.ts';
import { postgresAdminUrl } from './support/databases.ts';
import { BENCH_MODELS, type BenchModelName } from './support/instant-provider.ts';
import { formatNumber, printTable, summarize, type Timing } from './support/measure.ts';
import { RELAY_PATH } from './support/sse-relay.ts';

const TARGET = {
  throughputRatio: 0.8,
  addedFirstTokenMs: 5,
  concurrentReplies: 5_000,
  peakRssMb: 500,
  parallelOverheadMs: 20,
};
const THROUGHPUT = { warmup: 3, runs: 9 };
const FIRST_TOKEN = { warmup: 10, runs: 50 };
const PARALLEL = { warmup: 3, runs: 10 };
const PARALLEL_MODELS: BenchModelName[] = ['paced-50', 'paced-100', 'paced-150'];
const SLOWEST_MODEL: BenchModelName = 'paced-150';
/** A reply of the wave not finished by then counts as failed (and keeps the suite near its time budget). */
const WAVE_DEADLINE_MS = 45_000;

type Row = (string | number)[];
/** Sends one chat request naming `models` to one server and times its stream. */
type Side = (models: BenchModelName[]) => Promise<StreamTiming>;
type Sides = { chorus: Side; relay: Side };
/** Where a server takes chat requests, and the headers they need. */
type ChatEndpoint = { url: URL; headers: Record<string, string> };

const median = (values: number[]) => summarize(values).p50;
const verdict = (pass: boolean) => (pass ? 'PASS' : 'MISS');
const ms = (value: number) => `${formatNumber(value, 1)} ms`;
const mb = (value: number) => `${formatNumber(value)} MB`;
const percentiles = (timing: Timing) => (timing.count === 0 ? '–' : `${ms(timing.p50)} / ${ms(timing.p99)}`);
const expectedPieces = (models: BenchModelName[]) => models.reduce((sum, model) => sum + BENCH_MODELS[model].chunks, 0);

/** The provider's chunks delivered a second over the whole request, and from the first text to the last. */
const requestRate = (timing: StreamTiming) => (timing.pieces / (timing.endedAt - timing.startedAt)) * 1000;
const streamRate = (timing: StreamTiming) => {
  const streamingMs = timing.lastDeltaAt! - timing.firstDeltaAt!;
  // All the text in one read of the socket: no interval to divide by.
  return streamingMs > 0 ? (timing.pieces / streamingMs) * 1000 : requestRate(timing);
};
const firstTokenMs = (timing: StreamTiming) => timing.firstDeltaAt! - timing.startedAt;
const wallMs = (timing: StreamTiming) => timing.endedAt - timing.startedAt;

/** One stream that must arrive whole: a broken one stops the benchmark (its figures would mean nothing). */
async function checked(side: Side, models: BenchModelName[], label: string): Promise<StreamTiming> {
  const timing = await side(models);
  const problem = problemWith(timing, expectedPieces(models));
  if (problem) throw new Error(`${label} ${models.join('+')}: ${problem}`);
  return timing;
}

/** Runs each call `runs` times after `warmup`, alternating which goes first, so all see the same noise. */
async function alternate<T>(
  calls: (() => Promise<T>)[],
  { warmup, runs }: { warmup: number; runs: number },
): Promise<T[][]> {
  const results = calls.map(() => [] as T[]);
  for (let round = 0; round < warmup + runs; round++) {
    const order = calls.map((_, index) => (round % 2 === 0 ? index : calls.length - 1 - index));
    for (const index of order) {
      const result = await calls[index]!();
      if (round >= warmup) results[index]!.push(result);
    }
  }
  return results;
}

/**
 * Runs `measure`; with CHAT_BENCH_CPU_PROFILE (or CHAT_BENCH_ALLOCATION_PROFILE), profiles each server meanwhile into
 * <dir>/<name>-<role>.cpuprofile (.heapprofile).
 */
async function profiled<T>(name: string, servers: ChildServer[], measure: () => Promise<T>): Promise<T> {
  const cpuDir = process.env.CHAT_BENCH_CPU_PROFILE;
  const allocationDir = process.env.CHAT_BENCH_ALLOCATION_PROFILE;
  if (!cpuDir && !allocationDir) return measure();
  for (const dir of [cpuDir, allocationDir]) if (dir) mkdirSync(dir, { recursive: true });
  for (const server of servers) {
    if (cpuDir) await server.command({ name: 'profile-start' });
    if (allocationDir) await server.command({ name: 'allocations-start' });
  }
  try {
    return await measure();
  } finally {
    for (const server of servers) {
      const file = (dir: string, extension: string) => path.resolve(dir, `${name}-${server.role}.${extension}`);
      if (cpuDir) await server.command({ name: 'profile-stop', path: file(cpuDir, 'cpuprofile') });
      if (allocationDir) await server.command({ name: 'allocations-stop', path: file(allocationDir, 'heapprofile') });
    }
  }
}

/** The three measures of one stream at a time: throughput, time to first token, several models at once. */
async function measureSingleStreams(sides: Sides, servers: ChildServer[]) {
  const pair = (models: BenchModelName[]) => [
    () => checked(sides.chorus, models, 'chorus'),
    () => checked(sides.relay, models, 'relay'),
  ];
  const [chorusLong, relayLong] = await profiled('throughput', servers, () => alternate(pair(['long']), THROUGHPUT));
  const [chorusShort, relayShort] = await profiled('first-token', servers, () =>
    alternate(pair(['short']), FIRST_TOKEN),
  );
  const [together, slowestAlone, relaySlowest] = await profiled('parallel', servers, () =>
    alternate([() => checked(sides.chorus, PARALLEL_MODELS, 'chorus'), ...pair([SLOWEST_MODEL])], PARALLEL),
  );
  return {
    throughput: {
      chorus: median(chorusLong!.map(streamRate)),
      relay: median(relayLong!.map(streamRate)),
      chorusWholeRequest: median(chorusLong!.map(requestRate)),
      relayWholeRequest: median(relayLong!.map(requestRate)),
      chorusWallMs: median(chorusLong!.map(wallMs)),
      relayWallMs: median(relayLong!.map(wallMs)),
    },
    firstToken: { chorus: summarize(chorusShort!.map(firstTokenMs)), relay: summarize(relayShort!.map(firstTokenMs)) },
    parallel: {
      togetherMs: median(together!.map(wallMs)),
      slowestAloneMs: median(slowestAlone!.map(wallMs)),
      relaySlowestMs: median(relaySlowest!.map(wallMs)),
    },
  };
}

type SingleStreamFigures = Awaited<ReturnType<typeof measureSingleStreams>>;

function printFigures(database: string, single: SingleStreamFigures, waves: { chorus: WaveResult; relay: WaveResult }) {
  const { throughput, firstToken, parallel } = single;
  const ratio = throughput.chorus / throughput.relay;
  const addedFirstToken = firstToken.chorus.p50 - firstToken.relay.p50;
  const parallelOverhead = parallel.togetherMs - parallel.slowestAloneMs;
  const { chorus: wave, relay: relayWave } = waves;
  const concurrent = formatNumber(wave.count);
  const fullWave = wave.count === TARGET.concurrentReplies;
  const pacing = PARALLEL_MODELS.map((model) => BENCH_MODELS[model].totalMs).join('/');
  printTable(
    `Chat streaming on ${database}: Chorus vs a bare node:http SSE relay of the same instant provider`,
    ['measure', 'Chorus', 'bare relay', 'figure', 'target', 'result'],
    [
      [
        `chunks/s, one ${formatNumber(BENCH_MODELS.long.chunks)}-chunk reply, first to last text (median of ${THROUGHPUT.runs})`,
        formatNumber(throughput.chorus),
        formatNumber(throughput.relay),
        `${formatNumber(ratio, 2)}×`,
        `≥ ${TARGET.throughputRatio}×`,
        verdict(ratio >= TARGET.throughputRatio),
      ],
      [
        `time to first token, p50 (of ${FIRST_TOKEN.runs})`,
        ms(firstToken.chorus.p50),
        ms(firstToken.relay.p50),
        `+${ms(addedFirstToken)}`,
        `≤ +${TARGET.addedFirstTokenMs} ms`,
        verdict(addedFirstToken <= TARGET.addedFirstTokenMs),
      ],
      [
        `${concurrent} concurrent replies: failed streams`,
        formatNumber(wave.failed),
        formatNumber(relayWave.failed),
        formatNumber(wave.failed),
        '0',
        verdict(wave.failed === 0 && fullWave),
      ],
      [
        `${concurrent} concurrent replies: server peak RSS`,
        mb(wave.rssMb.peak),
        mb(relayWave.rssMb.peak),
        mb(wave.rssMb.peak),
        `< ${TARGET.peakRssMb} MB`,
        verdict(wave.rssMb.peak < TARGET.peakRssMb && fullWave),
      ],
      [
        `3 models (${pacing} ms) in one request, request to [DONE] p50 (of ${PARALLEL.runs})`,
        ms(parallel.togetherMs),
        `slowest alone: ${ms(parallel.slowestAloneMs)}`,
        `+${ms(parallelOverhead)}`,
        `≤ +${TARGET.parallelOverheadMs} ms`,
        verdict(parallelOverhead <= TARGET.parallelOverheadMs),
      ],
    ],
  );

  const heapOf = ({ heapMb }: WaveResult) =>
    heapMb ? `${formatNumber(heapMb.used)} / ${mb(heapMb.external)}` : '– (too busy to answer)';
  const perReplyKb = (result: WaveResult) =>
    formatNumber(((result.rssMb.peak - result.rssMb.idle) * 1024) / result.count);
  const details: Row[] = [
    [
      'long reply: chunks/s over the whole request (p50)',
      formatNumber(throughput.chorusWholeRequest),
      formatNumber(throughput.relayWholeRequest),
    ],
    ['long reply: request to [DONE] (p50)', ms(throughput.chorusWallMs), ms(throughput.relayWallMs)],
    ['time to first token p99', ms(firstToken.chorus.p99), ms(firstToken.relay.p99)],
    [`${SLOWEST_MODEL} alone: request to [DONE] (p50)`, ms(parallel.slowestAloneMs), ms(parallel.relaySlowestMs)],
    [
      `${concurrent} at once: the whole wave`,
      `${formatNumber(wave.seconds, 1)} s`,
      `${formatNumber(relayWave.seconds, 1)} s`,
    ],
    [
      `${concurrent} at once: first token p50 / p99`,
      percentiles(wave.firstTokenMs),
      percentiles(relayWave.firstTokenMs),
    ],
    [
      `${concurrent} at once: whole reply p50 / p99 (those that arrived whole)`,
      percentiles(wave.wholeReplyMs),
      percentiles(relayWave.wholeReplyMs),
    ],
    [
      `${concurrent} at once: RSS idle → peak → after`,
      `${formatNumber(wave.rssMb.idle)} → ${mb(wave.rssMb.peak)} → ${mb(wave.rssMb.after)}`,
      `${formatNumber(relayWave.rssMb.idle)} → ${mb(relayWave.rssMb.peak)} → ${mb(relayWave.rssMb.after)}`,
    ],
    [`${concurrent} at once: RSS growth per reply in flight`, `${perReplyKb(wave)} KB`, `${perReplyKb(relayWave)} KB`],
    [`${concurrent} at once: JS heap used / external memory, after`, heapOf(wave), heapOf(relayWave)],
  ];
  printTable('Chat streaming: details', ['measure', 'Chorus', 'bare relay'], details);
  for (const [label, result] of [
    ['Chorus', wave],
    ['relay', relayWave],
  ] as const) {
    for (const [problem, count] of result.problems)
      console.log(`${label}: ${formatNumber(count)} stream(s) failed: ${problem}`);
  }
}

export async function runChatBench(): Promise<void> {
  const only = process.env.CHAT_BENCH_ON;
  if (only !== 'postgres') await benchOn(undefined);
  if (only === 'pglite') return;
  const postgresUrl = await postgresAdminUrl();
  if (postgresUrl) await benchOn(postgresUrl);
  else console.log('\n(no PostgreSQL reachable: the chat suite ran on PGlite only)');
}

/** The whole chat suite against Chorus on PGlite, or on a fresh database of the PostgreSQL at `postgresUrl`. */
async function benchOn(postgresUrl: string | undefined): Promise<void> {
  const phases: [string, number][] = [['start', performance.now()]];
  const phase = (name: string) => phases.push([name, performance.now()]);
  const wanted = Number(process.env.CHAT_BENCH_CONCURRENT ?? TARGET.concurrentReplies);
  const concurrency = streamsWithinFileLimit(wanted);
  if (concurrency.note) console.log(`(${concurrency.note})`);

  const data = await prepareChorusData(postgresUrl);
  const children: ChildServer[] = [];
  try {
    const provider = await startChildServer('provider');
    children.push(provider);
    const starting = await Promise.allSettled([
      startChildServer('relay', { BENCH_PROVIDER_URL: provider.url }),
      startChildServer('chorus', { BENCH_PROVIDER_URL: provider.url, ...data.env }),
    ]);
    for (const result of starting) if (result.status === 'fulfilled') children.push(result.value);
    for (const result of starting) if (result.status === 'rejected') throw result.reason;
    const [relay, chorus] = children.slice(1) as [ChildServer, ChildServer];

    phase('setup');
    const account = await createBenchAccount(chorus.url, BENCH_PUBLIC_URL);
    await chorus.command({ name: 'unlimit-messages', userId: account.userId });
    const chorusEndpoint: ChatEndpoint = {
      url: new URL('/api/chat', chorus.url),
      headers: { authorization: `Bearer ${account.apiKey}` },
    };
    const relayEndpoint: ChatEndpoint = { url: new URL(RELAY_PATH, relay.url), headers: {} };

    const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
    const sideOf =
      ({ url, headers }: ChatEndpoint): Side =>
      (models) =>
        streamChat(url, chatBody(models.map((model) => `bench:${model}`)), { agent, headers });
    const single = await measureSingleStreams({ chorus: sideOf(chorusEndpoint), relay: sideOf(relayEndpoint) }, [
      chorus,
      relay,
    ]);
    agent.destroy();
    phase('single streams');

    const wave = (server: ChildServer, endpoint: ChatEndpoint) =>
      profiled('concurrent', [server], () =>
        runConcurrentWave(
          server,
          { ...endpoint, body: () => chatBody(['bench:short']), expectedPieces: BENCH_MODELS.short.chunks },
          { count: concurrency.count, deadlineMs: WAVE_DEADLINE_MS },
        ),
      );
    // The relay first: replies Chorus has not finished by the deadline would go on loading the machine.
    const relayWave = await wave(relay, relayEndpoint);
    const chorusWave = await wave(chorus, chorusEndpoint);
    // Closing a server still busy with replies the benchmark gave up on only fills the log with failed saves.
    if (chorusWave.failed > 0) await chorus.kill();
    phase('waves');

    printFigures(data.label, single, { chorus: chorusWave, relay: relayWave });
  } finally {
    for (const child of children.reverse()) await child.stop();
    await data.remove();
  }
  phase('end');
  const seconds = (from: number, to: number) => formatNumber((to - from) / 1000);
  const split = phases.slice(1, -1).map(([name, at], index) => `${name} ${seconds(phases[index]![1], at)} s`);
  console.log(
    `\n(the chat suite on ${data.label} took ${seconds(phases[0]![1], phases.at(-1)![1])} s: ${split.join(', ')})`,
  );
}
