// Discord bot benchmark: 100 channels of the fake Discord each send the bot a message at once; a fast paced provider
// answers each (first words after 50 ms, the whole reply over 2 s). Chorus runs in this process on the embedded
// database, the real discord.js against the fake Discord on 127.0.0.1, edits paced at their real 1 s.
// Figures (second round: each channel's webhook exists): every reply complete; p50 and p99 from MESSAGE_CREATE (the fake's dispatch) to the reply's first words
// stored in the fake, beside the provider's own time to first words for 100 streams at once measured in the same
// run (target: p50 ≤ provider + 300 ms); edits per message per second (≤ 1); the process's added RSS with the bot
// (its peak during the run less before the bot started; the fake Discord's own memory is in it too).
// `npm run bench discord`. Figures print with PASS/MISS; a miss never fails the run.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { readEnvironment } from '../src/config/env.ts';
import { openDatabase } from '../src/db/client.ts';
import { migrateUp } from '../src/db/migrations/migrator.ts';
import { discordBotOf } from '../src/discord/bot-from-runtime.ts';
import { registerDeclaredModels } from '../src/providers/index.ts';
import { openRuntime } from '../src/runtime.ts';
import { type FakeDiscord, type FakeMessage, startFakeDiscord } from '../test/support/fake-discord/index.ts';
import { CHUNK_TEXT, type InstantModel, startInstantProvider } from './support/instant-provider.ts';
import { formatNumber, printTable, summarize } from './support/measure.ts';

const CHANNELS = 100;
const MODEL: InstantModel = { chunks: 40, totalMs: 2_000 };
const REPLY = CHUNK_TEXT.repeat(MODEL.chunks);
const TARGET = { overProviderP50Ms: 300, editsPerSecond: 1 };
const TIMEOUT_MS = 60_000;

export async function runDiscordBench(): Promise<void> {
  const provider = await startInstantProvider({ fast: MODEL });
  const providerUrl = `http://127.0.0.1:${provider.port}/v1`;
  const providerFirstWords = await measureProviderFirstWords(providerUrl);

  const discord = await startFakeDiscord({
    guilds: [{ name: 'Bench', channels: Array.from({ length: CHANNELS }, (_, index) => ({ name: `room-${index}` })) }],
    users: Array.from({ length: CHANNELS }, (_, index) => ({ username: `person-${index}` })),
    heartbeatIntervalMs: 5_000,
  });
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'chorus-discord-bench-'));
  const database = await openDatabase({ memory: true });
  await migrateUp(database.db);
  const runtime = await openRuntime(
    readEnvironment({
      DATA_DIR: dataDir,
      CHORUS_PROVIDER_BENCH_BASE_URL: providerUrl,
      CHORUS_PROVIDER_BENCH_MODELS: 'fast',
      DISCORD_BOT_TOKEN: discord.token,
      DISCORD_API_URL: discord.apiUrl,
    }),
    { database, migrate: false, seedIfEmpty: false, registerDeclaredModels: false },
  );
  await registerDeclaredModels(runtime.database.db, runtime.providers);
  await runtime.modelCache.refresh();
  try {
    global.gc?.();
    const rssBefore = process.memoryUsage.rss();
    let rssPeak = rssBefore;
    const sampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
    }, 50);
    const bot = discordBotOf(runtime)!;
    bot.start();
    await discord.waitForSessions(1, 30_000);
    await discord.waitUntil(() => discord.commands().length > 0, 'the slash commands', 30_000);

    const channelIds = Array.from({ length: CHANNELS }, (_, index) => discord.channel(`room-${index}`).id);
    // The first message of each channel also finds or makes its webhook (two requests against the bot's global
    // limit of 50 a second), once in the channel's life: timed apart from the steady state.
    const cold = summarize((await round(discord, channelIds)).map((result) => result.firstWordsMs));
    const results = await round(discord, channelIds);
    clearInterval(sampler);
    await bot.stop();

    const latencies = summarize(results.map((result) => result.firstWordsMs));
    const editRates = results.map((result) => result.editsPerSecond);
    const maxEditRate = Math.max(...editRates);
    const complete = results.filter((result) => result.complete).length;
    const pass = (ok: boolean) => (ok ? 'PASS' : 'MISS');
    printTable(
      `${CHANNELS} channels at once, a provider streaming ${MODEL.chunks} pieces over ${MODEL.totalMs} ms (provisional on a shared machine)`,
      ['figure', 'value', 'baseline / target', ''],
      [
        ['replies complete', `${complete} / ${CHANNELS}`, `${CHANNELS}`, pass(complete === CHANNELS)],
        [
          'MESSAGE_CREATE → first words posted, p50 (ms)',
          formatNumber(latencies.p50, 1),
          `provider p50 ${formatNumber(providerFirstWords.p50, 1)} + ${TARGET.overProviderP50Ms}`,
          pass(latencies.p50 <= providerFirstWords.p50 + TARGET.overProviderP50Ms),
        ],
        [
          'MESSAGE_CREATE → first words posted, p99 (ms)',
          formatNumber(latencies.p99, 1),
          `provider p99 ${formatNumber(providerFirstWords.p99, 1)}`,
          '',
        ],
        [
          'edits per message per second, mean / max',
          `${formatNumber(mean(editRates), 2)} / ${formatNumber(maxEditRate, 2)}`,
          `≤ ${TARGET.editsPerSecond}`,
          pass(maxEditRate <= TARGET.editsPerSecond),
        ],
        [
          'first message of each channel (webhook made), p50 / p99 (ms)',
          `${formatNumber(cold.p50, 1)} / ${formatNumber(cold.p99, 1)}`,
          '',
          '',
        ],
        ['added RSS with the bot, peak (MB)', formatNumber((rssPeak - rssBefore) / 2 ** 20, 1), '', ''],
      ],
    );
  } finally {
    await runtime.close();
    rmSync(dataDir, { recursive: true, force: true });
    await discord.close();
    await provider.close();
  }
}

type RoundResult = { firstWordsMs: number; editsPerSecond: number; complete: boolean };

/** One message in each channel at once; resolves when every reply is complete. */
async function round(discord: FakeDiscord, channelIds: string[]): Promise<RoundResult[]> {
  const sent = channelIds.map((channelId, index) => {
    const at = performance.now();
    const message = discord.sendMessage({
      channelId,
      content: 'say something',
      mentionBot: true,
      author: discord.user(`person-${index}`),
    });
    return { message, at };
  });
  const replyOf = (asked: FakeMessage) =>
    discord
      .messagesIn(asked.channelId)
      .find((message) => message.source === 'webhook' && BigInt(message.id) > BigInt(asked.id));
  await discord.waitUntil(
    () => sent.every(({ message }) => replyOf(message)?.content === REPLY),
    'every reply to complete',
    TIMEOUT_MS,
  );
  return sent.map(({ message, at }) => {
    const reply = replyOf(message)!;
    const { revisions } = reply;
    const spanSeconds = (revisions.at(-1)!.at - revisions[0]!.at) / 1000;
    const edits = revisions.length - 1;
    return {
      firstWordsMs: revisions[0]!.at - at,
      // Over at least one second: two edits a moment apart are not a rate of many a second.
      editsPerSecond: edits / Math.max(1, spanSeconds),
      complete: reply.content === REPLY,
    };
  });
}

/** The provider alone: 100 streams opened at once, each timed to its first text. */
async function measureProviderFirstWords(baseUrl: string) {
  const once = async () => {
    const started = performance.now();
    const response = await fetch(`${baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'fast', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
    });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    let firstWordsMs: number | null = null;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
      if (firstWordsMs === null && text.includes(CHUNK_TEXT.trim())) firstWordsMs = performance.now() - started;
    }
    return firstWordsMs ?? Number.NaN;
  };
  return summarize(await Promise.all(Array.from({ length: CHANNELS }, once)));
}

const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);
