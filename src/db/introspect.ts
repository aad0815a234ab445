// The live schema's tables as pg_catalog describes them (columns, primary key, foreign keys), ordered so
// that every table comes after the tables it references. `chorus db copy` works from this rather than a
// hand-kept list of tables, so a table added by a later migration is copied without anyone remembering to.
import { sql } from 'drizzle-orm';
import type { Executor } from './client.ts';
import { queryRows } from './rows.ts';

/** The migrator's own bookkeeping: every database keeps its own, so it is no application table. */
export const MIGRATIONS_TABLE = 'chorus_migrations';
const SCHEMA = 'public';

/** `type` is the SQL type as format_type spells it (`character varying(200)`, `message_role`), castable from text. */
export type ColumnLayout = { name: string; type: string; notNull: boolean };

export type TableLayout = {
  name: string;
  /** Writable columns in table order; generated columns are left out, the target computes them. */
  columns: ColumnLayout[];
  primaryKey: string[];
  /** Other tables this one has foreign keys to. */
  references: string[];
  /** Columns of foreign keys to the table itself (messages.parent_id): a row may point at a row not yet copied. */
  selfReferencingColumns: string[];
};

type ColumnRow = { table_name: string; column_name: string; type: string; not_null: boolean; generated: boolean };
type ConstraintRow = { table_name: string; kind: 'p' | 'f'; columns: string[]; referenced: string | null };

export async function readTableLayouts(db: Executor): Promise<TableLayout[]> {
  const columnRows = await queryRows<ColumnRow>(
    db,
    sql`select c.relname as table_name, a.attname as column_name,
          format_type(a.atttypid, a.atttypmod) as type, a.attnotnull as not_null,
          a.attgenerated <> '' as generated
        from pg_class c
        join pg_namespace n on n.oid = c.relnamespace
        join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
        where n.nspname = ${SCHEMA} and c.relkind in ('r', 'p') and c.relname <> ${MIGRATIONS_TABLE}
        order by c.relname, a.attnum`,
  );
  const constraintRows = await queryRows<ConstraintRow>(
    db,
    sql`select c.relname as table_name, con.contype as kind, referenced.relname as referenced,
          array(select a.attname::text
                from unnest(con.conkey) with ordinality as key(attnum, position)
                join pg_attribute a on a.attrelid = con.conrelid and a.attnum = key.attnum
                order by key.position) as columns
        from pg_constraint con
        join pg_class c on c.oid = con.conrelid
        join pg_namespace n on n.oid = c.relnamespace
        left join pg_class referenced on referenced.oid = con.confrelid
        where n.nspname = ${SCHEMA} and con.contype in ('p', 'f') and c.relname <> ${MIGRATIONS_TABLE}
        order by c.relname, con.conname`,
  );

  const layouts = new Map<string, TableLayout>();
  const layoutOf = (name: string) => {
    let layout = layouts.get(name);
    if (!layout) {
      layout = { name, columns: [], primaryKey: [], references: [], selfReferencingColumns: [] };
      layouts.set(name, layout);
    }
    return layout;
  };
  for (const row of columnRows) {
    if (!row.generated)
      layoutOf(row.table_name).columns.push({ name: row.column_name, type: row.type, notNull: row.not_null });
  }
  for (const row of constraintRows) {
    const layout = layoutOf(row.table_name);
    if (row.kind === 'p') layout.primaryKey = row.columns;
    else if (row.referenced === row.table_name) layout.selfReferencingColumns.push(...row.columns);
    else if (row.referenced && !layout.references.includes(row.referenced)) layout.references.push(row.referenced);
  }
  return [...layouts.values()];
}

/**
 * Referenced tables first (Kahn's algorithm; ties broken by name so the order is stable). References to
 * tables outside the set are ignored; a cycle between different tables cannot be copied table by table.
 */
export function orderByForeignKeys(tables: TableLayout[]): TableLayout[] {
  const byName = new Map(tables.map((table) => [table.name, table]));
  const waitingOn = new Map(
    tables.map((table) => [table.name, new Set(table.references.filter((name) => byName.has(name)))]),
  );
  const ordered: TableLayout[] = [];
  while (waitingOn.size > 0) {
    const ready = [...waitingOn]
      .filter(([, pending]) => pending.size === 0)
      .map(([name]) => name)
      .sort();
    if (ready.length === 0) {
      throw new Error(`foreign keys form a cycle between tables: ${[...waitingOn.keys()].sort().join(', ')}`);
    }
    for (const name of ready) {
      ordered.push(byName.get(name)!);
      waitingOn.delete(name);
      for (const pending of waitingOn.values()) pending.delete(name);
    }
  }
  return ordered;
}
