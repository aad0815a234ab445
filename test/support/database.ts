// A fresh, migrated database per test suite: always embedded PGlite (in memory), and real PostgreSQL
// too when TEST_DATABASE_URL is set. Each Postgres suite gets a database of its own, dropped afterwards.
import { randomBytes } from 'node:crypto';
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
