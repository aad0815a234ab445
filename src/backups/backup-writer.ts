// Writes one backup: every table out of one consistent snapshot, each as gzip-compressed COPY text streamed into the
// location, then the manifest, last. A backup cut short (killed, failed) has no manifest and is no backup; each file
// in it is whole or absent (file storage writes a file under a temporary name, or as an upload finished at once).
import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import type { DatabaseHandle } from '../db/client.ts';
import { MIGRATIONS_TABLE, orderByForeignKeys, readTableLayouts } from '../db/introspect.ts';
import { inSnapshot } from '../db/table-streams.ts';
import { type BackupLocation, childLocation } from './backup-location.ts';
import { backupName, MANIFEST_FILE, type Manifest, type ManifestTable, tableFile } from './manifest.ts';
import { digestingStream } from './table-digest.ts';

export type BackupProgressReport = { tablesDone: number; tablesTotal: number; rows: number; bytes: number };

export type WrittenBackup = {
  location: BackupLocation;
  manifest: Manifest;
  /** All files' bytes, the manifest's included. */
  bytes: number;
  /** SHA-256 of the manifest, which holds every table's. */
  checksum: string;
};

export async function writeBackup(
  handle: DatabaseHandle,
  destination: BackupLocation,
  options: {
    name?: string;
    onProgress?: (progress: BackupProgressReport) => void;
    /** The log row of this very run, left out: the backup holds the log of the backups before it. */
    logId?: string;
  } = {},
): Promise<WrittenBackup> {
  const location = childLocation(destination, options.name ?? backupName(new Date()));
  // Read before the snapshot begins: on the embedded database the snapshot holds its one connection.
  const layouts = orderByForeignKeys(await readTableLayouts(handle.db));
  const progress: BackupProgressReport = { tablesDone: 0, tablesTotal: layouts.length, rows: 0, bytes: 0 };
  const { tables, migrations } = await inSnapshot(handle, async (streams) => {
    const migrationRows = await streams.query<{ tag: string }>(`select tag from ${MIGRATIONS_TABLE} order by tag`);
    const written: ManifestTable[] = [];
    for (const table of layouts) {
      const rowsBefore = progress.rows;
      const digesting = digestingStream(
        streams.copyOut(table, table.name === 'backup_logs' ? options.logId : undefined),
        (rows) => {
          progress.rows = rowsBefore + rows;
        },
      );
      const compressed = Readable.from(digesting.chunks).compose(createGzip());
      const file = tableFile(table.name);
      const stored = await location.storage.put(
        location.prefix + file,
        Readable.toWeb(compressed) as ReadableStream<Uint8Array>,
        { mediaType: 'application/gzip' },
      );
      const { rows, sha256 } = digesting.digest();
      written.push({
        name: table.name,
        columns: table.columns.map(({ name, type }) => ({ name, type })),
        rows,
        sha256,
        file,
        bytes: stored.size,
      });
      progress.tablesDone++;
      progress.bytes += stored.size;
      options.onProgress?.({ ...progress });
    }
    return { tables: written, migrations: migrationRows.map((row) => row.tag) };
  });
  const manifest: Manifest = {
    format: 'chorus-backup',
    version: 1,
    createdAt: new Date().toISOString(),
    engine: handle.kind,
    migrations,
    tables,
  };
  const stored = await location.storage.put(
    location.prefix + MANIFEST_FILE,
    new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`),
    { mediaType: 'application/json' },
  );
  return { location, manifest, bytes: progress.bytes + stored.size, checksum: stored.sha256 };
}
