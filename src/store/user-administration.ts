// What admins do to people's accounts: find them, change their role, deactivate and reactivate them, give them a
// daily limit of their own, delete them. Every change that could leave the site without an admin takes the
// first-admin lock (see users.ts) and checks, in its transaction, that another active admin remains; so two admins
// demoting each other at once cannot both succeed. A change is announced on CHANNELS.credentials in its
// transaction, so every process forgets what it remembered of the account (API key actors) once it commits.
import { and, asc, desc, eq, ilike, ne, or, sql } from 'drizzle-orm';
import type { Database, Executor } from '../db/client.ts';
import { announce, CHANNELS } from '../db/notifications.ts';
import {
  authSessions,
  conversationParticipants,
  conversations,
  files,
  transcripts,
  users,
} from '../db/schema/index.ts';
import { AppError, notFound } from '../errors.ts';
import { FIRST_ADMIN_LOCK_KEY, type User, type UserStore } from './users.ts';

export type AccountChanges = Partial<Pick<User, 'role' | 'isActive' | 'messagesPerDay'>>;

export type UserSearch = { query?: string; includeGuests?: boolean; limit: number; offset: number };

/** What a deletion did: conversations handed to another participant or deleted, and the stored bytes to remove. */
export type DeletedAccount = { handedOver: number; deletedConversations: number; storageKeys: string[] };

/** What happens to the conversations a deleted person owns: deleted, or handed to another participant where any. */
export type OwnedConversations = 'delete' | 'hand-over';

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (character) => `\\${character}`);

export class UserAdministrationStore {
  constructor(
    private readonly db: Database,
    private readonly userStore: UserStore,
  ) {}

  /** People whose email, username or name contains `query`, newest first; guests only when asked for. */
  async search({ query, includeGuests = false, limit, offset }: UserSearch): Promise<{ users: User[]; total: number }> {
    const pattern = query ? `%${escapeLike(query.trim())}%` : undefined;
    const where = and(
      includeGuests ? undefined : eq(users.isGuest, false),
      pattern
        ? or(ilike(users.email, pattern), ilike(users.username, pattern), ilike(users.displayName, pattern))
        : undefined,
    );
    const [page, [counted]] = await Promise.all([
      this.db
        .select()
        .from(users)
        .where(where)
        .orderBy(desc(users.createdAt), desc(users.id))
        .limit(limit)
        .offset(offset),
      this.db.select({ total: sql<number>`count(*)::int` }).from(users).where(where),
    ]);
    return { users: page, total: counted?.total ?? 0 };
  }

  /**
   * Changes the account; refused (conflict) when it would leave no active admin. Deactivating ends the person's
   * sessions in the same transaction.
   */
  async change(id: string, changes: AccountChanges): Promise<User> {
    const user = await this.db.transaction(async (tx) => {
      const before = await lockUser(tx, id);
      const staysAdmin = (changes.role ?? before.role) === 'admin' && (changes.isActive ?? before.isActive);
      if (isActiveAdmin(before) && !staysAdmin) await requireAnotherAdmin(tx, id, 'demote or deactivate');
      const [updated] = await tx.update(users).set(changes).where(eq(users.id, id)).returning();
      if (changes.isActive === false) await tx.delete(authSessions).where(eq(authSessions.userId, id));
      await announce(tx, CHANNELS.credentials, `user:${id}`);
      return updated!;
    });
    this.userStore.accountChanged(id);
    return user;
  }

  /**
   * Deletes the person. Their conversations are handed to another active participant (the strongest role, then the
   * earliest to join) or deleted, as asked; where nobody else takes part they are deleted either way. Their
   * messages in conversations that stay keep their text, with no sender (the column's ON DELETE SET NULL); their
   * uploads, sessions and keys go. Returns the storage keys of the uploads and transcripts whose rows went.
   */
  async remove(id: string, owned: OwnedConversations): Promise<DeletedAccount> {
    const deleted = await this.db.transaction(async (tx) => {
      const user = await lockUser(tx, id);
      if (isActiveAdmin(user)) await requireAnotherAdmin(tx, id, 'delete');
      const handedOver = owned === 'hand-over' ? await handOverConversations(tx, id) : 0;
      const uploads = await tx.select({ key: files.storageKey }).from(files).where(eq(files.ownerId, id));
      const ownTranscripts = await tx
        .select({ key: transcripts.storageKey })
        .from(transcripts)
        .innerJoin(conversations, eq(conversations.id, transcripts.conversationId))
        .where(eq(conversations.ownerId, id));
      const [remaining] = await tx
        .select({ count: sql<number>`count(*)::int` })
        .from(conversations)
        .where(eq(conversations.ownerId, id));
      // Their conversations, memberships, uploads, sessions and keys go with them (ON DELETE CASCADE).
      await tx.delete(users).where(eq(users.id, id));
      await announce(tx, CHANNELS.credentials, `user:${id}`);
      return {
        handedOver,
        deletedConversations: remaining?.count ?? 0,
        storageKeys: [...uploads, ...ownTranscripts].map((row) => row.key),
      };
    });
    this.userStore.accountChanged(id);
    return deleted;
  }
}

const isActiveAdmin = (user: Pick<User, 'role' | 'isActive'>) => user.role === 'admin' && user.isActive;

/** The user's row, locked for the transaction's change; after the first-admin lock, so admin checks take turns. */
async function lockUser(tx: Executor, id: string): Promise<User> {
  await tx.execute(sql`select pg_advisory_xact_lock(${FIRST_ADMIN_LOCK_KEY})`);
  const [user] = await tx.select().from(users).where(eq(users.id, id)).for('update');
  if (!user) throw notFound('user', id);
  return user;
}

async function requireAnotherAdmin(tx: Executor, id: string, action: string): Promise<void> {
  const [other] = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.role, 'admin'), eq(users.isActive, true), ne(users.id, id)))
    .limit(1);
  if (!other) {
    throw new AppError('conflict', `cannot ${action} the last active admin: make someone else an admin first`);
  }
}

/**
 * Makes another active participant the owner of each of the user's conversations that has one: the strongest role
 * (the participant_role enum is ordered owner, admin, member), then the earliest to join. Returns how many moved.
 */
async function handOverConversations(tx: Executor, id: string): Promise<number> {
  const participant = conversationParticipants;
  const successors = await tx
    .selectDistinctOn([participant.conversationId], {
      conversationId: participant.conversationId,
      userId: participant.userId,
    })
    .from(participant)
    .innerJoin(conversations, eq(conversations.id, participant.conversationId))
    .innerJoin(users, eq(users.id, participant.userId))
    .where(
      and(
        eq(conversations.ownerId, id),
        ne(participant.userId, id),
        eq(participant.isActive, true),
        eq(users.isActive, true),
      ),
    )
    .orderBy(participant.conversationId, asc(participant.role), asc(participant.joinedAt));
  for (const successor of successors) {
    await tx
      .update(conversations)
      .set({ ownerId: successor.userId })
      .where(eq(conversations.id, successor.conversationId));
    await tx
      .update(participant)
      .set({ role: 'owner' })
      .where(and(eq(participant.conversationId, successor.conversationId), eq(participant.userId, successor.userId)));
  }
  return successors.length;
}
