// Who is acting. Every store function that touches a user's data takes one, and enforces access in SQL.
// `isGuest` rides along because guests get tighter limits (see auth/limits.ts).
import type { users } from '../db/schema/index.ts';

export type Actor = Pick<typeof users.$inferSelect, 'id' | 'role' | 'isGuest'>;

export const isAdmin = (actor: Actor) => actor.role === 'admin';

/** The actor a users row (or anything carrying its fields) stands for, without the rest of the row. */
export const actorOf = (user: Actor): Actor => ({ id: user.id, role: user.role, isGuest: user.isGuest });
