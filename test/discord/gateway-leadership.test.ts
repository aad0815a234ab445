// Several server processes on one PostgreSQL database run one Discord bot: exactly one holds the gateway
// connection, and another takes over within seconds when the holder stops or loses its database connection. Two
// bots of one runtime stand for two processes: each holds the lock on a connection of its own.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import postgres from 'postgres';
import { discordBotOf } from '../../src/discord/bot-from-runtime.ts';
import type { DiscordBot } from '../../src/discord/discord-bot.ts';
import { gatewayLockKey } from '../../src/discord/gateway-leadership.ts';
import { type BotHarness, startBotHarness } from '../support/discord-bot.ts';

const FAST_LEADERSHIP = { retryMs: 100, checkMs: 100 };

describe('gateway leadership on PostgreSQL', {
  skip: !process.env.TEST_DATABASE_URL && 'TEST_DATABASE_URL is not set',
}, () => {
  let harness: BotHarness;
  const others: DiscordBot[] = [];

  before(async () => {
    harness = await startBotHarness('postgres', {
      models: { lead: { reply: 'Answered by whoever leads.' } },
      bot: { leadership: FAST_LEADERSHIP },
    });
  });
  after(async () => {
    for (const bot of others) await bot.stop();
    await harness?.close();
  });

  /** Polls `check` until it gives a value (what it waits on is not the fake's to announce). */
  const eventually = async <T>(check: () => T | null | undefined, what: string, timeoutMs = 10_000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = check();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  const anotherProcess = () => {
    const bot = discordBotOf(harness.server.runtime, { leadership: FAST_LEADERSHIP, editIntervalMs: 100 })!;
    others.push(bot);
    bot.start();
    return bot;
  };

  /** The backend holding the bot's lock, ended from outside: as if its process died. */
  const killLockHolder = async () => {
    const admin = postgres(harness.server.runtime.database.url!, { max: 1, onnotice: () => {} });
    const key = gatewayLockKey(harness.discord.token);
    const [row] = await admin`
      select pid from pg_locks
      where locktype = 'advisory' and granted
        and ((classid::bigint << 32) | objid::bigint) = ${key.toString()}::bigint`;
    assert.ok(row, 'a process holds the lock');
    await admin`select pg_terminate_backend(${row.pid})`;
    await admin.end();
  };

  test('one gateway connection however many processes; a new holder within seconds when it stops or dies', async () => {
    const { discord } = harness;
    const second = anotherProcess();
    const third = anotherProcess();
    // Give the others several tries: still one session.
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(discord.gatewayCounts().sessions, 1);
    assert.equal(discord.gatewayCounts().identifies, 1);
    assert.equal(second.botUserId, null);
    assert.equal(third.botUserId, null);

    await harness.bot.stop();
    await discord.waitUntil(
      () => discord.gatewayCounts().identifies === 2 && discord.gatewayCounts().sessions === 1,
      'a new holder',
      10_000,
    );
    const holder = await eventually(() => [second, third].find((bot) => bot.botUserId !== null), 'a new holder');
    assert.equal(holder.botUserId, discord.bot.id);

    await killLockHolder();
    await discord.waitUntil(
      () => discord.gatewayCounts().identifies === 3 && discord.gatewayCounts().sessions === 1,
      'a holder after the first died',
      10_000,
    );
    const last = [second, third].find((bot) => bot !== holder)!;
    await eventually(() => last.botUserId !== null, 'the other process to lead');

    // The new holder answers.
    const general = discord.channel('general');
    const asked = discord.sendMessage({ channelId: general.id, content: 'who is there?', mentionBot: true });
    const reply = await discord.waitForMessage(
      general.id,
      (message) => message.id > asked.id && message.content === 'Answered by whoever leads.',
    );
    assert.equal(reply.source, 'webhook');
  });
});
