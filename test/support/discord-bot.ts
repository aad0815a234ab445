// The Discord bot as `chorus serve` runs it (the runtime's chat, Discord and event services, on a fresh test
// database), its models answered by the fake provider, connected to a fake Discord on 127.0.0.1 with the real
// discord.js. Edits are paced at 100 ms instead of a second, to keep the tests quick.

import type { DatabaseKind } from '../../src/db/client.ts';
import { discordBotOf } from '../../src/discord/bot-from-runtime.ts';
import type { DiscordBot, DiscordBotSettings } from '../../src/discord/discord-bot.ts';
import { registerDeclaredModels } from '../../src/providers/index.ts';
import { type FakeDiscord, type FakeDiscordOptions, startFakeDiscord } from './fake-discord/index.ts';
import { type FakeBehaviour, type FakeProvider, startFakeProvider } from './fake-provider.ts';
import { startTestServer, type TestServer } from './server.ts';

export const TEST_EDIT_INTERVAL_MS = 100;

export type BotHarness = {
  server: TestServer;
  discord: FakeDiscord;
  provider: FakeProvider;
  bot: DiscordBot;
  /** Starts another bot (another server process's) on the same runtime. */
  close(): Promise<void>;
};

export type BotHarnessOptions = {
  /** The fake provider's models, each registered as `fake:<name>`. */
  models: Record<string, FakeBehaviour>;
  discord?: FakeDiscordOptions;
  env?: Record<string, string>;
  bot?: Omit<DiscordBotSettings, 'token' | 'apiUrl'>;
};

export async function startBotHarness(kind: DatabaseKind, options: BotHarnessOptions): Promise<BotHarness> {
  const provider = await startFakeProvider({ models: options.models });
  const discord = await startFakeDiscord(
    options.discord ?? { guilds: [{ name: 'Lab', channels: [{ name: 'general' }, { name: 'random' }] }] },
  );
  const server = await startTestServer(kind, {
    CHORUS_PROVIDER_FAKE_BASE_URL: provider.baseURL,
    CHORUS_PROVIDER_FAKE_MODELS: Object.keys(options.models).join(','),
    DISCORD_BOT_TOKEN: discord.token,
    DISCORD_API_URL: discord.apiUrl,
    ...options.env,
  });
  await registerDeclaredModels(server.runtime.database.db, server.runtime.providers);
  await server.runtime.modelCache.refresh();
  const bot = discordBotOf(server.runtime, { editIntervalMs: TEST_EDIT_INTERVAL_MS, ...options.bot })!;
  bot.start();
  await discord.waitForSessions(1);
  await discord.waitUntil(() => discord.commands().length > 0, 'the slash commands');
  return {
    server,
    discord,
    provider,
    bot,
    close: async () => {
      await bot.stop();
      await server.close();
      await discord.close();
      await provider.close();
    },
  };
}
