// The models an admin chose for a Discord channel (system config `discord.channelModels`, audited): each new
// conversation of the channel, or of a thread in it, starts with them. `/use` changes the current conversation's.
import { z } from 'zod';
import { log } from '../logging/logger.ts';
import { modelIdSchema } from '../models/model-schema.ts';
import type { Store } from '../store/index.ts';
import type { DiscordPlace } from './discord-place.ts';

export const DISCORD_CHANNEL_MODELS_KEY = 'discord.channelModels';

/** Channel id → model ids, in reply order. Validated before it is saved. */
export const discordChannelModelsSchema = z.record(
  z.string().regex(/^\d{1,20}$/, 'a Discord channel id (digits)'),
  z.array(modelIdSchema).min(1).max(20),
);

export type DiscordChannelModels = z.infer<typeof discordChannelModelsSchema>;

/** The admin's models for the place (a thread: its parent's, unless it has its own); undefined when none. */
export function chosenModelsFor(chosen: DiscordChannelModels, place: DiscordPlace): string[] | undefined {
  return chosen[place.channelId] ?? (place.parentChannelId ? chosen[place.parentChannelId] : undefined);
}

/** The setting in force; one that is not valid is reported and ignored (the channels then start as any other). */
export async function readDiscordChannelModels(store: Pick<Store, 'systemConfigs'>): Promise<DiscordChannelModels> {
  const config = await store.systemConfigs.get(DISCORD_CHANNEL_MODELS_KEY);
  if (!config) return {};
  const parsed = discordChannelModelsSchema.safeParse(config.value);
  if (parsed.success) return parsed.data;
  log.warn(`system config ${DISCORD_CHANNEL_MODELS_KEY} is invalid, ignoring it`, {
    problems: z.prettifyError(parsed.error),
  });
  return {};
}
