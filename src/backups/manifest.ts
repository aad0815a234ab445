// A backup's manifest: what it holds (each table's columns, row count, SHA-256 of its COPY text, file), from which
// migration, made when. It is written last: a backup without one is incomplete, whatever else is there.
import { z } from 'zod';

export const MANIFEST_FILE = 'manifest.json';

const tableEntrySchema = z.object({
  name: z.string(),
  columns: z.array(z.object({ name: z.string(), type: z.string() })),
  rows: z.number().int().min(0),
  /** SHA-256 (hex) of the table's COPY text, before compression. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** The gzip-compressed COPY text, relative to the backup. */
  file: z.string(),
  /** The compressed file's size. */
  bytes: z.number().int().min(0),
});

export const manifestSchema = z.object({
  format: z.literal('chorus-backup'),
  version: z.literal(1),
  createdAt: z.string(),
  engine: z.enum(['pglite', 'postgres']),
  /** Migrations applied to the database backed up, in order; the last is its schema's version. */
  migrations: z.array(z.string()).min(1),
  /** In foreign-key order: a table comes after those it references. */
  tables: z.array(tableEntrySchema),
});

export type Manifest = z.infer<typeof manifestSchema>;
export type ManifestTable = z.infer<typeof tableEntrySchema>;

export const tableFile = (table: string) => `tables/${table}.copy.gz`;

/** A name that sorts by time: chorus-2026-12-07T16-05-01-123Z. */
export function backupName(at: Date): string {
  return `chorus-${at.toISOString().replaceAll(':', '-').replace('.', '-')}`;
}

export const isBackupName = (name: string) => /^chorus-\d{4}-\d{2}-\d{2}T[\d-]+Z$/.test(name);
