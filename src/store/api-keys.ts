// API keys: rows of a key's hash, never the key. Listing and revoking are scoped to the key's owner in SQL; the
// lookup behind `Authorization: Bearer` finds the owner in the same query and ignores deactivated users.
import { and, desc, eq, gt, isNull, or, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { announce, CHANNELS } from '../db/notifications.ts';
import { apiKeys, users } from '../db/schema/index.ts';
import { notFound } from '../errors.ts';
import type { Actor } from './actor.ts';

export type ApiKey = typeof apiKeys.$inferSelect;
export type ApiKeySummary = Pick<ApiKey, 'id' | 'name' | 'prefix' | 'createdAt' | 'lastUsedAt' | 'expiresAt'>;

/** Writing "last used" on every request would turn each read into a write; once a minute says enough. */
const LAST_USED_RESOLUTION_MS = 60_000;

const summaryColumns = {
  id: apiKeys.id,
  name: apiKeys.name,
  prefix: apiKeys.prefix,
  createdAt: apiKeys.createdAt,
  lastUsedAt: apiKeys.lastUsedAt,
  expiresAt: apiKeys.expiresAt,
};

export class ApiKeyStore {
  /** Every request with a key starts with this lookup: prepared once. */
  private readonly actorByKeyHash;
  private readonly revocationListeners = new Set<(keyHash: string) => void>();

  constructor(private readonly db: Database) {
    this.actorByKeyHash = db
      .select({
        keyId: apiKeys.id,
        lastUsedAt: apiKeys.lastUsedAt,
        id: users.id,
        role: users.role,
        isGuest: users.isGuest,
        messagesPerDay: users.messagesPerDay,
        keyExpiresAt: apiKeys.expiresAt,
        card: { displayName: users.displayName, username: users.username, avatarUrl: users.avatarUrl },
      })
      .from(apiKeys)
      .innerJoin(users, eq(users.id, apiKeys.userId))
      .where(
        and(
          eq(apiKeys.keyHash, sql.placeholder('keyHash')),
          eq(users.isActive, true),
          or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, sql`now()`)),
        ),
      )
      .prepare('api_keys_actor_by_hash');
  }

  async create(input: {
    actor: Actor;
    name: string | null;
    prefix: string;
    keyHash: string;
    expiresAt: Date | null;
  }): Promise<ApiKeySummary> {
    const [created] = await this.db
      .insert(apiKeys)
      .values({
        userId: input.actor.id,
        name: input.name,
        prefix: input.prefix,
        keyHash: input.keyHash,
        expiresAt: input.expiresAt,
      })
      .returning(summaryColumns);
    return created!;
  }

  /** The actor's keys, newest first. */
  listForActor(actor: Actor): Promise<ApiKeySummary[]> {
    return this.db
      .select(summaryColumns)
      .from(apiKeys)
      .where(eq(apiKeys.userId, actor.id))
      .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
  }

  /**
   * Revokes one of the actor's own keys; someone else's key is "not found", so ids reveal nothing. Whoever remembers
   * the key hears of it: this process's listeners (onRevoked) before this returns, every process through
   * CHANNELS.credentials.
   */
  async revoke({ actor, id }: { actor: Actor; id: string }): Promise<void> {
    const keyHash = await this.db.transaction(async (tx) => {
      const [deleted] = await tx
        .delete(apiKeys)
        .where(and(eq(apiKeys.id, id), eq(apiKeys.userId, actor.id)))
        .returning({ keyHash: apiKeys.keyHash });
      if (!deleted) throw notFound('API key', id);
      await announce(tx, CHANNELS.credentials, `key:${deleted.keyHash}`);
      return deleted.keyHash;
    });
    for (const listener of this.revocationListeners) listener(keyHash);
  }

  /** Calls `listener` with the hash of each key this process revokes, once the revocation is committed. */
  onRevoked(listener: (keyHash: string) => void): void {
    this.revocationListeners.add(listener);
  }

  /** The active user a key hash belongs to, if any, and notes the key as used. */
  /** The active user behind an unexpired key, and when the key expires (null: never). */
  async findActorByKeyHash(keyHash: string): Promise<(Actor & { keyExpiresAt: Date | null }) | undefined> {
    const [found] = await this.actorByKeyHash.execute({ keyHash });
    if (!found) return undefined;
    if (!found.lastUsedAt || Date.now() - found.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
      await this.db.update(apiKeys).set({ lastUsedAt: sql`now()` }).where(eq(apiKeys.id, found.keyId));
    }
    return {
      id: found.id,
      role: found.role,
      isGuest: found.isGuest,
      card: found.card,
      messagesPerDay: found.messagesPerDay,
      keyExpiresAt: found.keyExpiresAt,
    };
  }
}
