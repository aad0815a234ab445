// The conversations of Discord channels (origin `discord`): each channel (a thread is a channel of its own) has at
// most one current conversation (ended_at null, enforced by the partial unique index idx_conversations_discord_channel);
// `/new` and a deleted channel end it, and its data stays. Internal reads for the Discord door: who may act on a
// conversation is still decided by the conversation store's access rules, through the domain services.
import { and, desc, eq, gte, isNull, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import {
  type ConversationParameters,
  type ConversationSettings,
  conversationModels,
  conversationParticipants,
  conversations,
  messages,
  users,
} from '../db/schema/index.ts';

/** What a channel's next conversation starts with: the settings and models of the channel's latest one. */
export type ChannelConversationSetup = {
  settings: ConversationSettings;
  parameters: ConversationParameters;
  modelIds: string[];
};

/** The current conversation of a channel, as the Discord door needs it. */
export type ChannelConversation = { id: string; settings: ConversationSettings };

export class DiscordConversationStore {
  private readonly joinCurrentStatement;

  constructor(private readonly db: Database) {
    // Every Discord message starts with this: the channel's current conversation, the sender made one of its people
    // on the way (an admin: in a Discord channel, who may change its settings is Discord's to decide, through the
    // permissions of the bot's commands). One statement, prepared; someone already in it keeps their role.
    const current = db.$with('current').as(
      db
        .select({ id: conversations.id, settings: conversations.settings })
        .from(conversations)
        .where(and(eq(conversations.discordChannelId, sql.placeholder('channelId')), isNull(conversations.endedAt))),
    );
    const joined = db.$with('joined', { inserted: sql<number>`inserted`.as('inserted') }).as(
      // Looked for first, so the usual case (already in it) writes nothing at all.
      sql`insert into ${conversationParticipants} (conversation_id, user_id, role)
        select ${current.id}, ${sql.placeholder('userId')}::uuid, 'admin' from ${current}
        where not exists (select 1 from ${conversationParticipants} as member
          where member.conversation_id = ${current.id} and member.user_id = ${sql.placeholder('userId')}::uuid)
        on conflict (conversation_id, user_id) do nothing returning 1 as inserted`,
    );
    this.joinCurrentStatement = db
      .with(current, joined)
      .select({ id: current.id, settings: current.settings })
      .from(current)
      .prepare('discord_join_current_conversation');
  }

  /** The channel's current conversation, with `userId` in it from now on; undefined when the channel has none. */
  async joinCurrent({ channelId, userId }: { channelId: string; userId: string }) {
    const [row] = await this.joinCurrentStatement.execute({ channelId, userId });
    return row as ChannelConversation | undefined;
  }

  /** The channel's current conversation, read for the bot itself (no one joins). */
  async findCurrent(channelId: string): Promise<ChannelConversation | undefined> {
    const [row] = await this.db
      .select({ id: conversations.id, settings: conversations.settings })
      .from(conversations)
      .where(and(eq(conversations.discordChannelId, channelId), isNull(conversations.endedAt)));
    return row;
  }

  /** The settings and models of the channel's latest conversation (current or ended), if it ever had one. */
  async latestSetup(channelId: string): Promise<ChannelConversationSetup | undefined> {
    const [latest] = await this.db
      .select({ id: conversations.id })
      .from(conversations)
      .where(eq(conversations.discordChannelId, channelId))
      .orderBy(desc(conversations.createdAt))
      .limit(1);
    return latest && this.setupOf(latest.id);
  }

  /** A conversation's settings and its answering models in reply order (undefined when there is no such conversation). */
  async setupOf(conversationId: string): Promise<ChannelConversationSetup | undefined> {
    const [conversation] = await this.db
      .select({ settings: conversations.settings, parameters: conversations.parameters })
      .from(conversations)
      .where(eq(conversations.id, conversationId));
    if (!conversation) return undefined;
    const members = await this.db
      .select({ modelId: conversationModels.modelId })
      .from(conversationModels)
      .where(and(eq(conversationModels.conversationId, conversationId), eq(conversationModels.isActive, true)))
      .orderBy(conversationModels.position, conversationModels.addedAt, conversationModels.id);
    return { ...conversation, modelIds: members.map((member) => member.modelId) };
  }

  /** Ends the channel's current conversation, keeping its data; returns its id (undefined when it had none). */
  async endCurrent(channelId: string): Promise<string | undefined> {
    const [ended] = await this.db
      .update(conversations)
      .set({ endedAt: sql`now()` })
      .where(and(eq(conversations.discordChannelId, channelId), isNull(conversations.endedAt)))
      .returning({ id: conversations.id });
    return ended?.id;
  }

  /** The Discord channel a conversation is the current conversation of; null for any other conversation. */
  async channelOf(conversationId: string): Promise<{ channelId: string } | null> {
    const [row] = await this.db
      .select({ channelId: conversations.discordChannelId })
      .from(conversations)
      .where(
        and(eq(conversations.id, conversationId), eq(conversations.origin, 'discord'), isNull(conversations.endedAt)),
      );
    return row?.channelId ? { channelId: row.channelId } : null;
  }

  /**
   * A person's message in the current conversation of a Discord channel: the channel, its request id (a Discord
   * message id when it came from Discord) and its sender's names; undefined for any other message.
   */
  async channelMessage({ conversationId, messageId }: { conversationId: string; messageId: string }) {
    const [row] = await this.db
      .select({
        channelId: conversations.discordChannelId,
        requestId: messages.requestId,
        displayName: users.displayName,
        username: users.username,
      })
      .from(messages)
      .innerJoin(conversations, eq(conversations.id, messages.conversationId))
      .leftJoin(users, eq(users.id, messages.senderId))
      .where(
        and(
          eq(messages.id, messageId),
          eq(messages.conversationId, conversationId),
          eq(messages.role, 'user'),
          eq(conversations.origin, 'discord'),
          isNull(conversations.endedAt),
        ),
      );
    return row?.channelId ? { ...row, channelId: row.channelId } : undefined;
  }

  /** The current conversations of Discord channels with a message since `since`, most recent first. */
  async activeSince(since: Date, limit: number): Promise<string[]> {
    const rows = await this.db
      .select({ id: conversations.id })
      .from(conversations)
      .where(
        and(
          eq(conversations.origin, 'discord'),
          isNull(conversations.endedAt),
          gte(conversations.lastMessageAt, since),
        ),
      )
      .orderBy(desc(conversations.lastMessageAt))
      .limit(limit);
    return rows.map((row) => row.id);
  }
}
