// `chorus backup [--to <folder | s3://bucket/prefix>]` and `chorus restore <backup> [--to <database-url>]`: a
// consistent copy of the whole database as compressed COPY files with a manifest, and its way back.
import type { Command } from 'commander';
import { defaultBackupAddress, openBackupLocation } from '../../backups/backup-location.ts';
import { BackupMismatchError, restoreBackup } from '../../backups/backup-restore.ts';
import { BackupService } from '../../backups/backup-service.ts';
import { readEnvironment } from '../../config/env.ts';
import { openDatabase } from '../../db/client.ts';
import { openConfiguredDatabase } from '../../db/configured-database.ts';
import { TargetNotEmptyError } from '../../db/copy.ts';
import { migrateUp } from '../../db/migrations/migrator.ts';
import { AppError } from '../../errors.ts';
import { createStore } from '../../store/index.ts';

const BACKUP_HELP = `
Every table is read in one consistent snapshot and written as gzip-compressed
COPY text (tables/<table>.copy.gz), then manifest.json: the migration, each
table's row count and SHA-256. A backup without its manifest is incomplete.
The run is recorded in backup_logs. S3 addresses use the S3_* settings for the
endpoint and keys. Default destination: CHORUS_BACKUP_TO, else backups/ in the
configured file storage. With CHORUS_BACKUP_KEEP, older backups there are
deleted after a success. On the embedded database, stop \`chorus serve\` first
(or use the admin page's "Back up now").

Examples:
  chorus backup --to /var/backups/chorus
  chorus backup --to s3://my-bucket/chorus-backups
`;

const RESTORE_HELP = `
<backup> is a backup's folder (…/chorus-2026-12-07T16-05-01-123Z) or its
s3://bucket/prefix/chorus-… address. The target must be empty (--force deletes
its rows first); it is brought to the backup's migration, loaded in one
transaction, every table checked against the manifest (rows and SHA-256), then
migrated up to this version. Any mismatch names the table and restores nothing.

Examples:
  chorus restore /var/backups/chorus/chorus-2026-12-07T16-05-01-123Z
  chorus restore s3://my-bucket/chorus-backups/chorus-2026-12-07T16-05-01-123Z --to postgres://chorus@db/chorus
`;

export function registerBackup(program: Command) {
  program
    .command('backup')
    .description('back up every table of the database to a folder or to s3://bucket/prefix')
    .option('--to <destination>', 'a folder, or s3://bucket/prefix')
    .addHelpText('after', BACKUP_HELP)
    .action((options: { to?: string }) => backupCommand(options));

  program
    .command('restore')
    .description('restore a backup into an empty database (the configured one, or --to)')
    .argument('<backup>', "the backup's folder or s3://bucket/prefix/<backup name>")
    .option('--to <database-url>', 'restore into this PostgreSQL database instead of the configured one')
    .option('--force', 'delete every row the target holds first (default: refuse a non-empty target)')
    .addHelpText('after', RESTORE_HELP)
    .action((backup: string, options: { to?: string; force?: boolean }) => restoreCommand(backup, options));
}

async function backupCommand(options: { to?: string }): Promise<void> {
  const env = readEnvironment();
  const destination = openBackupLocation(options.to ?? defaultBackupAddress(env), env);
  const database = await openConfiguredDatabase(env);
  try {
    // backup_logs is written as the run goes: its table must be this version's.
    await migrateUp(database.db);
    const store = createStore(database.db);
    const service = new BackupService(database, store.backupLogs, {
      location: destination,
      keep: env.CHORUS_BACKUP_KEEP,
    });
    const log = await service.backUp();
    console.log(`backed up to ${log.filePath} (${log.fileSizeBytes} bytes, manifest sha256 ${log.checksum})`);
  } finally {
    await database.close();
  }
}

async function restoreCommand(backup: string, options: { to?: string; force?: boolean }): Promise<void> {
  const env = readEnvironment();
  if (options.to && (!/^postgres(ql)?:\/\//.test(options.to) || !URL.canParse(options.to))) {
    throw new AppError('invalid_input', `not a PostgreSQL URL: ${options.to} (expected postgres://user@host/database)`);
  }
  const location = openBackupLocation(backup, env);
  const target = options.to
    ? await openDatabase({ url: options.to, maxConnections: 2 })
    : await openConfiguredDatabase(env);
  try {
    const report = await restoreBackup(target, location, {
      force: options.force,
      onTableRestored: (table, rows) => console.log(`restored ${table}: ${rows} rows`),
    });
    const seconds = report.elapsedMs / 1000;
    console.log(
      `restored ${report.rowsRestored} rows from ${location.address} in ${seconds.toFixed(1)} s; ` +
        (report.migratedUp.length > 0 ? `then migrated: ${report.migratedUp.join(', ')}` : 'already at this version'),
    );
  } catch (error) {
    if (error instanceof TargetNotEmptyError) {
      throw new AppError(
        'conflict',
        `${error.message}\nRestore into an empty database, or pass --force to delete those rows first.`,
        { cause: error },
      );
    }
    if (error instanceof BackupMismatchError)
      throw new AppError('conflict', `${error.message}\nNothing was restored.`, { cause: error });
    throw error;
  } finally {
    await target.close();
  }
}
