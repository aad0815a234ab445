// What the Discord bot's relay of web messages reads: the conversations that are a Discord channel's current one
// (to follow their events from start-up), and a message's request id (a Discord message id for messages that came
// from Discord, which are not posted back). Internal to the bot's process, so no actor.
import { and, eq, isNotNull, isNull } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { conversations, messages } from '../db/schema/index.ts';

export async function listCurrentDiscordConversations(db: Database): Promise<{ id: string; channelId: string }[]> {
  const rows = await db
    .select({ id: conversations.id, channelId: conversations.discordChannelId })
    .from(conversations)
    .where(
      and(
        eq(conversations.origin, 'discord'),
        isNotNull(conversations.discordChannelId),
        isNull(conversations.endedAt),
      ),
    );
  return rows.map((row) => ({ id: row.id, channelId: row.channelId! }));
}

export async function requestIdOfMessage(db: Database, messageId: string): Promise<string | null | undefined> {
  const [row] = await db.select({ requestId: messages.requestId }).from(messages).where(eq(messages.id, messageId));
  return row?.requestId;
}
