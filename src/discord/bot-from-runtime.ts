// The Discord bot over a runtime's services, as `chorus serve` runs it when DISCORD_BOT_TOKEN is set.
import type { Runtime } from '../runtime.ts';
import { DiscordBot, type DiscordBotSettings } from './discord-bot.ts';

/** The bot of the configured token, not yet started; null when no token is set. */
export function discordBotOf(
  runtime: Runtime,
  settings: Omit<DiscordBotSettings, 'token' | 'apiUrl'> = {},
): DiscordBot | null {
  const { env } = runtime;
  if (!env.DISCORD_BOT_TOKEN) return null;
  return new DiscordBot(
    {
      database: runtime.database,
      chat: runtime.chat,
      discord: runtime.discord,
      conversationEvents: runtime.conversationEvents,
      modelCache: runtime.modelCache,
      metrics: runtime.store.metrics,
    },
    { token: env.DISCORD_BOT_TOKEN, apiUrl: env.DISCORD_API_URL, ...settings },
  );
}
