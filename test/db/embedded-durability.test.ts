// The embedded database on disk waits for the disk at every commit by default (PostgreSQL's fsync on, and its fsync
// reaching the operating system's), so a committed message survives a power cut; CHORUS_EMBEDDED_DURABILITY=relaxed
// leaves writes to the operating system.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { readEnvironment } from '../../src/config/env.ts';
import { type EmbeddedDurability, openDatabase } from '../../src/db/client.ts';
import { queryOne } from '../../src/db/rows.ts';
import { dataDirectories } from '../support/cli.ts';

const folders = dataDirectories();
after(() => folders.removeAll());

/** Commits a row, and says how many fsync calls reached the disk meanwhile and what PostgreSQL's fsync is. */
async function commitOneRow(durability?: EmbeddedDurability) {
  const database = await openDatabase({ dataDir: await folders.initialised(), durability });
  try {
    const setting = await queryOne<{ fsync: string }>(database.db, sql`select current_setting('fsync') as fsync`);
    await database.db.execute(sql`create table if not exists notes (body text)`);
    const before = await database.pglite!.fileSyncs();
    await database.db.execute(sql`insert into notes values ('committed')`);
    return { fsync: setting?.fsync, fileSyncs: (await database.pglite!.fileSyncs()) - before };
  } finally {
    await database.close();
  }
}

describe('durability of the embedded database', () => {
  test('by default a commit reaches the disk through fsync before it returns', async () => {
    const committed = await commitOneRow();
    assert.equal(committed.fsync, 'on');
    assert.ok(committed.fileSyncs > 0, 'the commit made at least one real fsync');
  });

  test('relaxed, commits are left to the operating system', async () => {
    const committed = await commitOneRow('relaxed');
    assert.equal(committed.fsync, 'off');
    assert.equal(committed.fileSyncs, 0);
  });

  test('CHORUS_EMBEDDED_DURABILITY is durable unless set to relaxed, and nothing else', () => {
    assert.equal(readEnvironment({}).CHORUS_EMBEDDED_DURABILITY, 'durable');
    assert.equal(readEnvironment({ CHORUS_EMBEDDED_DURABILITY: 'relaxed' }).CHORUS_EMBEDDED_DURABILITY, 'relaxed');
    assert.throws(() => readEnvironment({ CHORUS_EMBEDDED_DURABILITY: 'fast' }), /CHORUS_EMBEDDED_DURABILITY/);
  });
});
