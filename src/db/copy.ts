// Copies every row of every application table from one database to another (PGlite ⇄ PostgreSQL, or
// any pair): the engine behind `chorus db copy`. Both sides must be at the same migration; the migration
// bookkeeping itself is never copied. How the rows of one table travel: copy-rows.ts.
import { sql } from 'drizzle-orm';
import { AppError } from '../errors.ts';
import type { DatabaseHandle, Executor } from './client.ts';
import { copyTableRows } from './copy-rows.ts';
import { MIGRATIONS_TABLE, orderByForeignKeys, readTableLayouts, type TableLayout } from './introspect.ts';
import { queryOne, queryRows } from './rows.ts';
import { emptyTables, tablesWithRows } from './table-contents.ts';

export type CopyObserver = {
  tableStarted?(table: string, rowsToCopy: number): void;
  rowsCopied?(table: string, rowsCopiedSoFar: number): void;
  tableFinished?(table: string, rowsCopied: number): void;
};

export type CopyOptions = {
  /** Most rows per batch; each batch is one SELECT on the source and one INSERT on the target. */
  batchSize?: number;
  /** About how many bytes of their columns' text a batch holds at most; a row larger than that goes alone. */
  batchBytes?: number;
  /** Delete the rows the target already holds first; otherwise a non-empty target is refused. */
  replaceExisting?: boolean;
  observer?: CopyObserver;
};

export type TableCount = { table: string; source: number; target: number };
export type CopyReport = { tables: TableCount[]; rowsCopied: number; elapsedMs: number; countsMatch: boolean };

const DEFAULT_BATCH_SIZE = 1000;
/**
 * Well inside what either side holds in one value: the embedded database's 2 GB of memory keeps a batch's JSON a few
 * times over while it builds and sends it, and PostgreSQL refuses a single value over 1 GB.
 */
export const DEFAULT_BATCH_BYTES = 16 * 1024 * 1024;

/** Copying into rows that are already there would mix two installations; the caller decides to replace them. */
export class TargetNotEmptyError extends AppError {
  readonly tables: string[];

  constructor(tables: string[]) {
    super('conflict', `the target database already holds rows in: ${tables.join(', ')}`, { details: { tables } });
    this.tables = tables;
  }
}

export async function copyDatabase(
  source: DatabaseHandle,
  target: DatabaseHandle,
  options: CopyOptions = {},
): Promise<CopyReport> {
  const limits = { rows: options.batchSize ?? DEFAULT_BATCH_SIZE, bytes: options.batchBytes ?? DEFAULT_BATCH_BYTES };
  const observer = options.observer ?? {};
  const started = performance.now();
  // The source is read in one repeatable-read snapshot, so a server still writing to it cannot make the
  // copy inconsistent; the target is written in one transaction, so a failed copy leaves it as it was.
  const sourceCounts = await source.db.transaction(
    async (from) => {
      await useExactTextFormats(from);
      return target.db.transaction(async (to) => {
        await useExactTextFormats(to);
        await assertSameMigrations(from, to);
        const tables = orderByForeignKeys(await readTableLayouts(to));
        assertSameLayouts(await readTableLayouts(from), tables);
        await prepareTarget(to, tables, options.replaceExisting ?? false);
        const counts = new Map<string, number>();
        for (const table of tables) {
          const rowsToCopy = await countRows(from, table.name);
          observer.tableStarted?.(table.name, rowsToCopy);
          const copied = await copyTableRows(from, to, table, limits, (soFar) =>
            observer.rowsCopied?.(table.name, soFar),
          );
          observer.tableFinished?.(table.name, copied);
          counts.set(table.name, rowsToCopy);
        }
        return counts;
      });
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
  const elapsedMs = performance.now() - started;

  // Counted again after commit, through a fresh statement: what the target really holds now.
  const tables: TableCount[] = [];
  for (const [table, count] of sourceCounts) {
    tables.push({ table, source: count, target: await countRows(target.db, table) });
  }
  return {
    tables,
    rowsCopied: tables.reduce((sum, table) => sum + table.source, 0),
    elapsedMs,
    countsMatch: tables.every((table) => table.source === table.target),
  };
}

/** Pins the text forms of dates, floats and bytes for this transaction, so both sides read them the same way. */
async function useExactTextFormats(db: Executor): Promise<void> {
  await db.execute(sql`select
    set_config('TimeZone', 'UTC', true), set_config('DateStyle', 'ISO, YMD', true),
    set_config('IntervalStyle', 'postgres', true), set_config('extra_float_digits', '3', true),
    set_config('bytea_output', 'hex', true)`);
}

async function appliedMigrations(db: Executor): Promise<string[]> {
  const exists = await queryOne<{ present: boolean }>(
    db,
    sql`select to_regclass(${MIGRATIONS_TABLE}) is not null as present`,
  );
  if (!exists?.present) return [];
  const rows = await queryRows<{ tag: string }>(
    db,
    sql`select tag from ${sql.identifier(MIGRATIONS_TABLE)} order by tag`,
  );
  return rows.map((row) => row.tag);
}

async function assertSameMigrations(source: Executor, target: Executor): Promise<void> {
  const [sourceTags, targetTags] = [await appliedMigrations(source), await appliedMigrations(target)];
  if (sourceTags.join() === targetTags.join()) return;
  throw new AppError(
    'conflict',
    `source and target are at different migrations (source: ${sourceTags.at(-1) ?? 'none'}, ` +
      `target: ${targetTags.at(-1) ?? 'none'}); migrate both with this version of Chorus first`,
  );
}

/** Guards against hand-made drift the migration tags cannot see: every column must exist with the same type. */
function assertSameLayouts(source: TableLayout[], target: TableLayout[]): void {
  const describe = (tables: TableLayout[]) =>
    new Map(
      tables.map((table) => [table.name, table.columns.map((column) => `${column.name} ${column.type}`).join(', ')]),
    );
  const [sourceTables, targetTables] = [describe(source), describe(target)];
  const names = new Set([...sourceTables.keys(), ...targetTables.keys()]);
  const differing = [...names].filter((name) => sourceTables.get(name) !== targetTables.get(name)).sort();
  if (differing.length > 0) {
    throw new AppError('conflict', `source and target tables differ in shape: ${differing.join(', ')}`, {
      details: { tables: differing },
    });
  }
}

async function prepareTarget(target: Executor, tables: TableLayout[], replaceExisting: boolean): Promise<void> {
  if (replaceExisting) {
    await emptyTables(
      target,
      tables.map((table) => table.name),
      { cascade: false },
    );
    return;
  }
  const occupied = await tablesWithRows(target, tables);
  if (occupied.length > 0) throw new TargetNotEmptyError(occupied);
}

async function countRows(db: Executor, table: string): Promise<number> {
  const row = await queryOne<{ count: string | number }>(
    db,
    sql`select count(*) as count from ${sql.identifier(table)}`,
  );
  return Number(row?.count ?? 0);
}
