// Who is acting. Every store function that touches a user's data takes one, and enforces access in SQL.
// `isGuest` rides along because guests get tighter limits (see auth/limits.ts).
import type { users } from '../db/schema/index.ts';

type User = typeof users.$inferSelect;

/** How a person is shown to the others in a conversation. */
export type PersonCard = Pick<User, 'displayName' | 'username' | 'avatarUrl'>;

export type Actor = Pick<User, 'id' | 'role' | 'isGuest'> & {
  /** Their card, when the credentials already told it: announcing their messages then needs no lookup. */
  card?: PersonCard;
  /** Their own daily message limit (null: their kind's), when the credentials already told it (see auth/limits.ts). */
  messagesPerDay?: number | null;
};

export const isAdmin = (actor: Actor) => actor.role === 'admin';

/** The actor a users row (or anything carrying its fields) stands for, without the rest of the row. */
export const actorOf = (user: Actor): Actor => {
  const actor: Actor = { id: user.id, role: user.role, isGuest: user.isGuest };
  if (user.messagesPerDay !== undefined) actor.messagesPerDay = user.messagesPerDay;
  return actor;
};

/**
 * The operator at the command line (`chorus models …`): an admin who is no account. Its id is the nil UUID, which
 * no user has; the model history records its changes with changedBy null, as it records the seed's.
 */
export const SYSTEM_ACTOR: Actor = Object.freeze({
  id: '00000000-0000-0000-0000-000000000000',
  role: 'admin',
  isGuest: false,
});

export const isSystemActor = (actor: Actor) => actor.id === SYSTEM_ACTOR.id;
