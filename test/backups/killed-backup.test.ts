// A backup killed with SIGKILL in the middle (a `chorus backup` process, held at the messages table by a lock) leaves
// its log never completed and nothing that looks like a backup; the next backup marks the run failed. PostgreSQL
// only: the embedded database serves one process, so no test can hold a backup half-way from outside it.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import postgres from 'postgres';
import { openBackupLocation } from '../../src/backups/backup-location.ts';
import { BackupService, listBackups } from '../../src/backups/backup-service.ts';
import { backupLogs } from '../../src/db/schema/index.ts';
import { createStore } from '../../src/store/index.ts';
import { startChorus, temporaryDirectory } from '../support/cli.ts';
import { openTestDatabase, type TestDatabase, testBackends } from '../support/database.ts';
import { insertOneOfEverything } from '../support/fixtures.ts';
import { holdLock } from '../support/table-lock.ts';

const NO_S3 = { S3_REGION: 'us-east-1', S3_FORCE_PATH_STYLE: false };

/** Every file under a folder, as paths relative to it. */
function filesUnder(folder: string): string[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(folder, path.join(entry.parentPath, entry.name)));
}

describe('a backup killed half-way', {
  skip: !testBackends().includes('postgres') && 'needs TEST_DATABASE_URL',
}, () => {
  let database: TestDatabase;
  const folder = temporaryDirectory('chorus-killed-');
  before(async () => {
    database = await openTestDatabase('postgres');
    await insertOneOfEverything(database.db);
  });
  after(async () => {
    await database?.close();
    folder.remove();
  });

  test('leaves a log that never completed and no backup presented as complete', async () => {
    const locker = postgres(database.url!, { max: 1, onnotice: () => {} });
    const { holding, locked, unlock } = holdLock(locker);
    let runId: string;
    try {
      await locked;
      const child = startChorus(['backup', '--to', folder.path], { DATABASE_URL: database.url! });
      let output = '';
      child.stdout!.on('data', (chunk) => (output += chunk));
      child.stderr!.on('data', (chunk) => (output += chunk));
      // Until some tables are written and the run waits at messages.
      for (;;) {
        const [run] = await database.db.select().from(backupLogs).where(eq(backupLogs.status, 'in_progress'));
        if (run?.progress && run.progress.tablesDone > 0) {
          runId = run.id;
          break;
        }
        assert.equal(child.exitCode, null, `chorus backup ended early:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.ok(
        filesUnder(folder.path).some((file) => file.endsWith('.copy.gz')),
        'some tables were written',
      );
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
    } finally {
      unlock();
      await holding;
      await locker.end();
    }

    const [run] = await database.db.select().from(backupLogs).where(eq(backupLogs.id, runId));
    assert.equal(run!.status, 'in_progress', 'nobody said it completed');
    assert.ok(!filesUnder(folder.path).some((file) => file.endsWith('manifest.json')));
    const location = openBackupLocation(folder.path, NO_S3);
    assert.deepEqual(
      (await listBackups(location)).map((backup) => backup.complete),
      [false],
    );

    // The next run holds the backup lock, so the killed one cannot still be running: it is marked failed.
    await new BackupService(database, createStore(database.db).backupLogs, { location, keep: 1 }).backUp();
    const [after] = await database.db.select().from(backupLogs).where(eq(backupLogs.id, runId));
    assert.equal(after!.status, 'failed');
    assert.match(after!.errorMessage!, /interrupted/);
    assert.deepEqual(
      (await listBackups(location)).map((backup) => backup.complete),
      [true],
    );
  });
});
