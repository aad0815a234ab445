import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { eq } from 'drizzle-orm';
import { type BackupLocation, childLocation, openBackupLocation } from '../../src/backups/backup-location.ts';
import { BackupMismatchError, readManifest, restoreBackup } from '../../src/backups/backup-restore.ts';
import { BackupService, listBackups } from '../../src/backups/backup-service.ts';
import { tableFile } from '../../src/backups/manifest.ts';
import type { DatabaseKind } from '../../src/db/client.ts';
import { TargetNotEmptyError } from '../../src/db/copy.ts';
import { backupLogs, messages } from '../../src/db/schema/index.ts';
import { createStore } from '../../src/store/index.ts';
import { temporaryDirectory } from '../support/cli.ts';
import { openTestDatabase, type TestDatabase } from '../support/database.ts';
import { EARLIER_MESSAGE_ID, insertOneOfEverything, LATER_MESSAGE_ID } from '../support/fixtures.ts';
import { startS3Server, type TestS3Server } from '../support/s3-server.ts';
import { readTableContents } from '../support/snapshots.ts';

const NO_S3 = { S3_REGION: 'us-east-1', S3_FORCE_PATH_STYLE: false };

const pairs: [DatabaseKind, DatabaseKind][] = process.env.TEST_DATABASE_URL
  ? [
      ['pglite', 'postgres'],
      ['postgres', 'pglite'],
    ]
  : [['pglite', 'pglite']];

/** What the source held when its backup was taken: everything but the log row of that very backup. */
async function contentsWithoutLog(database: TestDatabase, logId: string) {
  const contents = await readTableContents(database.db);
  contents.backup_logs = contents.backup_logs!.filter((row) => !String(row).includes(logId));
  return contents;
}

async function backUp(database: TestDatabase, location: BackupLocation, keep?: number) {
  const service = new BackupService(database, createStore(database.db).backupLogs, { location, keep });
  return service.backUp();
}

for (const [sourceKind, targetKind] of pairs) {
  describe(`backup on ${sourceKind}, restore into ${targetKind}`, () => {
    let source: TestDatabase;
    const folder = temporaryDirectory('chorus-backups-');
    before(async () => {
      source = await openTestDatabase(sourceKind);
      await insertOneOfEverything(source.db);
    });
    after(async () => {
      await source?.close();
      folder.remove();
    });

    test('a backup restores every row of every table, and its log tells how it went', async () => {
      const location = openBackupLocation(folder.path, NO_S3);
      const log = await backUp(source, location);
      assert.equal(log.status, 'completed');
      assert.ok(log.fileSizeBytes! > 0);
      assert.match(log.checksum!, /^[0-9a-f]{64}$/);
      assert.ok(log.filePath!.startsWith(folder.path));
      const expected = await contentsWithoutLog(source, log.id);

      const target = await openTestDatabase(targetKind, { migrate: false });
      try {
        const backup = openBackupLocation(log.filePath!, NO_S3);
        const manifest = await readManifest(backup);
        for (const table of manifest.tables) {
          assert.equal(table.rows, expected[table.name]!.length, table.name);
        }
        const report = await restoreBackup(target, backup);
        assert.equal(report.rowsRestored, Object.values(expected).flat().length);
        assert.deepEqual(await readTableContents(target.db), expected);
        const [reply] = await target.db.select().from(messages).where(eq(messages.id, EARLIER_MESSAGE_ID));
        assert.equal(reply!.parentId, LATER_MESSAGE_ID);
      } finally {
        await target.close();
      }
    });

    test('a target that holds rows is refused, and --force replaces them', async () => {
      const [backup] = await listBackups(openBackupLocation(folder.path, NO_S3));
      const location = childLocation(openBackupLocation(folder.path, NO_S3), backup!.name);
      const target = await openTestDatabase(targetKind);
      try {
        await target.db.insert(backupLogs).values({ backupType: 'full', status: 'failed' });
        await assert.rejects(restoreBackup(target, location), (error: unknown) => {
          assert.ok(error instanceof TargetNotEmptyError);
          assert.deepEqual(error.tables, ['backup_logs']);
          return true;
        });
        const report = await restoreBackup(target, location, { force: true });
        assert.equal(
          (await target.db.select().from(backupLogs)).length,
          report.manifest.tables.find((table) => table.name === 'backup_logs')!.rows,
        );
      } finally {
        await target.close();
      }
    });

    test('a tampered table is refused, naming it, and nothing is restored', async () => {
      const [backup] = await listBackups(openBackupLocation(folder.path, NO_S3));
      const tampered = temporaryDirectory('chorus-tampered-');
      const target = await openTestDatabase(targetKind, { migrate: false });
      try {
        const original = path.join(folder.path, backup!.name);
        for (const file of ['manifest.json', tableFile('users'), tableFile('messages')]) {
          mkdirSync(path.dirname(path.join(tampered.path, file)), { recursive: true });
          writeFileSync(path.join(tampered.path, file), readFileSync(path.join(original, file)));
        }
        const manifest = JSON.parse(readFileSync(path.join(original, 'manifest.json'), 'utf8'));
        for (const table of manifest.tables) {
          if (table.name === 'users' || table.name === 'messages') continue;
          mkdirSync(path.join(tampered.path, 'tables'), { recursive: true });
          writeFileSync(path.join(tampered.path, table.file), readFileSync(path.join(original, table.file)));
        }
        // One character of one message changed, the file still valid gzip and valid COPY text.
        const messagesFile = path.join(tampered.path, tableFile('messages'));
        const text = gunzipSync(readFileSync(messagesFile)).toString('utf8');
        const changed = text.replace('\tBecause.\t', '\tBecauze.\t');
        assert.notEqual(changed, text, 'the fixture must hold a message saying Because.');
        writeFileSync(messagesFile, gzipSync(changed));

        await assert.rejects(restoreBackup(target, openBackupLocation(tampered.path, NO_S3)), (error: unknown) => {
          assert.ok(error instanceof BackupMismatchError);
          assert.equal(error.table, 'messages');
          assert.match(error.message, /messages/);
          return true;
        });
        assert.equal((await target.db.select().from(messages)).length, 0);
      } finally {
        await target.close();
        tampered.remove();
      }
    });
  });
}

describe('backups at a location', () => {
  let database: TestDatabase;
  let s3: TestS3Server;
  before(async () => {
    [database, s3] = await Promise.all([openTestDatabase('pglite'), startS3Server()]);
    await insertOneOfEverything(database.db);
  });
  after(async () => {
    await database?.close();
    await s3?.close();
  });

  test('a backup to S3 restores from S3', async () => {
    const location = openBackupLocation(`s3://${s3.bucket}/nightly`, s3.settings);
    const log = await backUp(database, location);
    assert.match(log.filePath!, new RegExp(`^s3://${s3.bucket}/nightly/chorus-`));
    const target = await openTestDatabase('pglite', { migrate: false });
    try {
      await restoreBackup(target, openBackupLocation(log.filePath!, s3.settings));
      assert.deepEqual(await readTableContents(target.db), await contentsWithoutLog(database, log.id));
    } finally {
      await target.close();
    }
  });

  test('with a number to keep, only the newest complete backups stay, and no incomplete one', async () => {
    const location = openBackupLocation(`s3://${s3.bucket}/kept`, s3.settings);
    // A backup cut short: table files, no manifest.
    await location.storage.put(`kept/chorus-2000-01-01T00-00-00-000Z/${tableFile('users')}`, new Uint8Array(1), {
      mediaType: 'application/gzip',
    });
    const logs = [];
    for (let run = 0; run < 3; run++) logs.push(await backUp(database, location, 2));
    const remaining = await listBackups(location);
    assert.deepEqual(
      remaining.map((backup) => backup.complete),
      [true, true],
    );
    assert.deepEqual(
      remaining.map((backup) => `${location.address}/${backup.name}`),
      logs.slice(1).map((log) => log.filePath),
    );
  });

  test('a place without a manifest is no backup', async () => {
    const location = openBackupLocation(`s3://${s3.bucket}/kept/chorus-2000-01-01T00-00-00-000Z`, s3.settings);
    const target = await openTestDatabase('pglite', { migrate: false });
    try {
      await assert.rejects(restoreBackup(target, location), /no complete backup at .*manifest\.json/);
    } finally {
      await target.close();
    }
  });
});
