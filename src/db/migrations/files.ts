// Reads the migration files drizzle-kit writes (journal, SQL, snapshots) plus our down migrations.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { projectPath } from '../../project-root.ts';

/** The folder drizzle-kit generates into, shipped with the program. */
export const MIGRATIONS_DIR = projectPath('drizzle');

export type JournalEntry = { idx: number; tag: string; when: number };
export type Migration = { tag: string; up: string[]; down: string[]; checksum: string };

export const EMPTY_SNAPSHOT = {
  id: '00000000-0000-0000-0000-000000000000',
  prevId: '',
  version: '7',
  dialect: 'postgresql',
  tables: {},
  enums: {},
  schemas: {},
  sequences: {},
  roles: {},
  policies: {},
  views: {},
  _meta: { schemas: {}, tables: {}, columns: {} },
} as const;

export function readJournal(dir = MIGRATIONS_DIR): { entries: JournalEntry[] } {
  return JSON.parse(readFileSync(path.join(dir, 'meta', '_journal.json'), 'utf8'));
}

export function readSnapshot(dir: string, idx: number): unknown {
  const file = path.join(dir, 'meta', `${String(idx).padStart(4, '0')}_snapshot.json`);
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** drizzle-kit separates statements with this marker; each runs as its own statement. */
export function splitStatements(text: string): string[] {
  return text
    .split('--> statement-breakpoint')
    .map((statement) => statement.trim())
    .filter((statement) => statement.length > 0);
}

export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readJournal(dir).entries.map((entry) => {
    const upText = readFileSync(path.join(dir, `${entry.tag}.sql`), 'utf8');
    const downFile = path.join(dir, 'down', `${entry.tag}.sql`);
    if (!existsSync(downFile)) throw new Error(`Migration ${entry.tag} has no down migration at ${downFile}`);
    return {
      tag: entry.tag,
      up: splitStatements(upText),
      down: splitStatements(readFileSync(downFile, 'utf8')),
      checksum: sha256(upText),
    };
  });
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
