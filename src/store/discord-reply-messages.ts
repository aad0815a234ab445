// Which Discord message shows a model's reply: recorded as the bot posts it, read when someone replies to it in
// Discord (their reply then goes in that reply's thread).
import { eq } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { discordReplyMessages } from '../db/schema/index.ts';

export class DiscordReplyMessageStore {
  constructor(private readonly db: Database) {}

  /** Records that `discordMessageId` shows the reply `messageId` (once: a message is recorded a single time). */
  async record({ messageId, discordMessageId }: { messageId: string; discordMessageId: string }): Promise<void> {
    await this.db.insert(discordReplyMessages).values({ messageId, discordMessageId }).onConflictDoNothing();
  }

  /** The reply a Discord message shows, if the bot recorded one. */
  async messageIdOf(discordMessageId: string): Promise<string | undefined> {
    const [row] = await this.db
      .select({ messageId: discordReplyMessages.messageId })
      .from(discordReplyMessages)
      .where(eq(discordReplyMessages.discordMessageId, discordMessageId));
    return row?.messageId;
  }
}
