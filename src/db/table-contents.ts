// Whether tables hold rows, and emptying them: what copying or restoring into a database checks and does first.
import { sql } from 'drizzle-orm';
import type { Executor } from './client.ts';
import { MIGRATIONS_TABLE } from './introspect.ts';
import { queryOne, queryRows } from './rows.ts';

/** The names of the tables that hold at least one row (one cheap probe each). */
export async function tablesWithRows(db: Executor, tables: readonly { name: string }[]): Promise<string[]> {
  const occupied: string[] = [];
  for (const table of tables) {
    const row = await queryOne<{ any: boolean }>(
      db,
      sql`select exists (select 1 from ${sql.identifier(table.name)}) as any`,
    );
    if (row?.any) occupied.push(table.name);
  }
  return occupied;
}

/** Deletes every row of the tables; `cascade` also empties the tables whose rows refer to them. */
export async function emptyTables(db: Executor, names: readonly string[], options: { cascade: boolean }) {
  if (names.length === 0) return;
  const list = sql.join(
    names.map((name) => sql.identifier(name)),
    sql`, `,
  );
  await db.execute(options.cascade ? sql`truncate table ${list} cascade` : sql`truncate table ${list}`);
}

/** The tags of the migrations applied to the database, as its migrations table records them (none without one). */
export async function appliedMigrationTags(db: Executor): Promise<string[]> {
  const present = await queryOne<{ present: boolean }>(
    db,
    sql`select to_regclass(${MIGRATIONS_TABLE}) is not null as present`,
  );
  if (!present?.present) return [];
  const rows = await queryRows<{ tag: string }>(db, sql`select tag from ${sql.identifier(MIGRATIONS_TABLE)}`);
  return rows.map((row) => row.tag);
}
