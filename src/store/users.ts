// People: sign-ups, guests, Discord users. Lookups by id, email and Discord id.
import { randomBytes } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Database, Executor } from '../db/client.ts';
import { announce, CHANNELS } from '../db/notifications.ts';
import { users } from '../db/schema/index.ts';
import { AppError, notFound } from '../errors.ts';
import { isUniqueViolation } from './postgres-errors.ts';

export type User = typeof users.$inferSelect;
export type NewUser = Omit<typeof users.$inferInsert, 'id' | 'createdAt' | 'updatedAt'>;

const normalizeEmail = (email: string) => email.trim().toLowerCase();

/** Any fixed number every Chorus process agrees on: it serialises the first-admin check (see promoteIfNoAdmin). */
export const FIRST_ADMIN_LOCK_KEY = 726_361_002;

/** A username derived from a hint, with a random suffix so two people never collide. */
export function uniqueUsername(hint: string): string {
  const base =
    hint
      .toLowerCase()
      .replace(/[^a-z0-9_]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 38) || 'user';
  return `${base}_${randomBytes(4).toString('hex')}`;
}

export class UserStore {
  private readonly accountListeners = new Set<(userId: string) => void>();

  constructor(private readonly db: Database) {}

  async create(input: Partial<NewUser> & { email?: string | null }, db: Executor = this.db): Promise<User> {
    const email = input.email ? normalizeEmail(input.email) : null;
    const username = input.username ?? uniqueUsername(email?.split('@')[0] ?? input.displayName ?? 'user');
    try {
      const [user] = await db
        .insert(users)
        .values({ ...input, email, username })
        .returning();
      return user!;
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new AppError('conflict', 'a user with this email, username or Discord id already exists', {
          cause: error,
        });
      }
      throw error;
    }
  }

  /** A guest: no email, limited by the guest message quota. */
  createGuest(): Promise<User> {
    return this.create({ isGuest: true, username: uniqueUsername('guest'), displayName: 'Guest' });
  }

  async getById(id: string): Promise<User> {
    const [user] = await this.db.select().from(users).where(eq(users.id, id));
    if (!user) throw notFound('user', id);
    return user;
  }

  async findByEmail(email: string): Promise<User | undefined> {
    const [user] = await this.db
      .select()
      .from(users)
      .where(eq(users.email, normalizeEmail(email)));
    return user;
  }

  async findByDiscordId(discordId: string): Promise<User | undefined> {
    const [user] = await this.db.select().from(users).where(eq(users.discordId, discordId));
    return user;
  }

  /** The Chorus user behind a Discord account, created on first sight. Safe under races. */
  async ensureDiscordUser(input: {
    discordId: string;
    username: string;
    displayName?: string;
    avatarUrl?: string | null;
  }): Promise<User> {
    const [created] = await this.db
      .insert(users)
      .values({
        discordId: input.discordId,
        username: uniqueUsername(input.username),
        displayName: input.displayName ?? input.username,
        avatarUrl: input.avatarUrl ?? null,
      })
      .onConflictDoNothing({ target: users.discordId })
      .returning();
    return created ?? (await this.findByDiscordId(input.discordId))!;
  }

  /**
   * Changes an account. Whoever remembers something of it hears of the change: this process's listeners (see
   * onAccountChanged) before this returns, every process through CHANNELS.credentials; so a deactivation applies at once.
   */
  async update(
    id: string,
    changes: Partial<
      Pick<NewUser, 'displayName' | 'avatarUrl' | 'preferences' | 'isActive' | 'role' | 'emailVerified'>
    >,
  ): Promise<User> {
    const user = await this.db.transaction(async (tx) => {
      const [updated] = await tx.update(users).set(changes).where(eq(users.id, id)).returning();
      if (!updated) throw notFound('user', id);
      await announce(tx, CHANNELS.credentials, `user:${id}`);
      return updated;
    });
    this.accountChanged(id);
    return user;
  }

  /** Tells this process's listeners that an account changed (its change committed and announced to the others). */
  accountChanged(id: string): void {
    for (const listener of this.accountListeners) listener(id);
  }

  /** Calls `listener` with the id of each account this process changes, once the change is committed. */
  onAccountChanged(listener: (userId: string) => void): void {
    this.accountListeners.add(listener);
  }

  /**
   * Makes the user an admin if nobody is one yet (the first-user rule). Two sign-ups racing to be first take turns
   * on the advisory lock, and the second one's check then sees the first one's committed admin: exactly one wins.
   */
  async promoteIfNoAdmin(id: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${FIRST_ADMIN_LOCK_KEY})`);
      const promoted = await tx
        .update(users)
        .set({ role: 'admin' })
        .where(and(eq(users.id, id), sql`not exists (select 1 from ${users} where ${users.role} = 'admin')`))
        .returning({ id: users.id });
      return promoted.length > 0;
    });
  }

  /** The user's own daily message limit; null when they have none (or no longer exist). */
  async ownDailyLimit(id: string): Promise<number | null> {
    const [row] = await this.db.select({ limit: users.messagesPerDay }).from(users).where(eq(users.id, id));
    return row?.limit ?? null;
  }

  async count(): Promise<number> {
    const [row] = await this.db.select({ count: sql<number>`count(*)::int` }).from(users);
    return row?.count ?? 0;
  }
}
