// System configuration: key → JSON value, e.g. where model reads come from [seed 002, seed 001 rollout flag].
// Reading is internal (the program reads its own settings); only admins change a key, and every change leaves
// an audit row (old value, new value, who, when) written in the same transaction as the change itself.
import { asc, desc, eq, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { systemConfigChanges, systemConfigs } from '../db/schema/index.ts';
import { AppError } from '../errors.ts';
import { type Actor, isAdmin } from './actor.ts';

export type SystemConfig = typeof systemConfigs.$inferSelect;
export type SystemConfigChange = typeof systemConfigChanges.$inferSelect;

export class SystemConfigStore {
  constructor(private readonly db: Database) {}

  async get(key: string): Promise<SystemConfig | undefined> {
    const [config] = await this.db.select().from(systemConfigs).where(eq(systemConfigs.key, key));
    return config;
  }

  async getAll(): Promise<SystemConfig[]> {
    return this.db.select().from(systemConfigs).orderBy(asc(systemConfigs.key));
  }

  /** Creates or replaces the key's value. Admins only. */
  async set({ actor, key, value }: { actor: Actor; key: string; value: unknown }): Promise<SystemConfig> {
    if (!isAdmin(actor)) throw new AppError('forbidden', 'only admins change system configuration');
    if (value === undefined || value === null) {
      throw new AppError('invalid_input', `a value is required for system config ${key}`);
    }
    return this.db.transaction(async (tx) => {
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
      return config!;
    });
  }

  /** Every change of the key, newest first. */
  async history(key: string): Promise<SystemConfigChange[]> {
    return this.db
      .select()
      .from(systemConfigChanges)
      .where(eq(systemConfigChanges.key, key))
      .orderBy(desc(systemConfigChanges.changedAt), desc(systemConfigChanges.id));
  }
}
