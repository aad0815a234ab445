// Invitation links to a conversation: managers create and revoke them (a link that makes admins
// is the owner's alone, as giving roles is); anyone holding the token may join, while the invite is neither
// expired, revoked nor used up.
import { randomBytes } from 'node:crypto';
import { and, desc, eq, exists, gt, isNull, lt, or, sql } from 'drizzle-orm';
import type { Database, Executor } from '../db/client.ts';
import { conversationInvites, conversationParticipants, conversations } from '../db/schema/index.ts';
import { AppError, notFound } from '../errors.ts';
import type { Actor } from './actor.ts';
import { accessCondition, conversationWithAccess, levelToInvite, requireConversation } from './conversation-access.ts';
import type { ConversationRow } from './conversations.ts';
import type { GrantableRole } from './participants.ts';

export type Invite = typeof conversationInvites.$inferSelect;
export type InviteRefusal = 'revoked' | 'expired' | 'used_up';
/** `joined` is false when the actor was already in the conversation (the invite was not used). */
/** The conversation as stored (its title may be sealed: ConversationStore.open reads it). */
export type AcceptedInvite = { conversation: ConversationRow; joined: boolean };

export type NewInvite = {
  actor: Actor;
  conversationId: string;
  role?: GrantableRole;
  expiresAt?: Date | null;
  /** Omitted: unlimited. */
  maxUses?: number | null;
};

/** 32 random bytes: 256 bits, unguessable; base64url so it sits in a link as is (43 characters). */
const newToken = () => randomBytes(32).toString('base64url');

/** "Still usable", checked inside the UPDATE that takes a use, so the check and the increment are one step. */
const usable = () =>
  and(
    isNull(conversationInvites.revokedAt),
    or(isNull(conversationInvites.expiresAt), gt(conversationInvites.expiresAt, sql`now()`)),
    or(isNull(conversationInvites.maxUses), lt(conversationInvites.useCount, conversationInvites.maxUses)),
  )!;

const REFUSAL_MESSAGES: Record<InviteRefusal, string> = {
  revoked: 'this invitation has been revoked',
  expired: 'this invitation has expired',
  used_up: 'this invitation has already been used as many times as it allows',
};

export class InviteStore {
  constructor(private readonly db: Database) {}

  async create({ actor, conversationId, role = 'member', expiresAt = null, maxUses = null }: NewInvite) {
    if ((role as string) === 'owner') {
      throw new AppError('invalid_input', 'an invitation cannot make someone the owner');
    }
    if (maxUses !== null && (!Number.isInteger(maxUses) || maxUses < 1)) {
      throw new AppError('invalid_input', 'maxUses must be a whole number of at least 1', { details: { maxUses } });
    }
    if (expiresAt !== null && expiresAt.getTime() <= Date.now()) {
      throw new AppError('invalid_input', 'expiresAt must be in the future', { details: { expiresAt } });
    }
    return this.db.transaction(async (tx): Promise<Invite> => {
      await requireConversation(tx, actor, conversationId, levelToInvite(role));
      const [invite] = await tx
        .insert(conversationInvites)
        .values({ conversationId, token: newToken(), createdBy: actor.id, role, expiresAt, maxUses })
        .returning();
      return invite!;
    });
  }

  /** The conversation's invites, newest first, revoked and spent ones included. Managers only. */
  async listForConversation({ actor, conversationId }: { actor: Actor; conversationId: string }): Promise<Invite[]> {
    const rows = await this.db
      .select({ invite: conversationInvites })
      .from(conversationInvites)
      .innerJoin(conversations, eq(conversations.id, conversationInvites.conversationId))
      .where(conversationWithAccess(actor, conversationId, 'manage'))
      .orderBy(desc(conversationInvites.createdAt), desc(conversationInvites.id));
    if (rows.length === 0) await requireConversation(this.db, actor, conversationId, 'manage');
    return rows.map((row) => row.invite);
  }

  /**
   * Idempotent: revoking twice keeps the first revocation time. With `conversationId`, an invite of another
   * conversation is not found (a route names both).
   */
  async revoke({ actor, id, conversationId }: { actor: Actor; id: string; conversationId?: string }): Promise<Invite> {
    const [invite] = await this.db
      .update(conversationInvites)
      .set({ revokedAt: sql`coalesce(${conversationInvites.revokedAt}, now())` })
      .where(
        and(
          eq(conversationInvites.id, id),
          conversationId === undefined ? undefined : eq(conversationInvites.conversationId, conversationId),
          exists(
            this.db
              .select({ id: conversations.id })
              .from(conversations)
              .where(and(eq(conversations.id, conversationInvites.conversationId), accessCondition(actor, 'manage'))),
          ),
        ),
      )
      .returning();
    if (!invite) throw notFound('invite', id);
    return invite;
  }

  /**
   * Joins the actor to the invite's conversation with the invite's role. Someone already in it gets the
   * conversation back and the invite is not used. Otherwise a use is taken by a conditional update: under
   * concurrent accepts the row lock makes the second wait and re-check the count, so a 1-use invite admits
   * exactly one person. Any refusal rolls the new participant back.
   */
  async accept({ actor, token }: { actor: Actor; token: string }): Promise<AcceptedInvite> {
    return this.db.transaction(async (tx) => {
      const [invite] = await tx.select().from(conversationInvites).where(eq(conversationInvites.token, token));
      if (!invite) throw notFound('invite');
      const [joined] = await tx
        .insert(conversationParticipants)
        .values({ conversationId: invite.conversationId, userId: actor.id, role: invite.role })
        .onConflictDoNothing({ target: [conversationParticipants.conversationId, conversationParticipants.userId] })
        .returning({ id: conversationParticipants.id });
      if (joined) {
        const [used] = await tx
          .update(conversationInvites)
          .set({ useCount: sql`${conversationInvites.useCount} + 1` })
          .where(and(eq(conversationInvites.id, invite.id), usable()))
          .returning({ id: conversationInvites.id });
        if (!used) {
          const reason = await this.refusalReason(tx, invite.id);
          throw new AppError('conflict', REFUSAL_MESSAGES[reason], { details: { reason } });
        }
      }
      const [conversation] = await tx
        .select()
        .from(conversations)
        .where(conversationWithAccess(actor, invite.conversationId, 'read'));
      if (!conversation) throw notFound('conversation', invite.conversationId);
      return { conversation, joined: joined !== undefined };
    });
  }

  /** Read after the conditional update failed, so it sees the state that refused it. */
  private async refusalReason(db: Executor, id: string) {
    const [row] = await db
      .select({
        reason: sql<InviteRefusal>`case
          when ${conversationInvites.revokedAt} is not null then 'revoked'
          when ${conversationInvites.expiresAt} <= now() then 'expired'
          else 'used_up' end`,
      })
      .from(conversationInvites)
      .where(eq(conversationInvites.id, id));
    return row?.reason ?? 'revoked';
  }
}
