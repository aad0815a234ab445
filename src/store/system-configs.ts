// System configuration: key → JSON value, e.g. where model reads come from.
// Reading is internal (the program reads its own settings); only admins change a key, and every change leaves
// an audit row (old value, new value, who, when) written in the same transaction as the change itself.
// Keys under `internal.` (say, the generated session-signing secret) are the program's own: no reader or writer
// of configuration sees them, so no configuration API can reveal or replace them, and they are never audited.
import { performance } from 'node:perf_hooks';
import { asc, desc, eq, not, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { announce, CHANNELS } from '../db/notifications.ts';
import { systemConfigChanges, systemConfigs, users } from '../db/schema/index.ts';
import { AppError } from '../errors.ts';
import { type Actor, isAdmin } from './actor.ts';

export type SystemConfig = typeof systemConfigs.$inferSelect;
/** A change, with the username of who made it (null once they are deleted). */
export type SystemConfigChange = typeof systemConfigChanges.$inferSelect & { changedByName: string | null };

export const INTERNAL_KEY_PREFIX = 'internal.';
const isInternalKey = (key: string) => key.startsWith(INTERNAL_KEY_PREFIX);

export class SystemConfigStore {
  /** Values `getRecent` read, with when. */
  private readonly recent = new Map<string, { config: SystemConfig | undefined; readAt: number }>();
  /** Reads of `getRecent` under way, shared by the callers that arrive meanwhile. */
  private readonly reading = new Map<string, Promise<SystemConfig | undefined>>();
  /** Bumped by every change made here, so a read that raced a change does not keep the older value. */
  private changes = 0;

  constructor(private readonly db: Database) {}

  async get(key: string): Promise<SystemConfig | undefined> {
    if (isInternalKey(key)) return undefined;
    const [config] = await this.db.select().from(systemConfigs).where(eq(systemConfigs.key, key));
    return config;
  }

  /**
   * As `get`, reusing a value read less than `maxAgeMs` ago: for a setting consulted on every request (the daily
   * message limits). A change made through this store is seen at once; one made by another process within
   * `maxAgeMs`.
   */
  getRecent(key: string, maxAgeMs: number): Promise<SystemConfig | undefined> {
    const now = performance.now();
    const known = this.recent.get(key);
    if (known && now - known.readAt < maxAgeMs) return Promise.resolve(known.config);
    // When the value expires under a burst of requests, they share one read rather than each making its own.
    const pending = this.reading.get(key);
    if (pending) return pending;
    const changesBefore = this.changes;
    const read = this.get(key)
      .then((config) => {
        if (this.changes === changesBefore) this.recent.set(key, { config, readAt: now });
        return config;
      })
      .finally(() => {
        if (this.reading.get(key) === read) this.reading.delete(key);
      });
    this.reading.set(key, read);
    return read;
  }

  async getAll(): Promise<SystemConfig[]> {
    return this.db
      .select()
      .from(systemConfigs)
      .where(not(sql`starts_with(${systemConfigs.key}, ${INTERNAL_KEY_PREFIX})`))
      .orderBy(asc(systemConfigs.key));
  }

  /**
   * An internal value, created from `initial` if the key has none yet. Insert-if-absent, then read: when several
   * processes start at once on one database, every one of them gets the value of whichever insert won.
   */
  async readOrCreateInternal(key: string, initial: () => unknown): Promise<unknown> {
    if (!isInternalKey(key)) throw new Error(`internal config keys start with ${INTERNAL_KEY_PREFIX}: ${key}`);
    const [created] = await this.db
      .insert(systemConfigs)
      .values({ key, value: initial() })
      .onConflictDoNothing({ target: systemConfigs.key })
      .returning({ value: systemConfigs.value });
    if (created) return created.value;
    const [existing] = await this.db
      .select({ value: systemConfigs.value })
      .from(systemConfigs)
      .where(eq(systemConfigs.key, key));
    return existing!.value;
  }

  /** An internal value, if the key has one. */
  async findInternal(key: string): Promise<unknown> {
    if (!isInternalKey(key)) throw new Error(`internal config keys start with ${INTERNAL_KEY_PREFIX}: ${key}`);
    const [existing] = await this.db
      .select({ value: systemConfigs.value })
      .from(systemConfigs)
      .where(eq(systemConfigs.key, key));
    return existing?.value;
  }

  /** Removes an internal value (one kept elsewhere from now on). */
  async deleteInternal(key: string): Promise<void> {
    if (!isInternalKey(key)) throw new Error(`internal config keys start with ${INTERNAL_KEY_PREFIX}: ${key}`);
    await this.db.delete(systemConfigs).where(eq(systemConfigs.key, key));
  }

  /** Creates or replaces the key's value. Admins only. */
  async set({ actor, key, value }: { actor: Actor; key: string; value: unknown }): Promise<SystemConfig> {
    if (!isAdmin(actor)) throw new AppError('forbidden', 'only admins change system configuration');
    if (isInternalKey(key)) throw new AppError('forbidden', `keys under ${INTERNAL_KEY_PREFIX} belong to the program`);
    if (value === undefined || value === null) {
      throw new AppError('invalid_input', `a value is required for system config ${key}`);
    }
    return this.db
      .transaction(async (tx) => {
        // A new key: the insert wins or, if another transaction is inserting the same key, waits for it and
        // does nothing. Either way the row then exists, and locking it gives the true old value for the audit.
        const [created] = await tx
          .insert(systemConfigs)
          .values({ key, value, updatedBy: actor.id })
          .onConflictDoNothing({ target: systemConfigs.key })
          .returning();
        let oldValue: unknown = null;
        let config = created;
        if (!config) {
          const [previous] = await tx
            .select({ value: systemConfigs.value })
            .from(systemConfigs)
            .where(eq(systemConfigs.key, key))
            .for('update');
          oldValue = previous!.value;
          [config] = await tx
            .update(systemConfigs)
            .set({ value, updatedBy: actor.id, updatedAt: sql`now()` })
            .where(eq(systemConfigs.key, key))
            .returning();
        }
        await tx.insert(systemConfigChanges).values({
          key,
          oldValue,
          newValue: value,
          changedBy: actor.id,
          // History is read in time order; two changes within one millisecond would tie at the column's precision.
          // The key's row is locked here, so "1 ms after the previous change" is race-free.
          changedAt: sql`greatest(date_trunc('milliseconds', clock_timestamp()),
          (select max(${systemConfigChanges.changedAt}) + interval '1 millisecond' from ${systemConfigChanges}
           where ${systemConfigChanges.key} = ${key}))`,
        });
        // Processes that act on this key (say, where model reads come from) hear of it once this commits.
        await announce(tx, CHANNELS.config, key);
        return config!;
      })
      .finally(() => {
        this.changes++;
        this.recent.delete(key);
        this.reading.delete(key);
      });
  }

  /** Every change of the key, newest first. */
  async history(key: string): Promise<SystemConfigChange[]> {
    if (isInternalKey(key)) return [];
    const rows = await this.db
      .select({ change: systemConfigChanges, changedByName: users.username })
      .from(systemConfigChanges)
      .leftJoin(users, eq(users.id, systemConfigChanges.changedBy))
      .where(eq(systemConfigChanges.key, key))
      .orderBy(desc(systemConfigChanges.changedAt), desc(systemConfigChanges.id));
    return rows.map(({ change, changedByName }) => ({ ...change, changedByName }));
  }
}
