// Who is acting. Every store function that touches a user's data takes one, and enforces access in SQL.
// `isGuest` rides along because guests get tighter limits (see auth/limits.ts).
import type { users } from '../db/schema/index.ts';

export type Actor = Pick<typeof users.$inferSelect, 'id' | 'role' | 'isGuest'>;

export const isAdmin = (actor: Actor) => actor.role === 'admin';

/** The actor a users row (or anything carrying its fields) stands for, without the rest of the row. */
export const actorOf = (user: Actor): Actor => ({ id: user.id, role: user.role, isGuest: user.isGuest });

/**
 * The operator at the command line (`chorus models …`): an admin who is no account. Its id is the nil UUID, which
 * no user has; the model history records its changes with changedBy null, as it records the seed's.
 */
export const SYSTEM_ACTOR: Actor = Object.freeze({ id: '00000000-0000-0000-0000-000000000000', role: 'admin', isGuest: false });

export const isSystemActor = (actor: Actor) => actor.id === SYSTEM_ACTOR.id;
