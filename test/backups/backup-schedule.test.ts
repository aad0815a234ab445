// Scheduled backups: one when due (none yet, or the newest an interval old), none in between, older ones beyond the
// number to keep deleted; on PostgreSQL, while one process backs up, another finds it running and does nothing.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import postgres from 'postgres';
import { openBackupLocation } from '../../src/backups/backup-location.ts';
import { BackupSchedule } from '../../src/backups/backup-schedule.ts';
import { BackupAlreadyRunningError, BackupService, listBackups } from '../../src/backups/backup-service.ts';
import { readEnvironment } from '../../src/config/env.ts';
import { openDatabase } from '../../src/db/client.ts';
import { createStore } from '../../src/store/index.ts';
import { temporaryDirectory } from '../support/cli.ts';
import { openTestDatabase, type TestDatabase, testBackends } from '../support/database.ts';
import { insertOneOfEverything } from '../support/fixtures.ts';
import { holdLock } from '../support/table-lock.ts';

const NO_S3 = { S3_REGION: 'us-east-1', S3_FORCE_PATH_STYLE: false };
const HOUR_MS = 3_600_000;

for (const kind of testBackends()) {
  describe(`scheduled backups on ${kind}`, () => {
    let database: TestDatabase;
    const folder = temporaryDirectory('chorus-scheduled-');
    before(async () => {
      database = await openTestDatabase(kind);
      await insertOneOfEverything(database.db);
    });
    after(async () => {
      await database?.close();
      folder.remove();
    });

    test('a backup when one is due, none in between, and only the newest kept', async () => {
      const location = openBackupLocation(folder.path, NO_S3);
      const logs = createStore(database.db).backupLogs;
      const service = new BackupService(database, logs, { location, keep: 2 });
      // An hour on: the fixture's own completed backup is due for a successor.
      let now = Date.now() + HOUR_MS;
      const schedule = new BackupSchedule(service, logs, { intervalMs: HOUR_MS, now: () => now });
      const completedBefore = (await logs.list({ status: 'completed' })).length;

      assert.equal(await schedule.runIfDue(), true, 'the first is due at once');
      assert.equal(await schedule.runIfDue(), false, 'the next is not due for an hour');
      now += HOUR_MS;
      assert.equal(await schedule.runIfDue(), true);
      now += HOUR_MS;
      assert.equal(await schedule.runIfDue(), true);

      assert.equal((await logs.list({ status: 'completed' })).length, completedBefore + 3);
      const kept = await listBackups(location);
      assert.equal(kept.length, 2);
      assert.ok(kept.every((backup) => backup.complete));
    });
  });
}

if (testBackends().includes('postgres')) {
  describe('backups on PostgreSQL with several processes', () => {
    let database: TestDatabase;
    const folder = temporaryDirectory('chorus-concurrent-');
    before(async () => {
      database = await openTestDatabase('postgres');
      await insertOneOfEverything(database.db);
    });
    after(async () => {
      await database?.close();
      folder.remove();
    });

    test('while one process backs up, another neither starts a second nor counts it as done', async () => {
      const location = openBackupLocation(folder.path, NO_S3);
      const other = await openDatabase({ url: database.url!, maxConnections: 2 });
      // Messages locked by someone else: the first backup waits there, holding the backup lock.
      const locker = postgres(database.url!, { max: 1, onnotice: () => {} });
      const { holding, locked, unlock } = holdLock(locker);
      try {
        await locked;
        const first = new BackupService(database, createStore(database.db).backupLogs, { location });
        const run = await first.start();
        const second = new BackupService(other, createStore(other.db).backupLogs, { location });
        await assert.rejects(second.start(), BackupAlreadyRunningError);
        const schedule = new BackupSchedule(second, createStore(other.db).backupLogs, { intervalMs: HOUR_MS });
        assert.equal(await schedule.runIfDue(), false);
        unlock();
        assert.equal((await run.finished).status, 'completed');
        assert.equal(await schedule.runIfDue(), false, 'the backup just made by the other process counts');
      } finally {
        unlock();
        await holding;
        await locker.end();
        await other.close();
      }
    });
  });
}

describe('backup settings', () => {
  test('CHORUS_BACKUP_INTERVAL takes a duration, CHORUS_BACKUP_TO a folder or s3://bucket/prefix', () => {
    const env = readEnvironment({
      CHORUS_BACKUP_INTERVAL: '24h',
      CHORUS_BACKUP_KEEP: '7',
      CHORUS_BACKUP_TO: 's3://b/p',
    });
    assert.equal(env.CHORUS_BACKUP_INTERVAL, 24 * HOUR_MS);
    assert.equal(env.CHORUS_BACKUP_KEEP, 7);
    assert.equal(readEnvironment({ CHORUS_BACKUP_INTERVAL: '30m' }).CHORUS_BACKUP_INTERVAL, 1_800_000);
    assert.throws(() => readEnvironment({ CHORUS_BACKUP_INTERVAL: 'daily' }), /CHORUS_BACKUP_INTERVAL/);
    assert.throws(() => readEnvironment({ CHORUS_BACKUP_KEEP: '0' }), /CHORUS_BACKUP_KEEP/);
    assert.throws(() => readEnvironment({ CHORUS_BACKUP_TO: 's3://' }), /CHORUS_BACKUP_TO/);
  });
});
