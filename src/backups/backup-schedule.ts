// Scheduled backups inside `chorus serve` (CHORUS_BACKUP_INTERVAL): a backup is due when the newest completed one
// started an interval ago or more (or there is none). Every process checks; the backup lock lets one of them run it,
// and the others, finding it done (or running), do nothing.
import type { BackupLogStore } from '../store/backup-logs.ts';
import { BACKUP_TYPE, BackupAlreadyRunningError, type BackupService } from './backup-service.ts';

/** How often a process checks whether a backup is due, at most. */
const CHECK_EVERY_MS = 60_000;

export class BackupSchedule {
  private timer: NodeJS.Timeout | undefined;
  private checking: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly service: BackupService,
    private readonly logs: BackupLogStore,
    private readonly options: { intervalMs: number; now?: () => number; log?: (line: string) => void },
  ) {}

  /** Whether a backup is due now. */
  async isDue(): Promise<boolean> {
    const latest = await this.logs.latestCompleted({ backupType: BACKUP_TYPE });
    const now = this.options.now?.() ?? Date.now();
    return !latest || latest.startedAt.getTime() + this.options.intervalMs <= now;
  }

  /** Backs up when due and no other process is at it; true when this call made a backup. */
  async runIfDue(): Promise<boolean> {
    if (!(await this.isDue())) return false;
    try {
      const run = await this.service.startIf(() => this.isDue());
      if (!run) return false;
      const log = await run.finished;
      this.options.log?.(`scheduled backup completed: ${log.filePath} (${log.fileSizeBytes} bytes)`);
      return true;
    } catch (error) {
      if (error instanceof BackupAlreadyRunningError) return false;
      this.options.log?.(`scheduled backup failed: ${(error as Error).message}`);
      return false;
    }
  }

  start(): void {
    const check = () => {
      this.checking = this.runIfDue().catch(() => {});
    };
    check();
    this.timer = setInterval(check, Math.min(this.options.intervalMs, CHECK_EVERY_MS));
    this.timer.unref();
  }

  /** Stops checking; a backup under way finishes (or fails) first. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.checking;
  }
}
