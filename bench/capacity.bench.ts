// Capacity benchmark: many people chatting with one server on two cores, at the pace real models answer (50 words,
// 50 ms apart), so that what is measured is the server's work per chat and not how fast it can drain a burst.
//   1. A thousand people each start a new chat in the same instant. Baseline: the same client reading the provider
//      directly, in the same run. Reported: failed chats, first token p50 / p99, the whole wave, the server's CPU per
//      chat split into set-up and per-chunk cost (a second wave of one-word replies, which is nearly all set-up),
//      and its peak RSS.
//   2. Two hundred people chatting without pause for 30 s, each in a conversation of their own that grows turn by
//      turn: first token and whole turn, p50 / p99. Run on the embedded database and on PostgreSQL, the embedded
//      database's p99 is held against PostgreSQL's.
// Targets: 0 failed; first token p50 ≤ 0.5 s and p99 ≤ 2 s; server CPU ≤ 8 ms per chat; steady p99 on the embedded
// database ≤ 2× PostgreSQL's. Chorus runs in a child process (support/child-server.ts) on the embedded database, then
// on PostgreSQL when one is reachable; CAPACITY_BENCH_ON=pglite (or postgres) runs one of them; CAPACITY_BENCH_CHATS,
// CAPACITY_BENCH_USERS and CAPACITY_BENCH_SECONDS make it smaller while working on it; CAPACITY_BENCH_CPU_PROFILE=<dir>
// writes CPU profiles of the server during the paced burst and the one-word wave; CHORUS_MAX_CONCURRENT_SETUPS is
// passed on to the server. The chat server's CPU is its process's, all threads;
// PostgreSQL's own processes are not counted.
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

const TARGET = { firstTokenP50Ms: 500, firstTokenP99Ms: 2_000, cpuPerChatMs: 8, embeddedOverPostgresP99: 2 };
const BURST = { chats: 1_000, deadlineMs: 60_000 };
const STEADY = {
  users: Number(process.env.CAPACITY_BENCH_USERS ?? 200),
  seconds: Number(process.env.CAPACITY_BENCH_SECONDS ?? 30),
};
const PACED: BenchModelName = 'words';
const SETUP_ONLY: BenchModelName = 'word';

type Endpoint = { url: URL; headers: Record<string, string> };
type Burst = { chorus: WaveResult; provider: WaveResult; setUpOnly: WaveResult };
type Steady = { turns: number; failed: number; problems: Map<string, number>; firstTokenMs: Timing; turnMs: Timing };
type DatabaseFigures = { database: string; burst: Burst; steady: Steady };

const ms = (value: number) => `${formatNumber(value, 1)} ms`;
const seconds = (value: number) => `${formatNumber(value / 1000, 2)} s`;
const verdict = (pass: boolean) => (pass ? 'PASS' : 'MISS');

export async function runCapacityBench(): Promise<void> {
  const only = process.env.CAPACITY_BENCH_ON;
  const figures: DatabaseFigures[] = [];
  if (only !== 'postgres') figures.push(await benchOn(undefined));
  if (only !== 'pglite') {
    const postgresUrl = await postgresAdminUrl();
    if (postgresUrl) figures.push(await benchOn(postgresUrl));
    else console.log('\n(no PostgreSQL reachable: the capacity suite ran on PGlite only)');
  }
  printBurst(figures);
  printSteady(figures);
}

async function benchOn(postgresUrl: string | undefined): Promise<DatabaseFigures> {
  const startedAt = performance.now();
  const wanted = Number(process.env.CAPACITY_BENCH_CHATS ?? BURST.chats);
  const concurrency = streamsWithinFileLimit(wanted);
  if (concurrency.note) console.log(`(${concurrency.note})`);
  const data = await prepareChorusData(postgresUrl);
  const children: ChildServer[] = [];
  try {
    const provider = await startChildServer('provider');
    children.push(provider);
    const chorus = await startChildServer('chorus', { BENCH_PROVIDER_URL: provider.url, ...data.env });
    children.push(chorus);
    const account = await createBenchAccount(chorus.url, BENCH_PUBLIC_URL);
    await chorus.command({ name: 'unlimit-messages', userId: account.userId });
    const chorusEndpoint: Endpoint = {
      url: new URL('/api/chat', chorus.url),
      headers: { authorization: `Bearer ${account.apiKey}` },
    };

    const burst = async (server: ChildServer, model: BenchModelName, body: () => string, endpoint: Endpoint) =>
      runConcurrentWave(
        server,
        {
          ...endpoint,
          body,
          expectedPieces: BENCH_MODELS[model].chunks,
          textEvents: server === provider ? 'every-event' : 'ui-text-deltas',
        },
        { count: concurrency.count, deadlineMs: BURST.deadlineMs },
      );
    const providerEndpoint: Endpoint = { url: new URL('/v1/chat/completions', provider.url), headers: {} };
    const direct = await burst(provider, PACED, () => providerBody(PACED), providerEndpoint);
    const profileDir = process.env.CAPACITY_BENCH_CPU_PROFILE;
    /** The wave, profiled when asked (into <dir>/<name>-<database>.cpuprofile). */
    const profiled = async <Result>(name: string, wave: () => Promise<Result>): Promise<Result> => {
      if (!profileDir) return wave();
      await chorus.command({ name: 'profile-start' });
      const result = await wave();
      mkdirSync(profileDir, { recursive: true });
      const file = path.resolve(profileDir, `${name}-${postgresUrl ? 'postgres' : 'pglite'}.cpuprofile`);
      await chorus.command({ name: 'profile-stop', path: file });
      return result;
    };
    const paced = await profiled('burst', () =>
      burst(chorus, PACED, () => chatBody([`bench:${PACED}`]), chorusEndpoint),
    );
    const setUpOnly = await profiled('setup', () =>
      burst(chorus, SETUP_ONLY, () => chatBody([`bench:${SETUP_ONLY}`]), chorusEndpoint),
    );
    const steady = await chatSteadily(chorusEndpoint);
    console.log(`(the capacity suite on ${data.label} took ${seconds(performance.now() - startedAt)})`);
    return { database: data.label, burst: { chorus: paced, provider: direct, setUpOnly }, steady };
  } finally {
    for (const child of children.reverse()) await child.stop();
    await data.remove();
  }
}

/** A Chat Completions request straight to the provider, as a client would send it without Chorus. */
function providerBody(model: BenchModelName): string {
  return JSON.stringify({
    model,
    messages: [{ role: 'user', content: 'Say something.' }],
    stream: true,
    stream_options: { include_usage: true },
  });
}

/**
 * `STEADY.users` people, each sending a message into a conversation of their own as soon as the last reply ended,
 * for `STEADY.seconds`: the first message starts the chat, every later one carries only the new message (as a
 * client that keeps its history sends it).
 */
async function chatSteadily(endpoint: Endpoint): Promise<Steady> {
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  const endAt = performance.now() + STEADY.seconds * 1000;
  const timings: StreamTiming[] = [];
  const person = async (index: number) => {
    const conversationId = crypto.randomUUID();
    for (let turn = 0; performance.now() < endAt; turn++) {
      const text = `Message ${turn} of person ${index}.`;
      const body =
        turn === 0
          ? chatBody([`bench:${PACED}`], text, conversationId)
          : JSON.stringify({
              id: conversationId,
              message: { id: crypto.randomUUID(), role: 'user', parts: [{ type: 'text', text }] },
              modelIds: [`bench:${PACED}`],
            });
      const timing = await streamChat(endpoint.url, body, { agent, headers: endpoint.headers });
      timings.push(timing);
      // A refused or broken turn ends this person's chatting: retrying at once would only measure the refusal.
      if (problemWith(timing, BENCH_MODELS[PACED].chunks)) return;
    }
  };
  await Promise.all(Array.from({ length: STEADY.users }, (_, index) => person(index)));
  agent.destroy();
  const problems = new Map<string, number>();
  const whole = timings.filter((timing) => {
    const problem = problemWith(timing, BENCH_MODELS[PACED].chunks);
    if (problem) problems.set(problem, (problems.get(problem) ?? 0) + 1);
    return !problem;
  });
  return {
    turns: timings.length,
    failed: timings.length - whole.length,
    problems,
    firstTokenMs: summarize(whole.map((timing) => timing.firstDeltaAt! - timing.startedAt)),
    turnMs: summarize(whole.map((timing) => timing.endedAt - timing.startedAt)),
  };
}

/**
 * The server's CPU per chat, and its split: a one-word turn is set-up and one chunk, a paced turn set-up and 50
 * chunks, so the difference per extra chunk is the per-chunk cost and what remains of the one-word turn the set-up.
 */
function cpuSplit({ chorus, setUpOnly }: Burst) {
  const perChat = chorus.cpuMs / chorus.count;
  const perSetUpOnlyChat = setUpOnly.cpuMs / setUpOnly.count;
  const extraChunks = BENCH_MODELS[PACED].chunks - BENCH_MODELS[SETUP_ONLY].chunks;
  const perChunk = (perChat - perSetUpOnlyChat) / extraChunks;
  return { perChat, perChunk, setUp: perSetUpOnlyChat - perChunk * BENCH_MODELS[SETUP_ONLY].chunks };
}

function printBurst(figures: DatabaseFigures[]) {
  const rows: (string | number)[][] = [];
  for (const { database, burst } of figures) {
    const { chorus, provider } = burst;
    const cpu = cpuSplit(burst);
    const wholeWave = chorus.count === burst.provider.count && chorus.count > 0;
    rows.push(
      [
        database,
        `${formatNumber(chorus.count)} new chats: failed`,
        formatNumber(chorus.failed),
        formatNumber(provider.failed),
        '0',
        verdict(chorus.failed === 0 && wholeWave),
      ],
      [
        database,
        'first token p50',
        ms(chorus.firstTokenMs.p50),
        ms(provider.firstTokenMs.p50),
        `≤ ${TARGET.firstTokenP50Ms} ms`,
        verdict(chorus.firstTokenMs.p50 <= TARGET.firstTokenP50Ms),
      ],
      [
        database,
        'first token p99',
        ms(chorus.firstTokenMs.p99),
        ms(provider.firstTokenMs.p99),
        `≤ ${TARGET.firstTokenP99Ms} ms`,
        verdict(chorus.firstTokenMs.p99 <= TARGET.firstTokenP99Ms),
      ],
      [database, 'the whole wave', seconds(chorus.seconds * 1000), seconds(provider.seconds * 1000), '–', ''],
      [
        database,
        'server CPU per chat (set-up + 50 × per chunk)',
        `${ms(cpu.perChat)} (${ms(cpu.setUp)} + 50 × ${formatNumber(cpu.perChunk * 1000)} µs)`,
        ms(provider.cpuMs / provider.count),
        `≤ ${TARGET.cpuPerChatMs} ms`,
        verdict(cpu.perChat <= TARGET.cpuPerChatMs),
      ],
      [
        database,
        'server RSS idle → peak',
        `${formatNumber(chorus.rssMb.idle)} → ${formatNumber(chorus.rssMb.peak)} MB`,
        `${formatNumber(provider.rssMb.idle)} → ${formatNumber(provider.rssMb.peak)} MB`,
        '–',
        '',
      ],
    );
  }
  printTable(
    `${formatNumber(figures[0]?.burst.chorus.count ?? 0)} people start a chat at once; each reply 50 words, 50 ms apart (the provider read directly is the baseline)`,
    ['database', 'measure', 'Chorus', 'provider directly', 'target', 'result'],
    rows,
  );
  for (const { database, burst } of figures) {
    for (const [label, wave] of [
      ['Chorus', burst.chorus],
      ['Chorus, one-word replies', burst.setUpOnly],
      ['provider', burst.provider],
    ] as const) {
      for (const [problem, count] of wave.problems)
        console.log(`${database}, ${label}: ${formatNumber(count)} stream(s) failed: ${problem}`);
    }
  }
}

function printSteady(figures: DatabaseFigures[]) {
  const postgres = figures.find((figure) => figure.database === 'PostgreSQL');
  const rows = figures.map(({ database, steady }) => {
    const against =
      postgres && database !== 'PostgreSQL' ? steady.firstTokenMs.p99 / postgres.steady.firstTokenMs.p99 : undefined;
    return [
      database,
      formatNumber(steady.turns),
      formatNumber(steady.failed),
      `${ms(steady.firstTokenMs.p50)} / ${ms(steady.firstTokenMs.p99)}`,
      `${ms(steady.turnMs.p50)} / ${ms(steady.turnMs.p99)}`,
      against === undefined ? '–' : `${formatNumber(against, 2)}× (≤ ${TARGET.embeddedOverPostgresP99}×)`,
      against === undefined ? '' : verdict(against <= TARGET.embeddedOverPostgresP99 && steady.failed === 0),
    ];
  });
  printTable(
    `${STEADY.users} people chatting without pause for ${STEADY.seconds} s (replies 50 words, 50 ms apart: 2.5 s alone)`,
    [
      'database',
      'turns',
      'failed',
      'first token p50 / p99',
      'whole turn p50 / p99',
      'first-token p99 vs PostgreSQL',
      'result',
    ],
    rows,
  );
  for (const { database, steady } of figures) {
    for (const [problem, count] of steady.problems)
      console.log(`${database}: ${formatNumber(count)} turn(s) failed: ${problem}`);
  }
}
