// Running backups as the server and the command line do: one at a time (on PostgreSQL across every process, by an
// advisory lock), each run recorded in backup_logs (started → in_progress with its progress → completed | failed),
// and, when told how many to keep, older backups at the location deleted after a success.
import postgres from 'postgres';
import type { DatabaseHandle } from '../db/client.ts';
import { AppError } from '../errors.ts';
import type { BackupLog, BackupLogStore } from '../store/backup-logs.ts';
import { type BackupLocation, childLocation, deleteAll, keysIn } from './backup-location.ts';
import { writeBackup } from './backup-writer.ts';
import { isBackupName, MANIFEST_FILE } from './manifest.ts';

/** Arbitrary but fixed: every Chorus process agrees on it (the migrations' is 726_361_001). */
const BACKUP_LOCK_KEY = 726_361_002;

export const BACKUP_TYPE = 'full';

export class BackupAlreadyRunningError extends AppError {
  constructor() {
    super('conflict', 'a backup is already running');
  }
}

export type BackupRun = { log: BackupLog; finished: Promise<BackupLog> };

export class BackupService {
  private running = false;

  constructor(
    private readonly database: DatabaseHandle,
    private readonly logs: BackupLogStore,
    private readonly options: { location: BackupLocation; keep?: number },
  ) {}

  get location(): BackupLocation {
    return this.options.location;
  }

  /** Backs up now and waits for the outcome; a failed run is logged and its error thrown. */
  async backUp(options: { to?: BackupLocation } = {}): Promise<BackupLog> {
    const run = await this.start(options);
    return run.finished;
  }

  /**
   * Starts a backup and returns its log once it is under way; `finished` settles with its outcome. Refused with
   * BackupAlreadyRunningError while another runs (in this process, or on PostgreSQL in any).
   */
  async start(options: { to?: BackupLocation } = {}): Promise<BackupRun> {
    const run = await this.startIf(async () => true, options);
    return run!;
  }

  /**
   * As `start`, once the lock is held and `due` still says so (another process may have just backed up); null when
   * it does not.
   */
  async startIf(due: () => Promise<boolean>, options: { to?: BackupLocation } = {}): Promise<BackupRun | null> {
    if (this.running) throw new BackupAlreadyRunningError();
    this.running = true;
    let lock: BackupLock | undefined;
    try {
      lock = await takeBackupLock(this.database);
      if (!(await due())) {
        await lock.release();
        this.running = false;
        return null;
      }
      const started = await this.logs.start({ backupType: BACKUP_TYPE });
      // Holding the lock, no other run can be under way: any still marked so ended with its process.
      await this.logs.failUnfinished({
        except: started.id,
        errorMessage: 'interrupted: the process running it ended before it finished',
      });
      const log = await this.logs.markInProgress(started.id);
      const heldLock = lock;
      const finished = this.run(log, options.to ?? this.options.location).finally(async () => {
        await heldLock.release();
        this.running = false;
      });
      // The caller may only want the log; the outcome is recorded either way.
      finished.catch(() => {});
      return { log, finished };
    } catch (error) {
      await lock?.release();
      this.running = false;
      throw error;
    }
  }

  private async run(log: BackupLog, destination: BackupLocation): Promise<BackupLog> {
    // On the embedded database the snapshot holds its one connection: progress is written when it ends.
    const reportsProgress = this.database.kind === 'postgres';
    let progressWrite: Promise<void> = Promise.resolve();
    try {
      const written = await writeBackup(this.database, destination, {
        logId: log.id,
        onProgress: (progress) => {
          if (reportsProgress) progressWrite = progressWrite.then(() => this.logs.reportProgress(log.id, progress));
        },
      });
      await progressWrite;
      const completed = await this.logs.complete({
        id: log.id,
        filePath: written.location.address,
        fileSizeBytes: written.bytes,
        checksum: written.checksum,
      });
      if (this.options.keep !== undefined) await pruneBackups(destination, this.options.keep);
      return completed;
    } catch (error) {
      await progressWrite.catch(() => {});
      await this.logs.fail({ id: log.id, errorMessage: (error as Error).message.slice(0, 2_000) });
      throw error;
    }
  }
}

type BackupLock = { release(): Promise<void> };

/**
 * On PostgreSQL, a session advisory lock on a connection of its own, held for the run: released when the run ends or
 * its process dies (the connection closes). The embedded database serves one process, whose own flag suffices.
 */
async function takeBackupLock(database: DatabaseHandle): Promise<BackupLock> {
  if (database.kind !== 'postgres' || !database.url) return { release: async () => {} };
  const client = postgres(database.url, { max: 1, onnotice: () => {} });
  try {
    const [row] = await client<{ locked: boolean }[]>`select pg_try_advisory_lock(${BACKUP_LOCK_KEY}) as locked`;
    if (!row?.locked) throw new BackupAlreadyRunningError();
  } catch (error) {
    await client.end({ timeout: 5 });
    throw error;
  }
  return { release: () => client.end({ timeout: 5 }) };
}

/** The backups at a location, oldest first, and whether each is complete (has its manifest). */
export async function listBackups(location: BackupLocation): Promise<{ name: string; complete: boolean }[]> {
  const byName = new Map<string, boolean>();
  for await (const key of keysIn(location)) {
    const [name, ...rest] = key.split('/');
    if (!name || !isBackupName(name) || rest.length === 0) continue;
    byName.set(name, (byName.get(name) ?? false) || rest.join('/') === MANIFEST_FILE);
  }
  return [...byName.entries()]
    .sort(([left], [right]) => (left < right ? -1 : 1))
    .map(([name, complete]) => ({ name, complete }));
}

/**
 * Keeps the newest `keep` complete backups and deletes the rest, and every incomplete one (a run cut short left it;
 * the caller holds the backup lock, so none is being written).
 */
export async function pruneBackups(location: BackupLocation, keep: number): Promise<string[]> {
  const backups = await listBackups(location);
  const complete = backups.filter((backup) => backup.complete);
  const kept = new Set(complete.slice(-keep).map((backup) => backup.name));
  const deleted = backups.filter((backup) => !kept.has(backup.name)).map((backup) => backup.name);
  for (const name of deleted) await deleteAll(childLocation(location, name));
  return deleted;
}
