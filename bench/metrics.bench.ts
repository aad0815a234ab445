// What the metrics cost a chat: Chorus with metrics on (the default: a count per request, per reply and per
// statement, a gauge per open stream) beside Chorus with CHORUS_METRICS=off, in the same run, on PGlite, against the
// same instant provider. Each server has its own data folder; the measures alternate between them so both see the
// same noise. Target: ≤ 3 % dearer in server CPU per reply and in streaming throughput, and in time to first token.
import { Agent } from 'node:http';
import { chatBody, createBenchAccount, problemWith, type StreamTiming, streamChat } from './support/chat-client.ts';
import { BENCH_PUBLIC_URL, type ChildServer, prepareChorusData, startChildServer } from './support/child-server.ts';
import { runConcurrentWave, streamsWithinFileLimit } from './support/concurrent-wave.ts';
import { BENCH_MODELS, type BenchModelName } from './support/instant-provider.ts';
import { formatNumber, printTable, summarize } from './support/measure.ts';

const TARGET_COST_PERCENT = 3;
const THROUGHPUT = { warmup: 2, runs: 7 };
const FIRST_TOKEN = { warmup: 10, runs: 60 };
const WAVES = { warmup: 1, runs: 4, count: 500 };
const WAVE_DEADLINE_MS = 60_000;

type Side = { name: 'on' | 'off'; server: ChildServer; url: URL; headers: Record<string, string> };

const median = (values: number[]) => summarize(values).p50;

async function stream(side: Side, model: BenchModelName, agent: Agent): Promise<StreamTiming> {
  const timing = await streamChat(side.url, chatBody([`bench:${model}`]), { agent, headers: side.headers });
  const problem = problemWith(timing, BENCH_MODELS[model].chunks);
  if (problem) throw new Error(`metrics ${side.name}, ${model}: ${problem}`);
  return timing;
}

/** `measure` on each side in turn, `runs` times after `warmup`, swapping which goes first each round. */
async function alternate<T>(
  sides: [Side, Side],
  { warmup, runs }: { warmup: number; runs: number },
  measure: (side: Side) => Promise<T>,
): Promise<[T[], T[]]> {
  const results: [T[], T[]] = [[], []];
  for (let round = 0; round < warmup + runs; round++) {
    const order = round % 2 === 0 ? [0, 1] : [1, 0];
    for (const index of order) {
      const result = await measure(sides[index]!);
      if (round >= warmup) results[index]!.push(result);
    }
  }
  return results;
}

async function startSide(name: Side['name'], providerUrl: string) {
  const data = await prepareChorusData(undefined);
  const server = await startChildServer('chorus', {
    BENCH_PROVIDER_URL: providerUrl,
    CHORUS_METRICS: name,
    ...data.env,
  });
  const account = await createBenchAccount(server.url, BENCH_PUBLIC_URL);
  await server.command({ name: 'unlimit-messages', userId: account.userId });
  const side: Side = {
    name,
    server,
    url: new URL('/api/chat', server.url),
    headers: { authorization: `Bearer ${account.apiKey}` },
  };
  return { side, data };
}

export async function runMetricsBench(): Promise<void> {
  const children: ChildServer[] = [];
  const removals: (() => Promise<void>)[] = [];
  try {
    const provider = await startChildServer('provider');
    children.push(provider);
    const on = await startSide('on', provider.url);
    const off = await startSide('off', provider.url);
    for (const started of [on, off]) {
      children.push(started.side.server);
      removals.push(started.data.remove);
    }
    const sides: [Side, Side] = [on.side, off.side];

    const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
    const rate = (timing: StreamTiming) => (timing.pieces / (timing.endedAt - timing.startedAt)) * 1000;
    const [throughputOn, throughputOff] = await alternate(sides, THROUGHPUT, async (side) =>
      rate(await stream(side, 'long', agent)),
    );
    const [firstOn, firstOff] = await alternate(sides, FIRST_TOKEN, async (side) => {
      const timing = await stream(side, 'short', agent);
      return timing.firstDeltaAt! - timing.startedAt;
    });
    agent.destroy();

    const count = streamsWithinFileLimit(WAVES.count).count;
    const [wavesOn, wavesOff] = await alternate(sides, WAVES, async (side) => {
      const wave = await runConcurrentWave(
        side.server,
        { url: side.url, headers: side.headers, body: () => chatBody(['bench:short']), expectedPieces: 20 },
        { count, deadlineMs: WAVE_DEADLINE_MS },
      );
      if (wave.failed > 0) throw new Error(`metrics ${side.name}: ${wave.failed} of ${count} replies failed`);
      return wave;
    });

    const throughput = { on: median(throughputOn), off: median(throughputOff) };
    const firstToken = { on: median(firstOn), off: median(firstOff) };
    const cpuPerReply = {
      on: median(wavesOn.map((wave) => wave.cpuMs / wave.count)),
      off: median(wavesOff.map((wave) => wave.cpuMs / wave.count)),
    };
    const waveSeconds = {
      on: median(wavesOn.map((wave) => wave.seconds)),
      off: median(wavesOff.map((wave) => wave.seconds)),
    };
    const costs = {
      throughput: (1 - throughput.on / throughput.off) * 100,
      firstToken: (firstToken.on / firstToken.off - 1) * 100,
      cpu: (cpuPerReply.on / cpuPerReply.off - 1) * 100,
      wave: (waveSeconds.on / waveSeconds.off - 1) * 100,
    };
    const percent = (value: number) => `${value >= 0 ? '+' : ''}${formatNumber(value, 1)} %`;
    const verdict = (value: number) => (value <= TARGET_COST_PERCENT ? 'PASS' : 'MISS');
    printTable(
      'Chat with metrics on vs CHORUS_METRICS=off (PGlite, same run, alternating)',
      ['measure', 'metrics on', 'metrics off', 'cost', 'target', 'result'],
      [
        [
          `chunks/s, one ${formatNumber(BENCH_MODELS.long.chunks)}-chunk reply, whole request (median of ${THROUGHPUT.runs})`,
          formatNumber(throughput.on),
          formatNumber(throughput.off),
          percent(costs.throughput),
          `≤ ${TARGET_COST_PERCENT} %`,
          verdict(costs.throughput),
        ],
        [
          `time to first token p50 (of ${FIRST_TOKEN.runs})`,
          `${formatNumber(firstToken.on, 2)} ms`,
          `${formatNumber(firstToken.off, 2)} ms`,
          percent(costs.firstToken),
          `≤ ${TARGET_COST_PERCENT} %`,
          verdict(costs.firstToken),
        ],
        [
          `server CPU per reply, ${formatNumber(count)} at once (median of ${WAVES.runs} waves)`,
          `${formatNumber(cpuPerReply.on, 2)} ms`,
          `${formatNumber(cpuPerReply.off, 2)} ms`,
          percent(costs.cpu),
          `≤ ${TARGET_COST_PERCENT} %`,
          verdict(costs.cpu),
        ],
        [
          `${formatNumber(count)} at once: the whole wave (median)`,
          `${formatNumber(waveSeconds.on, 2)} s`,
          `${formatNumber(waveSeconds.off, 2)} s`,
          percent(costs.wave),
          '–',
          '–',
        ],
      ],
    );
  } finally {
    for (const child of children.reverse()) await child.stop();
    for (const remove of removals) await remove();
  }
}
