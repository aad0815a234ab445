import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import type { DatabaseKind } from '../../src/db/client.ts';
import { copyDatabase, TargetNotEmptyError } from '../../src/db/copy.ts';
import { groupByBytes } from '../../src/db/copy-rows.ts';
import { orderByForeignKeys, readTableLayouts, type TableLayout } from '../../src/db/introspect.ts';
import { migrateDown } from '../../src/db/migrations/migrator.ts';
import { messages } from '../../src/db/schema/index.ts';
import { openTestDatabase, type TestDatabase } from '../support/database.ts';
import { EARLIER_MESSAGE_ID, insertOneOfEverything, LATER_MESSAGE_ID } from '../support/fixtures.ts';
import { readTableContents } from '../support/snapshots.ts';

const pairs: [DatabaseKind, DatabaseKind][] = process.env.TEST_DATABASE_URL
  ? [
      ['pglite', 'pglite'],
      ['pglite', 'postgres'],
      ['postgres', 'pglite'],
    ]
  : [['pglite', 'pglite']];

for (const [sourceKind, targetKind] of pairs) {
  describe(`db copy from ${sourceKind} to ${targetKind}`, () => {
    let source: TestDatabase;
    let target: TestDatabase;
    before(async () => {
      [source, target] = await Promise.all([openTestDatabase(sourceKind), openTestDatabase(targetKind)]);
      await insertOneOfEverything(source.db);
    });
    after(async () => {
      await source?.close();
      await target?.close();
    });

    test('every row of every table arrives unchanged, referenced tables first', async () => {
      const sourceContents = await readTableContents(source.db);
      const empty = Object.entries(sourceContents)
        .filter(([, rows]) => rows.length === 0)
        .map(([table]) => table);
      assert.deepEqual(empty, [], 'the fixture must put rows in every table');

      const started: string[] = [];
      // Two rows per batch: several keyset pages per table, and the reply is copied before its question.
      const report = await copyDatabase(source, target, {
        batchSize: 2,
        observer: { tableStarted: (table) => started.push(table) },
      });

      assert.equal(report.countsMatch, true);
      assert.deepEqual(
        report.tables.map((table) => table.table),
        started,
      );
      for (const { table, source: sourceCount, target: targetCount } of report.tables) {
        assert.equal(targetCount, sourceContents[table]!.length, table);
        assert.equal(sourceCount, targetCount, table);
      }
      assert.deepEqual(await readTableContents(target.db), sourceContents);

      const layouts = new Map((await readTableLayouts(target.db)).map((layout) => [layout.name, layout]));
      for (const [position, table] of started.entries()) {
        for (const referenced of layouts.get(table)!.references) {
          assert.ok(started.indexOf(referenced) < position, `${referenced} must be copied before ${table}`);
        }
      }
    });

    test('bytes and the reply link read back through the driver as written', async () => {
      const [reply] = await target.db.select().from(messages).where(eq(messages.id, EARLIER_MESSAGE_ID));
      assert.equal(reply!.parentId, LATER_MESSAGE_ID);
      const [encrypted] = await target.db.select().from(messages).where(eq(messages.encryptionKeyId, 'key-1'));
      assert.deepEqual(
        [...encrypted!.encryptedContent!],
        Array.from({ length: 256 }, (_, index) => index),
      );
    });

    test('a target that already holds rows is refused and left as it was', async () => {
      const before = await readTableContents(target.db);
      await assert.rejects(copyDatabase(source, target), (error: unknown) => {
        assert.ok(error instanceof TargetNotEmptyError);
        assert.ok(error.tables.includes('messages'));
        assert.match(error.message, /already holds rows in: .*users/);
        return true;
      });
      assert.deepEqual(await readTableContents(target.db), before);
    });

    test('replacing the existing rows copies everything again, here one row per batch', async () => {
      const report = await copyDatabase(source, target, { replaceExisting: true, batchBytes: 1 });
      assert.equal(report.countsMatch, true);
      assert.deepEqual(await readTableContents(target.db), await readTableContents(source.db));
    });
  });
}

describe('db copy guards', () => {
  test('a source and target at different migrations are refused', async () => {
    const [source, target] = await Promise.all([openTestDatabase('pglite'), openTestDatabase('pglite')]);
    try {
      await migrateDown(target.db, 1);
      await assert.rejects(copyDatabase(source, target), /different migrations/);
    } finally {
      await Promise.all([source.close(), target.close()]);
    }
  });

  const layout = (name: string, references: string[]): TableLayout => ({
    name,
    columns: [],
    primaryKey: ['id'],
    references,
    selfReferencingColumns: [],
  });

  test('tables are ordered referenced-first, ties by name, references outside the set ignored', () => {
    const ordered = orderByForeignKeys([
      layout('votes', ['messages', 'users']),
      layout('messages', ['conversations', 'users']),
      layout('conversations', ['users', 'elsewhere']),
      layout('users', []),
      layout('metrics', []),
    ]);
    assert.deepEqual(
      ordered.map((table) => table.name),
      ['metrics', 'users', 'conversations', 'messages', 'votes'],
    );
  });

  test('rows are batched in order by bytes, a row larger than the budget alone', () => {
    const rows = [3, 4, 2, 10, 1, 1, 6].map((bytes, index) => ({ index, bytes }));
    assert.deepEqual(
      groupByBytes(rows, 8).map((group) => group.map((row) => row.index)),
      [[0, 1], [2], [3], [4, 5, 6]],
    );
    assert.deepEqual(groupByBytes([], 8), []);
  });

  test('a foreign-key cycle between tables is reported, not looped on', () => {
    assert.throws(
      () => orderByForeignKeys([layout('a', ['b']), layout('b', ['a']), layout('c', [])]),
      /cycle between tables: a, b/,
    );
  });
});
