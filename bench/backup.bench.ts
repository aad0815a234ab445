// Backup and restore of a large database on PostgreSQL: `chorus backup`'s engine (one snapshot, every table as
// gzip-compressed COPY text) and `chorus restore`'s (one transaction, foreign keys added back after, every table
// checked), in rows per second and this process's resident memory, beside pg_dump -Fc and pg_restore of the same
// database in the same run. BACKUP_BENCH_MESSAGES sets the size (default 1,000,000 messages).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import postgres from 'postgres';
import { openBackupLocation } from '../src/backups/backup-location.ts';
import { restoreBackup } from '../src/backups/backup-restore.ts';
import { BackupService } from '../src/backups/backup-service.ts';
import { openDatabase } from '../src/db/client.ts';
import { migrateUp } from '../src/db/migrations/migrator.ts';
import { createStore } from '../src/store/index.ts';
import { createPostgresDatabase } from '../test/support/database.ts';
import { postgresAdminUrl } from './support/databases.ts';
import { formatNumber, printTable } from './support/measure.ts';

const MESSAGES = Number(process.env.BACKUP_BENCH_MESSAGES ?? 1_000_000);
const MB = 1024 * 1024;

/** Runs `work`, sampling this process's RSS meanwhile: seconds taken, RSS before and at its peak. */
async function measured(work: () => Promise<unknown>) {
  globalThis.gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const started = performance.now();
  try {
    await work();
  } finally {
    clearInterval(sampler);
  }
  peak = Math.max(peak, process.memoryUsage().rss);
  return { seconds: (performance.now() - started) / 1000, rssBefore: before / MB, rssPeak: peak / MB };
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} exited ${code}: ${stderr}`))));
  });
}

/** A user, a conversation, and MESSAGES messages of about 300 characters each, written by the database itself. */
async function seed(url: string): Promise<number> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql`insert into users (id, username, email) values ('00000000-0000-4000-8000-0000000000aa', 'bench', 'bench@example.test')`;
    await sql`insert into conversations (id, owner_id, title)
              values ('00000000-0000-4000-8000-0000000000bb', '00000000-0000-4000-8000-0000000000aa', 'bench')`;
    await sql`insert into messages (conversation_id, role, sender_id, content, parts)
      select '00000000-0000-4000-8000-0000000000bb', 'user', '00000000-0000-4000-8000-0000000000aa',
             'message ' || n || ' ' || repeat(md5(n::text), 9),
             jsonb_build_array(jsonb_build_object('type', 'text', 'text', 'message ' || n))
      from generate_series(1, ${MESSAGES}) as n`;
    const [counted] = await sql<{ rows: string }[]>`select
      (select count(*) from users) + (select count(*) from conversations) + (select count(*) from messages) as rows`;
    return Number(counted!.rows);
  } finally {
    await sql.end();
  }
}

export async function runBackupBench(): Promise<void> {
  const adminUrl = await postgresAdminUrl();
  if (!adminUrl) {
    console.log('no PostgreSQL reachable: the backup benchmark runs on PostgreSQL only');
    return;
  }
  process.env.TEST_DATABASE_URL ??= adminUrl;
  const folder = mkdtempSync(path.join(os.tmpdir(), 'chorus-backup-bench-'));
  const source = await createPostgresDatabase();
  const targets = [await createPostgresDatabase(), await createPostgresDatabase()];
  const database = await openDatabase({ url: source.url, maxConnections: 2 });
  try {
    await migrateUp(database.db);
    const rows = await seed(source.url);
    console.log(`${formatNumber(rows)} rows (${formatNumber(MESSAGES)} messages) on PostgreSQL`);
    const service = new BackupService(database, createStore(database.db).backupLogs, {
      location: openBackupLocation(folder, { S3_REGION: 'us-east-1', S3_FORCE_PATH_STYLE: false }),
    });
    let backupPath = '';
    let backupBytes = 0;
    const backup = await measured(async () => {
      const log = await service.backUp();
      backupPath = log.filePath!;
      backupBytes = log.fileSizeBytes!;
    });
    const dumpFile = path.join(folder, 'bench.dump');
    const dump = await measured(() => run('pg_dump', ['-Fc', '-f', dumpFile, source.url]));
    const target = await openDatabase({ url: targets[0]!.url, maxConnections: 2 });
    let restore: Awaited<ReturnType<typeof measured>>;
    try {
      const location = openBackupLocation(backupPath, { S3_REGION: 'us-east-1', S3_FORCE_PATH_STYLE: false });
      restore = await measured(() => restoreBackup(target, location));
    } finally {
      await target.close();
    }
    const pgRestore = await measured(() => run('pg_restore', ['--no-owner', '-d', targets[1]!.url, dumpFile]));
    const perSecond = (seconds: number) => formatNumber(rows / seconds);
    printTable(
      `Backup and restore, ${formatNumber(rows)} rows on PostgreSQL (RSS of this process; pg_dump's is its own)`,
      ['', 'seconds', 'rows/s', 'vs pg_dump/pg_restore', 'RSS before → peak (MB)', 'size (MB)'],
      [
        [
          'chorus backup',
          backup.seconds.toFixed(1),
          perSecond(backup.seconds),
          `${(dump.seconds / backup.seconds).toFixed(2)}×`,
          `${backup.rssBefore.toFixed(0)} → ${backup.rssPeak.toFixed(0)}`,
          (backupBytes / MB).toFixed(1),
        ],
        [
          'pg_dump -Fc',
          dump.seconds.toFixed(1),
          perSecond(dump.seconds),
          '1×',
          '—',
          (statSync(dumpFile).size / MB).toFixed(1),
        ],
        [
          'chorus restore',
          restore.seconds.toFixed(1),
          perSecond(restore.seconds),
          `${(pgRestore.seconds / restore.seconds).toFixed(2)}×`,
          `${restore.rssBefore.toFixed(0)} → ${restore.rssPeak.toFixed(0)}`,
          '',
        ],
        ['pg_restore', pgRestore.seconds.toFixed(1), perSecond(pgRestore.seconds), '1×', '—', ''],
      ],
    );
  } finally {
    await database.close();
    await Promise.all([source.drop(), ...targets.map((target) => target.drop())]);
    rmSync(folder, { recursive: true, force: true });
  }
}
