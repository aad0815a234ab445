// Who is acting. Every store function that touches a user's data takes one, and enforces access in SQL.
import type { users } from '../db/schema/index.ts';

export type Actor = Pick<typeof users.$inferSelect, 'id' | 'role'>;

export const isAdmin = (actor: Actor) => actor.role === 'admin';
