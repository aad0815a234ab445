// Where the bot answers. By default everywhere it can see; an admin narrows it with the system config
// `discord.access` (audited like every system config): the guilds, the channels within them, and whether direct
// messages are answered. A thread goes by its parent channel.
import { z } from 'zod';
import { log } from '../logging/logger.ts';
import type { Store } from '../store/index.ts';
import type { DiscordPlace } from './discord-place.ts';

export const DISCORD_ACCESS_KEY = 'discord.access';

/** How long a read of the setting is reused: it is consulted for every message (see SystemConfigStore.getRecent). */
const ACCESS_MAX_AGE_MS = 2_000;

const snowflake = z.string().regex(/^\d{1,20}$/, 'a Discord id (digits)');

/**
 * The setting's shape (validated before it is saved). An empty list does not narrow: `guildIds` [] means every
 * guild, `channelIds` [] every channel of the allowed guilds.
 */
export const discordAccessSchema = z
  .object({
    guildIds: z.array(snowflake).max(1_000).default([]),
    channelIds: z.array(snowflake).max(10_000).default([]),
    directMessages: z.boolean().default(true),
  })
  .strict();

export type DiscordAccess = z.infer<typeof discordAccessSchema>;

export const ANSWER_EVERYWHERE: DiscordAccess = { guildIds: [], channelIds: [], directMessages: true };
/** No guild has this id (snowflakes are digits). */
const ANSWER_NOWHERE: DiscordAccess = { guildIds: ['none'], channelIds: [], directMessages: false };

/** Whether the bot answers in this place under this setting. */
export function isPlaceAllowed(access: DiscordAccess, place: DiscordPlace): boolean {
  if (place.isDirect || place.guildId === null) return access.directMessages;
  if (access.guildIds.length > 0 && !access.guildIds.includes(place.guildId)) return false;
  if (access.channelIds.length === 0) return true;
  return (
    access.channelIds.includes(place.parentChannelId ?? place.channelId) || access.channelIds.includes(place.channelId)
  );
}

/**
 * The setting in force. One that is not valid (written around the admin API, which validates it) is reported and
 * answers nowhere: a narrowing that cannot be read must not widen to everywhere.
 */
export async function readDiscordAccess(store: Pick<Store, 'systemConfigs'>): Promise<DiscordAccess> {
  const config = await store.systemConfigs.getRecent(DISCORD_ACCESS_KEY, ACCESS_MAX_AGE_MS);
  if (!config) return ANSWER_EVERYWHERE;
  const parsed = discordAccessSchema.safeParse(config.value);
  if (parsed.success) return parsed.data;
  log.warn(`system config ${DISCORD_ACCESS_KEY} is invalid, answering nowhere`, {
    problems: z.prettifyError(parsed.error),
  });
  return ANSWER_NOWHERE;
}
