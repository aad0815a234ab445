// The log of backups: one row per run, moving started → in_progress → completed | failed.
// Internal: written by the backup command as it goes, read by operators and by restore.
import { and, desc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type { Database } from '../db/client.ts';
import { backupLogs } from '../db/schema/index.ts';
import { AppError, notFound } from '../errors.ts';
import { clampLimit } from './pagination.ts';

export type BackupLog = typeof backupLogs.$inferSelect;
export type BackupStatus = BackupLog['status'];
export type BackupProgress = NonNullable<BackupLog['progress']>;
export type CompletedBackup = { id: string; filePath: string; fileSizeBytes: number; checksum: string };

/** A run that has ended stays ended: its outcome is history. */
const UNFINISHED: BackupStatus[] = ['started', 'in_progress'];

export class BackupLogStore {
  constructor(private readonly db: Database) {}

  async start({ backupType }: { backupType: string }): Promise<BackupLog> {
    const [log] = await this.db.insert(backupLogs).values({ backupType, status: 'started' }).returning();
    return log!;
  }

  markInProgress(id: string): Promise<BackupLog> {
    return this.transition(id, ['started'], { status: 'in_progress' });
  }

  /** How far a run in progress has got; a run that has ended is left as it ended. */
  async reportProgress(id: string, progress: BackupProgress): Promise<void> {
    await this.db
      .update(backupLogs)
      .set({ progress })
      .where(and(eq(backupLogs.id, id), eq(backupLogs.status, 'in_progress')));
  }

  /**
   * Fails every run still marked started or in progress: called by whoever holds the backup lock, so none of them
   * can still be running (their process ended without saying so).
   */
  async failUnfinished({ except, errorMessage }: { except: string; errorMessage: string }): Promise<number> {
    const failed = await this.db
      .update(backupLogs)
      .set({ status: 'failed', errorMessage, completedAt: sql`now()` })
      .where(and(inArray(backupLogs.status, UNFINISHED), sql`${backupLogs.id} <> ${except}`))
      .returning({ id: backupLogs.id });
    return failed.length;
  }

  async find(id: string): Promise<BackupLog | undefined> {
    const [log] = await this.db.select().from(backupLogs).where(eq(backupLogs.id, id));
    return log;
  }

  complete({ id, filePath, fileSizeBytes, checksum }: CompletedBackup): Promise<BackupLog> {
    return this.transition(id, UNFINISHED, {
      status: 'completed',
      filePath,
      fileSizeBytes,
      checksum,
      completedAt: sql`now()`,
    });
  }

  /** completed_at is set on failure too: it records when the run ended. */
  fail({ id, errorMessage }: { id: string; errorMessage: string }): Promise<BackupLog> {
    return this.transition(id, UNFINISHED, { status: 'failed', errorMessage, completedAt: sql`now()` });
  }

  /** Newest first, optionally of one type or status. */
  async list({ backupType, status, limit }: { backupType?: string; status?: BackupStatus; limit?: number } = {}) {
    const filters: SQL[] = [];
    if (backupType !== undefined) filters.push(eq(backupLogs.backupType, backupType));
    if (status !== undefined) filters.push(eq(backupLogs.status, status));
    return this.db
      .select()
      .from(backupLogs)
      .where(and(...filters))
      .orderBy(desc(backupLogs.startedAt), desc(backupLogs.id))
      .limit(clampLimit(limit));
  }

  /** The backup a restore would use by default. */
  async latestCompleted({ backupType }: { backupType?: string } = {}): Promise<BackupLog | undefined> {
    const [latest] = await this.list({ backupType, status: 'completed', limit: 1 });
    return latest;
  }

  private async transition(
    id: string,
    from: BackupStatus[],
    changes: PgUpdateSetSource<typeof backupLogs> & { status: BackupStatus },
  ): Promise<BackupLog> {
    const [log] = await this.db
      .update(backupLogs)
      .set(changes)
      .where(and(eq(backupLogs.id, id), inArray(backupLogs.status, from)))
      .returning();
    if (log) return log;
    const [existing] = await this.db
      .select({ status: backupLogs.status })
      .from(backupLogs)
      .where(eq(backupLogs.id, id));
    if (!existing) throw notFound('backup', id);
    throw new AppError('conflict', `backup ${id} is ${existing.status} and cannot become ${changes.status}`, {
      details: { from: existing.status, to: changes.status },
    });
  }
}
