// The access rules of a conversation, as SQL conditions every query embeds, so no caller can forget them:
// readable by its owner, its active participants and (read-only) anyone when public; writable by owner and
// participants; managed (rename, settings, members, models) by the owner and participant admins.
import { and, eq, or, type Placeholder, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import { conversationParticipants, conversations } from '../db/schema/index.ts';
import { notFound } from '../errors.ts';
import type { Actor } from './actor.ts';

/**
 * Who the rules are checked for: an actor, or `{ id: sql.placeholder(...) }` inside a prepared query, where the
 * actor's id is only known at execution.
 */
export type AccessSubject = Pick<Actor, 'id'> | { id: Placeholder };

function isParticipant(actor: AccessSubject, roles?: ('owner' | 'admin' | 'member')[]): SQL {
  const roleFilter = roles ? sql` and ${conversationParticipants.role} in ${roles}` : sql``;
  return sql`exists (select 1 from ${conversationParticipants}
    where ${conversationParticipants.conversationId} = ${conversations.id}
      and ${conversationParticipants.userId} = ${actor.id}
      and ${conversationParticipants.isActive}${roleFilter})`;
}

export const canRead = (actor: AccessSubject) =>
  or(eq(conversations.ownerId, actor.id), eq(conversations.visibility, 'public'), isParticipant(actor))!;

export const canWrite = (actor: AccessSubject) => or(eq(conversations.ownerId, actor.id), isParticipant(actor))!;

export const canManage = (actor: AccessSubject) =>
  or(eq(conversations.ownerId, actor.id), isParticipant(actor, ['owner', 'admin']))!;

export type AccessLevel = 'read' | 'write' | 'manage' | 'own';

export function accessCondition(actor: AccessSubject, level: AccessLevel): SQL {
  switch (level) {
    case 'read':
      return canRead(actor);
    case 'write':
      return canWrite(actor);
    case 'manage':
      return canManage(actor);
    case 'own':
      return eq(conversations.ownerId, actor.id);
  }
}

/**
 * The level a change to a conversation needs: its managers (owner, admins) rename it and change its settings;
 * who may see it (its visibility) is its owner's alone to change.
 */
export const levelToChange = (changes: { visibility?: unknown }): AccessLevel =>
  changes.visibility === undefined ? 'manage' : 'own';

/** The level creating an invitation needs: it gives its role, and only the owner makes admins. */
export const levelToInvite = (role: string): AccessLevel => (role === 'admin' ? 'own' : 'manage');

/** `id = :id and <access>`: the one filter used to reach a single conversation. */
export const conversationWithAccess = (actor: AccessSubject, id: string | Placeholder, level: AccessLevel) =>
  and(eq(conversations.id, id), accessCondition(actor, level))!;

/**
 * `exists (the conversation, reachable at level)`: a guard for a query on another table (its messages, members,
 * models), so the write or read happens only when access holds, in the same statement.
 */
export const conversationReachable = (
  actor: AccessSubject,
  conversationId: string | Placeholder,
  level: AccessLevel,
): SQL => sql`exists (select 1 from ${conversations} where ${conversationWithAccess(actor, conversationId, level)})`;

/** Not-found unless the actor reaches the conversation at `level`. */
export async function requireConversation(db: Executor, actor: Actor, conversationId: string, level: AccessLevel) {
  const [conversation] = await db
    .select({ id: conversations.id })
    .from(conversations)
    .where(conversationWithAccess(actor, conversationId, level));
  if (!conversation) throw notFound('conversation', conversationId);
}
