// Restores a backup into a database: an empty one (or one whose rows --force deletes), brought to the backup's
// migration first, loaded in one transaction (foreign keys dropped while the rows go in and added back after, as
// pg_restore does, so rows load in any order and a self-reference needs no second pass), every table checked
// against the manifest (row count and SHA-256 of its text) before anything is committed, then migrated up to this
// version of Chorus.
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { DatabaseHandle } from '../db/client.ts';
import { TargetNotEmptyError } from '../db/copy.ts';
import { orderByForeignKeys, readTableLayouts, type TableLayout } from '../db/introspect.ts';
import { loadMigrations, type Migration } from '../db/migrations/files.ts';
import { migrateDown, migrateUp } from '../db/migrations/migrator.ts';
import { appliedMigrationTags, emptyTables, tablesWithRows } from '../db/table-contents.ts';
import { inLoadTransaction, type TableStreams } from '../db/table-streams.ts';
import { AppError } from '../errors.ts';
import type { BackupLocation } from './backup-location.ts';
import { MANIFEST_FILE, type Manifest, type ManifestTable, manifestSchema } from './manifest.ts';
import { digestingStream } from './table-digest.ts';

/** A table of the backup whose contents are not what its manifest says: the backup was altered or damaged. */
export class BackupMismatchError extends AppError {
  constructor(
    readonly table: string,
    what: string,
  ) {
    super('conflict', `the backup's table ${table} does not match its manifest: ${what}`, { details: { table } });
  }
}

export type RestoreReport = {
  manifest: Manifest;
  rowsRestored: number;
  /** Migrations applied after loading, to bring the backup up to this version. */
  migratedUp: string[];
  elapsedMs: number;
};

export type RestoreOptions = {
  /** Delete the rows the target holds first; otherwise a non-empty target is refused. */
  force?: boolean;
  onTableRestored?: (table: string, rows: number) => void;
  migrations?: Migration[];
};

export async function readManifest(location: BackupLocation): Promise<Manifest> {
  const read = await location.storage.get(location.prefix + MANIFEST_FILE);
  if (!read) {
    throw new AppError(
      'not_found',
      `no complete backup at ${location.address}: it has no ${MANIFEST_FILE} (a backup cut short has none)`,
    );
  }
  const text = await new Response(read.body).text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new AppError('invalid_input', `${MANIFEST_FILE} at ${location.address} is not JSON`, { cause: error });
  }
  const manifest = manifestSchema.safeParse(parsed);
  if (!manifest.success) {
    throw new AppError('invalid_input', `${MANIFEST_FILE} at ${location.address} is not a Chorus backup manifest`, {
      details: manifest.error.issues,
    });
  }
  return manifest.data;
}

export async function restoreBackup(
  target: DatabaseHandle,
  location: BackupLocation,
  options: RestoreOptions = {},
): Promise<RestoreReport> {
  const started = performance.now();
  const manifest = await readManifest(location);
  const migrations = options.migrations ?? loadMigrations();
  const atBackup = migrationsUpTo(manifest, migrations);

  const existing = orderByForeignKeys(await readTableLayouts(target.db));
  const occupied = await tablesWithRows(target.db, existing);
  if (occupied.length > 0 && !options.force) throw new TargetNotEmptyError(occupied);
  await emptyTables(target.db, occupied, { cascade: true });
  await bringToMigration(target, atBackup, migrations);

  const layouts = new Map((await readTableLayouts(target.db)).map((table) => [table.name, table]));
  assertSameShape(manifest, layouts);
  let rowsRestored = 0;
  await inLoadTransaction(target, async (streams) => {
    const foreignKeys = await streams.query<{ table_name: string; name: string; definition: string }>(
      `select c.relname as table_name, con.conname as name, pg_get_constraintdef(con.oid) as definition
       from pg_constraint con join pg_class c on c.oid = con.conrelid join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public' and con.contype = 'f'`,
    );
    for (const key of foreignKeys) {
      await streams.query(`alter table ${quote(key.table_name)} drop constraint ${quote(key.name)}`);
    }
    for (const table of manifest.tables) {
      await loadTable(streams, location, table, layouts.get(table.name)!);
      rowsRestored += table.rows;
      options.onTableRestored?.(table.name, table.rows);
    }
    for (const key of foreignKeys) {
      await streams.query(`alter table ${quote(key.table_name)} add constraint ${quote(key.name)} ${key.definition}`);
    }
  });
  const migratedUp = await migrateUp(target.db, migrations);
  return { manifest, rowsRestored, migratedUp, elapsedMs: performance.now() - started };
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** The known migrations up to the backup's: a backup from a newer Chorus, or another lineage, is refused. */
function migrationsUpTo(manifest: Manifest, migrations: Migration[]): Migration[] {
  const differs = manifest.migrations.findIndex((tag, index) => migrations[index]?.tag !== tag);
  if (differs !== -1) {
    throw new AppError(
      'conflict',
      `the backup is at migration ${manifest.migrations.at(-1)}, which this version of Chorus does not know ` +
        `(first unknown: ${manifest.migrations[differs]}); restore it with the version that made it, or a newer one`,
    );
  }
  return migrations.slice(0, manifest.migrations.length);
}

/** Migrates the (empty) target up or down to exactly the backup's migrations. */
async function bringToMigration(target: DatabaseHandle, atBackup: Migration[], migrations: Migration[]) {
  const applied = await appliedMigrationTags(target.db);
  const beyond = applied.filter((tag) => !atBackup.some((migration) => migration.tag === tag));
  if (beyond.length > 0) await migrateDown(target.db, beyond.length, migrations);
  await migrateUp(target.db, atBackup);
}

/** The target, at the backup's migration, must have every table of the backup with the same columns. */
function assertSameShape(manifest: Manifest, layouts: Map<string, TableLayout>): void {
  const describe = (columns: { name: string; type: string }[]) =>
    columns.map((column) => `${column.name} ${column.type}`).join(', ');
  const differing = manifest.tables
    .filter((table) => {
      const layout = layouts.get(table.name);
      return !layout || describe(layout.columns) !== describe(table.columns);
    })
    .map((table) => table.name);
  if (differing.length > 0) {
    throw new AppError(
      'conflict',
      `the target's tables differ in shape from the backup's at the same migration: ${differing.join(', ')}`,
      { details: { tables: differing } },
    );
  }
}

async function loadTable(
  streams: TableStreams,
  location: BackupLocation,
  table: ManifestTable,
  layout: TableLayout,
): Promise<void> {
  const read = await location.storage.get(location.prefix + table.file);
  if (!read) throw new BackupMismatchError(table.name, `its file ${table.file} is missing`);
  const digesting = digestingStream(
    Readable.fromWeb(read.body as import('node:stream/web').ReadableStream<Uint8Array>).compose(createGunzip()),
  );
  try {
    await streams.copyIn(layout, digesting.chunks);
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('conflict', `restoring table ${table.name} failed: ${(error as Error).message}`, {
      cause: error,
      details: { table: table.name },
    });
  }
  const { rows, sha256 } = digesting.digest();
  if (sha256 !== table.sha256) {
    throw new BackupMismatchError(table.name, `its SHA-256 is ${sha256}, the manifest says ${table.sha256}`);
  }
  if (rows !== table.rows) throw new BackupMismatchError(table.name, `${rows} rows, the manifest says ${table.rows}`);
  const [loaded] = await streams.query<{ count: string | number }>(
    `select count(*) as count from ${quote(table.name)}`,
  );
  if (Number(loaded?.count) !== table.rows) {
    throw new BackupMismatchError(table.name, `${loaded?.count} rows loaded, the manifest says ${table.rows}`);
  }
}
