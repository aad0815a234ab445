// A fresh, migrated database per test suite: always embedded PGlite (in memory), and real PostgreSQL
// too when TEST_DATABASE_URL is set. Each Postgres suite gets a database of its own, dropped afterwards.
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { type DatabaseHandle, type DatabaseKind, openDatabase } from '../../src/db/client.ts';
import { migrateUp } from '../../src/db/migrations/migrator.ts';

export type TestDatabase = DatabaseHandle & { url?: string };

/** Connections each PostgreSQL test database is opened with. */
export const TEST_POOL_SIZE = 5;

export function testBackends(): DatabaseKind[] {
  return process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

/** Creates an empty Postgres database and returns its URL; `drop` removes it. */
export async function createPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) throw new Error('TEST_DATABASE_URL is not set');
  const name = `chorus_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const cleanup = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await cleanup.unsafe(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}

export async function openTestDatabase(kind: DatabaseKind, options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  let handle: TestDatabase;
  if (kind === 'pglite') {
    if (options.migrate !== false) return openDatabase({ memory: true, from: await migratedTemplate() });
    handle = await openDatabase({ memory: true });
  } else {
    const created = await createPostgresDatabase();
    const opened = await openDatabase({ url: created.url, maxConnections: TEST_POOL_SIZE });
    handle = {
      ...opened,
      url: created.url,
      close: async () => {
        await opened.close();
        await created.drop();
      },
    };
  }
  if (options.migrate !== false) await migrateUp(handle.db);
  return handle;
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** What a migrated embedded database depends on: the migrations, the code applying them, and PGlite's version. */
function templateFingerprint(): string {
  const hash = createHash('sha256');
  const migrations = path.join(ROOT, 'drizzle');
  const inputs = [
    ...readdirSync(migrations, { recursive: true, encoding: 'utf8' }).map((name) => path.join(migrations, name)),
    path.join(ROOT, 'src/db/migrations/migrator.ts'),
    path.join(ROOT, 'node_modules/@electric-sql/pglite/package.json'),
  ].sort();
  for (const file of inputs) {
    hash.update(path.relative(ROOT, file)).update('\0');
    try {
      hash.update(readFileSync(file));
    } catch {
      // A folder: its files are listed too.
    }
  }
  return hash.digest('hex').slice(0, 16);
}

let template: Promise<Uint8Array> | null = null;

/**
 * A copy of an embedded database with every migration applied, which each embedded test database starts from:
 * PGlite's first start (initdb, in WebAssembly) takes seconds, starting from a copy half a second. Made once for
 * these migrations and kept in the system's temporary folder, so every test process of a run shares it.
 */
function migratedTemplate(): Promise<Uint8Array> {
  template ??= (async () => {
    const file = path.join(os.tmpdir(), `chorus-test-template-${templateFingerprint()}.tar`);
    try {
      return new Uint8Array(await readFile(file));
    } catch {
      // Not made yet for these migrations.
    }
    const fresh = await openDatabase({ memory: true });
    try {
      await migrateUp(fresh.db);
      const copy = new Uint8Array(await (await fresh.pglite!.dumpDataDir('none')).arrayBuffer());
      // Written aside, then renamed: a process reading it at the same moment never sees half of it.
      const written = `${file}.${process.pid}.tmp`;
      await writeFile(written, copy);
      await rename(written, file);
      return copy;
    } finally {
      await fresh.close();
    }
  })();
  return template;
}
