// What a database holds, in a form tests can compare with deepEqual: its schema as pg_catalog describes
// it, and the full contents of every table. Both leave out the migrator's own bookkeeping table.
import { sql } from 'drizzle-orm';
import type { Database } from '../../src/db/client.ts';
import { MIGRATIONS_TABLE, readTableLayouts } from '../../src/db/introspect.ts';
import { queryRows } from '../../src/db/rows.ts';

export type SchemaDescription = {
  tables: string[];
  columns: string[];
  constraints: string[];
  indexes: string[];
  enums: string[];
};

/** One readable line per object, sorted, so a difference shows up as a line in the assertion diff. */
export async function describeSchema(db: Database): Promise<SchemaDescription> {
  const lines = async (query: ReturnType<typeof sql>) =>
    (await queryRows<{ line: string }>(db, query)).map((row) => row.line).sort();
  return {
    tables: await lines(sql`
      select c.relname || ' ' || c.relkind::text as line from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm', 'S') and c.relname <> ${MIGRATIONS_TABLE}`),
    // Positions are ranks, not attnum: a column dropped and re-added leaves a gap in attnum only.
    columns: await lines(sql`
      select c.relname || '.' || a.attname
          || ' #' || row_number() over (partition by c.oid order by a.attnum)
          || ' ' || format_type(a.atttypid, a.atttypmod)
          || case when a.attnotnull then ' not null' else ' null' end
          || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')
          || case when a.attgenerated <> '' then ' generated' else '' end as line
      from pg_attribute a
      join pg_class c on c.oid = a.attrelid
      join pg_namespace n on n.oid = c.relnamespace
      left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
      where n.nspname = 'public' and c.relkind in ('r', 'p') and a.attnum > 0 and not a.attisdropped
        and c.relname <> ${MIGRATIONS_TABLE}`),
    // pg_get_constraintdef spells out columns, referenced table and ON DELETE / ON UPDATE actions.
    constraints: await lines(sql`
      select c.relname || ' ' || con.conname || ' ' || con.contype::text || ': ' || pg_get_constraintdef(con.oid) as line
      from pg_constraint con
      join pg_class c on c.oid = con.conrelid
      join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relname <> ${MIGRATIONS_TABLE}`),
    indexes: await lines(sql`
      select tablename || ' ' || indexname || ': ' || indexdef as line from pg_indexes
      where schemaname = 'public' and tablename <> ${MIGRATIONS_TABLE}`),
    enums: await lines(sql`
      select t.typname || ': ' || string_agg(e.enumlabel, ', ' order by e.enumsortorder) as line
      from pg_type t
      join pg_enum e on e.enumtypid = t.oid
      join pg_namespace n on n.oid = t.typnamespace
      where n.nspname = 'public'
      group by t.typname`),
  };
}

/**
 * Every row of every table as JSON of its columns' text forms (exact for numerics, bytea as hex, timestamps
 * in UTC, a jsonb `null` distinct from SQL NULL), sorted per table. `omitColumns` leaves columns out.
 */
export async function readTableContents(
  db: Database,
  omitColumns: Record<string, string[]> = {},
): Promise<Record<string, string[]>> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('TimeZone', 'UTC', true)`);
    const layouts = (await readTableLayouts(tx)).sort((a, b) => a.name.localeCompare(b.name));
    const contents: Record<string, string[]> = {};
    for (const table of layouts) {
      const omitted = omitColumns[table.name] ?? [];
      const columns = table.columns
        .filter((column) => !omitted.includes(column.name))
        .map((column) => sql`${sql.identifier(column.name)}::text as ${sql.identifier(column.name)}`);
      const rows = await queryRows<{ line: string }>(
        tx,
        sql`select to_jsonb(as_text)::text as line from (select ${sql.join(columns, sql`, `)} from ${sql.identifier(table.name)}) as_text`,
      );
      contents[table.name] = rows.map((entry) => entry.line).sort();
    }
    return contents;
  });
}
