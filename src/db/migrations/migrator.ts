// Applies and reverts the drizzle-kit migrations. Each run holds a transaction-scoped advisory lock,
// so two processes migrating at once take turns and every migration is applied exactly once.
import { sql } from 'drizzle-orm';
import type { Database, Executor } from '../client.ts';
import { queryRows } from '../rows.ts';
import { loadMigrations, type Migration } from './files.ts';

/** Arbitrary but fixed: every Chorus process agrees on it. */
const MIGRATION_LOCK_KEY = 726_361_001;

export type MigrationState = { tag: string; applied: boolean; appliedAt: Date | null };

async function lockAndEnsureTable(tx: Executor): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`);
  await tx.execute(sql`
    create table if not exists chorus_migrations (
      tag text primary key,
      checksum text not null,
      applied_at timestamptz not null default now()
    )`);
}

async function appliedTags(tx: Executor): Promise<Map<string, Date>> {
  const rows = await queryRows<{ tag: string; applied_at: Date | string }>(
    tx,
    sql`select tag, applied_at from chorus_migrations order by tag`,
  );
  return new Map(rows.map((row) => [row.tag, new Date(row.applied_at)]));
}

async function runStatements(tx: Executor, statements: string[]): Promise<void> {
  for (const statement of statements) await tx.execute(sql.raw(statement));
}

/** Applies every pending migration in order; returns the tags applied by this call. */
export async function migrateUp(db: Database, migrations: Migration[] = loadMigrations()): Promise<string[]> {
  return db.transaction(async (tx) => {
    await lockAndEnsureTable(tx);
    const applied = await appliedTags(tx);
    const pending = migrations.filter((migration) => !applied.has(migration.tag));
    for (const migration of pending) {
      await runStatements(tx, migration.up);
      await tx.execute(
        sql`insert into chorus_migrations (tag, checksum) values (${migration.tag}, ${migration.checksum})`,
      );
    }
    return pending.map((migration) => migration.tag);
  });
}

/** Reverts the newest `steps` applied migrations (all of them with `Infinity`); returns the tags reverted. */
export async function migrateDown(
  db: Database,
  steps: number,
  migrations: Migration[] = loadMigrations(),
): Promise<string[]> {
  return db.transaction(async (tx) => {
    await lockAndEnsureTable(tx);
    const applied = await appliedTags(tx);
    const toRevert = migrations
      .filter((migration) => applied.has(migration.tag))
      .reverse()
      .slice(0, steps);
    for (const migration of toRevert) {
      await runStatements(tx, migration.down);
      await tx.execute(sql`delete from chorus_migrations where tag = ${migration.tag}`);
    }
    return toRevert.map((migration) => migration.tag);
  });
}

export async function migrationStatus(
  db: Database,
  migrations: Migration[] = loadMigrations(),
): Promise<MigrationState[]> {
  return db.transaction(async (tx) => {
    await lockAndEnsureTable(tx);
    const applied = await appliedTags(tx);
    return migrations.map((migration) => ({
      tag: migration.tag,
      applied: applied.has(migration.tag),
      appliedAt: applied.get(migration.tag) ?? null,
    }));
  });
}
