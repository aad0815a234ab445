// The databases a benchmark runs on: a file-backed PGlite in a temporary folder (as `npm start` uses it), and a
// fresh PostgreSQL database when one is reachable (BENCH_DATABASE_URL, TEST_DATABASE_URL, or the local default).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { type DatabaseHandle, openDatabase, type QueryLogger } from '../../src/db/client.ts';
import { migrateUp } from '../../src/db/migrations/migrator.ts';
import { createPostgresDatabase } from '../../test/support/database.ts';

export type BenchDatabase = DatabaseHandle & { label: string };

const DEFAULT_POSTGRES = 'postgres://postgres@127.0.0.1:5432/postgres';

async function reachable(url: string): Promise<boolean> {
  const client = postgres(url, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await client`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await client.end({ timeout: 1 }).catch(() => {});
  }
}

export async function postgresAdminUrl(): Promise<string | undefined> {
  const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? DEFAULT_POSTGRES;
  return (await reachable(url)) ? url : undefined;
}

export async function openBenchDatabases(logger?: QueryLogger): Promise<BenchDatabase[]> {
  const databases: BenchDatabase[] = [];
  const dir = mkdtempSync(path.join(os.tmpdir(), 'chorus-bench-'));
  // CHORUS_EMBEDDED_DURABILITY=relaxed measures the embedded database without waiting for the disk at commits.
  const durability = process.env.CHORUS_EMBEDDED_DURABILITY === 'relaxed' ? 'relaxed' : 'durable';
  const pglite = await openDatabase({ dataDir: dir, durability }, logger);
  await migrateUp(pglite.db);
  databases.push({
    ...pglite,
    label: `PGlite (file, ${durability})`,
    close: async () => {
      await pglite.close();
      rmSync(dir, { recursive: true, force: true });
    },
  });
  const adminUrl = await postgresAdminUrl();
  if (adminUrl) {
    process.env.TEST_DATABASE_URL ??= adminUrl;
    const created = await createPostgresDatabase();
    const opened = await openDatabase({ url: created.url }, logger);
    await migrateUp(opened.db);
    databases.push({
      ...opened,
      url: created.url,
      label: 'PostgreSQL',
      close: async () => {
        await opened.close();
        await created.drop();
      },
    });
  } else {
    console.log('(no PostgreSQL reachable: PostgreSQL rows are skipped)');
  }
  return databases;
}
