// `chorus db copy --to|--from <postgres-url>`: move a whole installation between the embedded database
// (DATA_DIR) and PostgreSQL, for when a single machine is outgrown (or to take a copy home).
import { existsSync } from 'node:fs';
import path from 'node:path';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { readEnvironment } from '../../config/env.ts';
import { openDatabase } from '../../db/client.ts';
import { type CopyObserver, type CopyReport, copyDatabase, TargetNotEmptyError } from '../../db/copy.ts';
import { migrateUp } from '../../db/migrations/migrator.ts';
import { AppError } from '../../errors.ts';

type CopyCommandOptions = { to?: string; from?: string; force?: boolean; batchSize: string };

const COPY_HELP = `
The target is migrated first; the source must already be at the same migration
(run \`chorus migrate\` on it if not). Every row of every table is copied in
foreign-key order inside one transaction, so a failed copy leaves the target as
it was. The migration bookkeeping is not copied: each database keeps its own.
Afterwards the row counts of both sides are printed; the exit code is non-zero
if any differ.

A target that already holds rows is refused, unless --force is given, which
deletes those rows first. Stop any \`chorus serve\` using DATA_DIR before
copying: the embedded database is locked for one process at a time, and the
copy is refused while another holds it.

Examples:
  chorus db copy --to postgres://chorus@db.example.com/chorus
  DATA_DIR=./restored chorus db copy --from postgres://chorus@db.example.com/chorus
`;

export function registerDb(program: Command) {
  const db = program.command('db').description('work on the database as a whole (see: db copy)');

  db.command('copy')
    .description('copy every row between the embedded database (DATA_DIR) and a PostgreSQL database')
    .option('--to <postgres-url>', 'copy the embedded database into this PostgreSQL database')
    .option('--from <postgres-url>', 'copy this PostgreSQL database into the embedded database')
    .option('--force', 'delete every row the target already holds before copying (default: refuse a non-empty target)')
    .option('--batch-size <rows>', 'most rows per batch (a batch also holds about 16 MiB at most)', '1000')
    .addHelpText('after', COPY_HELP)
    .action((options: CopyCommandOptions) => copyCommand(options));
}

async function copyCommand(options: CopyCommandOptions): Promise<void> {
  const url = options.to ?? options.from;
  if (!url || (options.to && options.from)) {
    throw new AppError('invalid_input', 'give exactly one of --to <postgres-url> or --from <postgres-url>');
  }
  if (!/^postgres(ql)?:\/\//.test(url) || !URL.canParse(url)) {
    throw new AppError('invalid_input', `not a PostgreSQL URL: ${url} (expected postgres://user@host/database)`);
  }
  const batchSize = Number(options.batchSize);
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new AppError('invalid_input', '--batch-size must be a positive whole number');

  const env = readEnvironment();
  // Opening a missing directory would create an empty database and then copy nothing out of it.
  if (options.to && !existsSync(path.resolve(env.DATA_DIR, 'pglite'))) {
    throw new AppError(
      'invalid_input',
      `no embedded database in DATA_DIR (${path.resolve(env.DATA_DIR)}) to copy from`,
    );
  }
  const embedded = await openDatabase({ dataDir: env.DATA_DIR });
  try {
    const postgresDatabase = await openDatabase({ url, maxConnections: 2 });
    try {
      const [source, target] = options.to ? [embedded, postgresDatabase] : [postgresDatabase, embedded];
      const applied = await migrateUp(target.db);
      if (applied.length > 0) console.log(`migrated the target: ${applied.join(', ')}`);
      const progress = createProgressDisplay();
      let report: CopyReport;
      try {
        report = await copyDatabase(source, target, { batchSize, replaceExisting: options.force, observer: progress });
      } catch (error) {
        if (error instanceof TargetNotEmptyError) {
          throw new AppError(
            'conflict',
            `${error.message}\nCopy into an empty database, or pass --force to delete those rows first.`,
            { cause: error },
          );
        }
        throw error;
      } finally {
        progress.stop();
      }
      printReport(report);
      if (!report.countsMatch) {
        console.error('row counts differ between source and target: the copy is incomplete');
        process.exitCode = 1;
      }
    } finally {
      await postgresDatabase.close();
    }
  } finally {
    await embedded.close();
  }
}

/** A bar per table on a terminal; one plain line per finished table otherwise (logs, CI, pipes). */
function createProgressDisplay(): CopyObserver & { stop(): void } {
  if (!process.stderr.isTTY) {
    return {
      tableFinished: (table, rows) => console.log(`copied ${table}: ${rows} rows`),
      stop: () => {},
    };
  }
  const bars = new cliProgress.MultiBar(
    { format: '{table} [{bar}] {value}/{total} rows', hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  const byTable = new Map<string, cliProgress.SingleBar>();
  return {
    tableStarted: (table, rows) => byTable.set(table, bars.create(rows, 0, { table: table.padEnd(26) })),
    rowsCopied: (table, rows) => byTable.get(table)?.update(rows),
    tableFinished: (table, rows) => byTable.get(table)?.update(rows),
    stop: () => bars.stop(),
  };
}

function printReport(report: CopyReport): void {
  const width = Math.max(...report.tables.map((table) => table.table.length), 5);
  console.log(`\n${'table'.padEnd(width)}  ${'source'.padStart(9)}  ${'target'.padStart(9)}`);
  for (const { table, source, target } of report.tables) {
    const verdict = source === target ? '' : '  DIFFERS';
    console.log(`${table.padEnd(width)}  ${String(source).padStart(9)}  ${String(target).padStart(9)}${verdict}`);
  }
  const seconds = report.elapsedMs / 1000;
  const rate = seconds > 0 ? Math.round(report.rowsCopied / seconds) : report.rowsCopied;
  console.log(`\ncopied ${report.rowsCopied} rows in ${seconds.toFixed(1)} s (${rate} rows/s)`);
}
