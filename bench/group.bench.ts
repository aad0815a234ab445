// Group conversation benchmark (issue 5), on PGlite and on PostgreSQL (when reachable: BENCH_DATABASE_URL,
// TEST_DATABASE_URL or the local default), Chorus in a child process of its own (support/group-server.ts):
//   1. a first-responder round, 1 lead + 4 followers, through POST /api/chat until its stream ends, against the
//      sum and the max of the same models' replies alone, measured in the same run; a parallel round of the 5 too.
//      Twice: models that stream instantly (what the server itself adds) and models paced 30–60 ms (so the sum
//      and the max differ). Expected: ≈ lead + slowest follower + a small overhead; parallel ≈ the slowest.
//   2. event fan-out: 200 listeners of one conversation's events (real HTTP/SSE), one message at a time, each
//      answered by a model streaming for 100 ms; the delay from just before the POST to each listener's
//      `message-created` and first `reply-delta`, against one listener alone. In-process events, and on Redis when
//      reachable (BENCH_REDIS_URL, TEST_REDIS_URL or the local default).
// Targets: first responder ≤ lead alone + slowest follower alone + 50 ms; parallel ≤ slowest alone + 20 ms; fan-out,
// p99 of the typical message across 200 listeners: < 50 ms to message-created, < 100 ms to the first reply-delta.
// `npm run bench group`. Figures print with PASS/MISS; a miss never fails the run. GROUP_BENCH_CPU_PROFILE=<dir>
// writes CPU profiles of each Chorus server the suite starts into <dir>/<database>-<events>/.
import { Agent } from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createBenchAccount } from './support/chat-client.ts';
import { BENCH_PUBLIC_URL, type ChorusData, prepareChorusData } from './support/child-server.ts';
import { postgresAdminUrl } from './support/databases.ts';
import { type FanOutSamples, measureFanOut } from './support/fan-out.ts';
import { startGroupServer } from './support/group-server.ts';
import { type GroupModels, type GroupTurnFigures, groupTurnFigures, measureGroupTurns } from './support/group-turns.ts';
import { type InstantModel, startInstantProvider } from './support/instant-provider.ts';
import { formatNumber, printTable, summarize } from './support/measure.ts';
import { median } from './support/paired-timing.ts';
import { reachableRedisUrl } from './support/redis.ts';
import { type ChatTarget, sendChecked } from './support/turn-client.ts';

const TARGET = {
  /** A first-responder round ≤ the lead alone + the slowest follower alone + this. */
  firstResponderOverMs: 50,
  /** A parallel round ≤ the slowest model alone + this (the chat benchmark's target for several models). */
  parallelOverMs: 20,
  messageCreatedP99Ms: 50,
  /** Deltas are coalesced for up to 50 ms (events/turn-relay.ts) before they go out: the window + 50 ms. */
  firstDeltaP99Ms: 100,
};
const TURNS = { warmup: 2, runs: 8, setupConcurrency: 4 };
const FAN_OUT = { listeners: 200, warmup: 2, messages: 12, timeoutMs: 10_000 };
/** Messages a server answers before any fan-out is timed: the Redis one is fresh (cold code, cold caches). */
const FAN_OUT_SERVER_WARMUP = 8;

/** The provider's models: 20 pieces of text at once, or 10 spread over a fixed time (the last at that time). */
const INSTANT: InstantModel = { chunks: 20 };
const PACED_LEAD_MS = 30;
const PACED_FOLLOWER_MS = [30, 40, 50, 60];
const FAN_OUT_REPLY_MS = 100;
const PROVIDER_MODELS: Record<string, InstantModel> = {
  'instant-lead': INSTANT,
  ...Object.fromEntries([1, 2, 3, 4].map((number) => [`instant-${number}`, INSTANT])),
  [`paced-lead-${PACED_LEAD_MS}`]: { chunks: 10, totalMs: PACED_LEAD_MS },
  ...Object.fromEntries(PACED_FOLLOWER_MS.map((totalMs) => [`paced-${totalMs}`, { chunks: 10, totalMs }])),
  // Longer than the relay's 50 ms window, so listeners' deltas go through it as in a real reply.
  [`steady-${FAN_OUT_REPLY_MS}`]: { chunks: 10, totalMs: FAN_OUT_REPLY_MS },
};
const chorusId = (name: string) => `group:${name}`;
const MODEL_SETS: { label: string; models: GroupModels }[] = [
  {
    label: 'instant',
    models: { lead: chorusId('instant-lead'), followers: [1, 2, 3, 4].map((number) => chorusId(`instant-${number}`)) },
  },
  {
    label: `paced: lead ${PACED_LEAD_MS}, followers ${PACED_FOLLOWER_MS.join('/')} ms`,
    models: {
      lead: chorusId(`paced-lead-${PACED_LEAD_MS}`),
      followers: PACED_FOLLOWER_MS.map((totalMs) => chorusId(`paced-${totalMs}`)),
    },
  },
];
const FAN_OUT_MODEL = chorusId(`steady-${FAN_OUT_REPLY_MS}`);

type Row = (string | number)[];
type FanOutResult = { events: string; samples: FanOutSamples };
type DatabaseResult = { label: string; turns: { label: string; figures: GroupTurnFigures }[]; fanOut: FanOutResult[] };

const verdict = (pass: boolean) => (pass ? 'PASS' : 'MISS');
const ms = (value: number) => formatNumber(value, 1);
const signedMs = (value: number) => `${value >= 0 ? '+' : '−'}${ms(Math.abs(value))}`;
const ratio = (value: number) => `${formatNumber(value, 2)}×`;

/** One listener, then 200, on a conversation of its own answered by one steadily streaming model. */
async function fanOutVariants(target: ChatTarget, events: string): Promise<FanOutResult[]> {
  const conversationId = crypto.randomUUID();
  await sendChecked(target, conversationId, { text: 'Hello, everyone.', modelIds: [FAN_OUT_MODEL], replies: 1 });
  for (let index = 0; index < FAN_OUT_SERVER_WARMUP; index++) {
    await sendChecked(target, conversationId, { text: `Warming up, ${index}.`, replies: 1 });
  }
  const results: FanOutResult[] = [];
  for (const listeners of [1, FAN_OUT.listeners]) {
    results.push({ events, samples: await measureFanOut(target, conversationId, { ...FAN_OUT, listeners }) });
  }
  return results;
}

async function withServer<T>(
  data: ChorusData,
  providerUrl: string,
  redisUrl: string | undefined,
  work: (target: ChatTarget) => Promise<T>,
  account?: { apiKey: string },
): Promise<{ result: T; apiKey: string }> {
  const profileDir = process.env.GROUP_BENCH_CPU_PROFILE;
  const server = await startGroupServer({
    providerUrl,
    models: Object.keys(PROVIDER_MODELS),
    data: data.env,
    redisUrl,
    cpuProfileDir: profileDir
      ? path.resolve(
          profileDir,
          `${data.label.replace(/\W+/g, '-').replace(/-$/, '')}-${redisUrl ? 'redis' : 'in-process'}`,
        )
      : undefined,
  });
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  try {
    // The first account of a fresh server is its admin, whom no daily message limit holds back.
    const apiKey = account?.apiKey ?? (await createBenchAccount(server.url, BENCH_PUBLIC_URL)).apiKey;
    return { result: await work({ baseUrl: server.url, apiKey, agent }), apiKey };
  } finally {
    agent.destroy();
    await server.stop();
  }
}

async function benchOneDatabase(
  data: ChorusData,
  providerUrl: string,
  redisUrl: string | undefined,
): Promise<DatabaseResult> {
  const spent: string[] = [];
  const stage = async <T>(name: string, action: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const result = await action();
    spent.push(`${name} ${formatNumber((performance.now() - started) / 1000, 1)} s`);
    return result;
  };
  const inProcess = await stage('in-process events', () =>
    withServer(data, providerUrl, undefined, async (target) => {
      const turns: DatabaseResult['turns'] = [];
      for (const { label, models } of MODEL_SETS) {
        const samples = await measureGroupTurns(target, models, TURNS);
        turns.push({ label, figures: groupTurnFigures(samples, models) });
      }
      return { turns, fanOut: await fanOutVariants(target, 'in-process') };
    }),
  );
  const fanOut = inProcess.result.fanOut;
  if (redisUrl) {
    // A second server on the same data (one at a time: PGlite's folder has a single owner), events on Redis.
    const onRedis = await stage('Redis events', () =>
      withServer(data, providerUrl, redisUrl, (target) => fanOutVariants(target, 'Redis'), {
        apiKey: inProcess.apiKey,
      }),
    );
    fanOut.push(...onRedis.result);
  }
  console.log(`${data.label}: ${spent.join(', ')}`);
  return { label: data.label, turns: inProcess.result.turns, fanOut };
}

function turnRows({ label: database, turns }: DatabaseResult): Row[] {
  return turns.flatMap(({ label, figures }) => {
    const { firstResponder, parallel, leadAloneMs, slowestFollowerAloneMs, sumAloneMs, maxAloneMs } = figures;
    const expectedFirstResponder = leadAloneMs + slowestFollowerAloneMs;
    const firstResponderOver = firstResponder.p50 - expectedFirstResponder;
    const parallelOver = parallel.p50 - maxAloneMs;
    const round = (name: string, timing: typeof parallel): Row => [
      database,
      label,
      name,
      `${ms(timing.p50)} (${ms(timing.p99)})`,
      ms(sumAloneMs),
      ms(maxAloneMs),
      ratio(timing.p50 / sumAloneMs),
      ratio(timing.p50 / maxAloneMs),
    ];
    return [
      [
        ...round('first responder, 1 + 4', firstResponder),
        `≤ lead + slowest follower alone (${ms(expectedFirstResponder)}) + ${TARGET.firstResponderOverMs}`,
        signedMs(firstResponderOver),
        verdict(firstResponderOver <= TARGET.firstResponderOverMs),
      ],
      [
        ...round('parallel, 5', parallel),
        `≤ slowest alone (${ms(maxAloneMs)}) + ${TARGET.parallelOverMs}`,
        signedMs(parallelOver),
        verdict(parallelOver <= TARGET.parallelOverMs),
      ],
    ];
  });
}

function stageRows({ label: database, turns }: DatabaseResult): Row[] {
  return turns.map(({ label, figures }) => {
    const { stages, aloneStages, leadFirst, followersOverlapped, firstResponder } = figures;
    return [
      database,
      label,
      ms(stages.beforeLead),
      ms(stages.lead),
      ms(stages.gap),
      ms(stages.followers),
      ms(stages.afterLast),
      `${leadFirst} / ${followersOverlapped} of ${firstResponder.count}`,
      `${ms(aloneStages.beforeReply)} / ${ms(aloneStages.reply)} / ${ms(aloneStages.afterReply)}`,
      [...figures.aloneMs.values()].map(ms).join(' / '),
    ];
  });
}

/**
 * The listeners of one message share its fate (a pause of the server or the machine delays all 200 at once), so
 * the pooled p99 is the worst message's; the target is held against the typical message: the median over the
 * messages of each one's p99 across its listeners.
 */
function fanOutRows({ label: database, fanOut }: DatabaseResult): Row[] {
  return fanOut.map(({ events, samples }) => {
    const { messageCreatedMs, firstDeltaMs, askerFirstDeltaMs } = samples;
    const pooled = (perMessage: number[][]) => {
      const all = perMessage.flat();
      const timing = summarize(all);
      return `${ms(timing.p50)} / ${ms(timing.p99)} / ${ms(Math.max(...all))}`;
    };
    const typicalP99 = (perMessage: number[][]) => median(perMessage.map((values) => summarize(values).p99));
    const created = typicalP99(messageCreatedMs);
    const delta = typicalP99(firstDeltaMs);
    const spread = median(messageCreatedMs.map((values) => Math.max(...values) - Math.min(...values)));
    const behindAsker = median(firstDeltaMs.map((values, index) => median(values) - askerFirstDeltaMs[index]!));
    return [
      database,
      events,
      `${samples.listeners} × ${messageCreatedMs.length}`,
      pooled(messageCreatedMs),
      pooled(firstDeltaMs),
      `${ms(created)} / ${ms(delta)}`,
      ms(spread),
      ms(median(askerFirstDeltaMs)),
      ms(behindAsker),
      `< ${TARGET.messageCreatedP99Ms} / < ${TARGET.firstDeltaP99Ms}`,
      verdict(created < TARGET.messageCreatedP99Ms && delta < TARGET.firstDeltaP99Ms),
    ];
  });
}

export async function runGroupBench(): Promise<void> {
  const started = performance.now();
  const provider = await startInstantProvider(PROVIDER_MODELS);
  const providerUrl = `http://127.0.0.1:${provider.port}`;
  const redisUrl = await reachableRedisUrl();
  if (!redisUrl) console.log('(no Redis reachable: the Redis rows are skipped)');
  const postgresUrl = await postgresAdminUrl();
  if (!postgresUrl) console.log('(no PostgreSQL reachable: PostgreSQL rows are skipped)');
  const results: DatabaseResult[] = [];
  try {
    for (const backend of postgresUrl ? [undefined, postgresUrl] : [undefined]) {
      const data = await prepareChorusData(backend);
      try {
        results.push(await benchOneDatabase(data, providerUrl, redisUrl));
      } finally {
        await data.remove();
      }
    }
  } finally {
    await provider.close();
  }

  printTable(
    `Group turns through POST /api/chat, request to end of stream, ms: p50 (max) of ${TURNS.runs}, vs each model alone (p50)`,
    [
      'database',
      'models',
      'round',
      'p50 (max) ms',
      'sum alone',
      'max alone',
      '/ sum',
      '/ max',
      'target (ms)',
      'over the lead + slowest, or the slowest',
      'result',
    ],
    results.flatMap(turnRows),
  );
  printTable(
    'Where a first-responder turn goes, medians in ms as the asker’s stream shows them (each alone: the same three parts)',
    [
      'database',
      'models',
      'request → lead created',
      'lead',
      'lead done → first follower created',
      'followers, first created → last done',
      'last done → end',
      'lead first / followers overlapped',
      'each alone: request → created / reply / done → end',
      'each alone p50 (lead, followers)',
    ],
    results.flatMap(stageRows),
  );
  printTable(
    'Event fan-out: ms from just before the POST to each listener’s event (one listener, then many, on one conversation)',
    [
      'database',
      'events',
      'listeners × messages',
      'message-created p50 / p99 / max, all',
      'first reply-delta p50 / p99 / max, all',
      'p99 of the typical message: created / delta',
      'spread, last − first listener (p50)',
      'asker’s first text (p50)',
      'listeners’ first delta after the asker’s (p50)',
      'target (typical p99)',
      'result',
    ],
    results.flatMap(fanOutRows),
  );
  console.log(`\n(the group suite took ${formatNumber((performance.now() - started) / 1000)} s)`);
}
