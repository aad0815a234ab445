// One person becoming another: a guest who signs up or signs in, a Discord user linked to a web account
// (discord/link-codes.ts). Their conversations, messages, memberships, votes, uploads, documents and the day's usage
// become the account's, and the merged user is removed, all in one transaction — so either everything moved and
// the merged user is gone, or nothing changed and they are intact.
import { and, eq, sql } from 'drizzle-orm';
import type { Database, Executor } from '../db/client.ts';
import { announce, CHANNELS } from '../db/notifications.ts';
import {
  conversationInvites,
  conversationParticipants,
  conversations,
  dailyUsage,
  documents,
  files,
  messages,
  suggestions,
  transcripts,
  users,
  votes,
} from '../db/schema/index.ts';

export type GuestMerge = { guestId: string; accountId: string };

export class GuestMergeStore {
  constructor(private readonly db: Database) {}

  /**
   * Moves everything of the guest to the account and deletes the guest. Returns false, changing nothing, when
   * there is no such guest (any more: a concurrent merge of the same guest waits for the first, then finds none)
   * or the account is a guest itself.
   */
  async mergeIntoAccount({ guestId, accountId }: GuestMerge): Promise<boolean> {
    if (guestId === accountId) return false;
    const merged = await this.db.transaction(async (tx) => {
      // Locking the guest makes a second merge of it wait here, then find nothing to do.
      const [guest] = await tx
        .select({ id: users.id })
        .from(users)
        .where(and(eq(users.id, guestId), eq(users.isGuest, true)))
        .for('update');
      const [account] = await tx
        .select({ id: users.id })
        .from(users)
        .where(and(eq(users.id, accountId), eq(users.isGuest, false)));
      if (!guest || !account) return false;
      await moveUserInto(tx, { fromId: guestId, intoId: accountId });
      return true;
    });
    return merged;
  }
}

/**
 * Moves everything of `fromId` to `intoId` and deletes `fromId`, inside the caller's transaction (which has checked
 * that this merge is one to make, and locked `fromId`'s row).
 */
export async function moveUserInto(tx: Executor, { fromId, intoId }: { fromId: string; intoId: string }) {
  await moveConversations(tx, fromId, intoId);
  await moveVotes(tx, fromId, intoId);
  await moveUsage(tx, fromId, intoId);
  await tx.update(messages).set({ senderId: intoId }).where(eq(messages.senderId, fromId));
  await tx.update(conversationInvites).set({ createdBy: intoId }).where(eq(conversationInvites.createdBy, fromId));
  await tx.update(files).set({ ownerId: intoId }).where(eq(files.ownerId, fromId));
  await tx.update(documents).set({ userId: intoId }).where(eq(documents.userId, fromId));
  await tx.update(suggestions).set({ userId: intoId }).where(eq(suggestions.userId, fromId));
  await tx.update(transcripts).set({ createdBy: intoId }).where(eq(transcripts.createdBy, fromId));
  // Its sessions go with it (and it has no API keys: neither guests nor Discord users can make them).
  await tx.delete(users).where(eq(users.id, fromId));
  // Whoever remembers the merged user (API key actors) forgets it.
  await announce(tx, CHANNELS.credentials, `user:${fromId}`);
}

/**
 * The guest's conversations become the account's. Where both take part in one conversation, the account keeps one
 * membership: the stronger role (the participant_role enum is ordered owner, admin, member, so least() is the
 * stronger), active if either was, the earlier joining and the later activity.
 */
async function moveConversations(tx: Executor, guestId: string, accountId: string) {
  await tx.update(conversations).set({ ownerId: accountId }).where(eq(conversations.ownerId, guestId));
  const account = conversationParticipants;
  await tx.execute(sql`update ${account} set
      role = least(${account.role}, guest.role),
      is_active = ${account.isActive} or guest.is_active,
      joined_at = least(${account.joinedAt}, guest.joined_at),
      last_message_at = greatest(${account.lastMessageAt}, guest.last_message_at),
      updated_at = now()
    from ${account} as guest
    where ${account.userId} = ${accountId} and guest.user_id = ${guestId}
      and guest.conversation_id = ${account.conversationId}`);
  await tx.execute(sql`delete from ${account} as guest
    where guest.user_id = ${guestId}
      and exists (select 1 from ${account} as kept
        where kept.user_id = ${accountId} and kept.conversation_id = guest.conversation_id)`);
  await tx.update(account).set({ userId: accountId }).where(eq(account.userId, guestId));
}

/** Where both voted on one message, the later vote stands. */
async function moveVotes(tx: Executor, guestId: string, accountId: string) {
  await tx.execute(sql`update ${votes} set
      is_upvoted = guest.is_upvoted,
      updated_at = guest.updated_at
    from ${votes} as guest
    where ${votes.userId} = ${accountId} and guest.user_id = ${guestId}
      and guest.message_id = ${votes.messageId} and guest.updated_at > ${votes.updatedAt}`);
  await tx.execute(sql`delete from ${votes} as guest
    where guest.user_id = ${guestId}
      and exists (select 1 from ${votes} as kept where kept.user_id = ${accountId} and kept.message_id = guest.message_id)`);
  await tx.update(votes).set({ userId: accountId }).where(eq(votes.userId, guestId));
}

/** The guest's messages of a day count toward the account's day. */
async function moveUsage(tx: Executor, guestId: string, accountId: string) {
  await tx.execute(sql`insert into ${dailyUsage} (user_id, day, messages)
    select ${accountId}, day, messages from ${dailyUsage} where user_id = ${guestId}
    on conflict (user_id, day) do update set
      messages = ${dailyUsage}.messages + excluded.messages,
      updated_at = now()`);
}
