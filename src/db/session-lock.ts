// A PostgreSQL session-level advisory lock held on a connection of its own, for work that exactly one of several
// server processes on one database may do at a time (the Discord bot's gateway connection). The lock lives as long
// as the connection: a holder that dies, or loses its connection, lets it go, and a waiting process takes it on its
// next try. The holder checks its connection every few seconds, so it learns that it lost the lock within seconds
// too (another process may hold it by then).
import { setTimeout as sleep } from 'node:timers/promises';
import postgres from 'postgres';
import { logError } from '../loggable-error.ts';

export type SessionLockTiming = {
  /** How often a process that does not hold the lock tries again. */
  retryMs: number;
  /** How often the holder checks that its connection (hence the lock) is still there. */
  checkMs: number;
};

export const DEFAULT_SESSION_LOCK_TIMING: SessionLockTiming = { retryMs: 3_000, checkMs: 3_000 };

export type SessionLockHolder = {
  /** The lock is this process's: start the work. */
  acquired(): Promise<void>;
  /** The lock is gone (connection lost): stop the work at once; another process may hold the lock already. */
  lost(): Promise<void>;
};

/**
 * Holds the lock `key` on the database at `url` whenever it can, telling `holder` when it gets and loses it, until
 * `stop` (which stops the work first, then lets the lock go).
 */
export class SessionLock {
  private stopping = false;
  private readonly wake = new AbortController();
  private loop: Promise<void> | null = null;
  private connection: postgres.Sql | null = null;
  private holding = false;
  /** The server process of the connection that took the lock: a connection made again does not hold it. */
  private holderPid: number | null = null;

  constructor(
    private readonly url: string,
    private readonly key: bigint,
    private readonly holder: SessionLockHolder,
    private readonly timing: SessionLockTiming = DEFAULT_SESSION_LOCK_TIMING,
  ) {}

  start(): void {
    this.loop ??= this.run();
  }

  get held(): boolean {
    return this.holding;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake.abort();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      try {
        if (await this.tryLock()) await this.holdUntilLost();
      } catch (error) {
        if (!this.stopping) logError('the session lock could not be taken or checked', error);
      }
      if (this.holding) await this.release();
      if (this.stopping) break;
      await this.pause(this.timing.retryMs);
    }
    await this.closeConnection();
  }

  private async tryLock(): Promise<boolean> {
    this.connection ??= postgres(this.url, { max: 1, idle_timeout: 0, onnotice: () => {}, connect_timeout: 10 });
    const [row] = await this.connection<{ locked: boolean; pid: number }[]>`
      select pg_try_advisory_lock(${this.key.toString()}::bigint) as locked, pg_backend_pid() as pid`;
    this.holderPid = row?.pid ?? null;
    return row?.locked === true;
  }

  /** Runs the work while the connection answers; returns when it does not, or on stop. */
  private async holdUntilLost(): Promise<void> {
    this.holding = true;
    await this.holder.acquired();
    while (!this.stopping) {
      await this.pause(this.timing.checkMs);
      if (this.stopping) return;
      try {
        // The driver reconnects on its own after a lost connection; the new one holds no lock.
        const [row] = await this.connection!<{ pid: number }[]>`select pg_backend_pid() as pid`;
        if (row?.pid !== this.holderPid) throw new Error('the connection holding the lock was replaced');
      } catch (error) {
        logError('the session lock was lost with its connection', error);
        await this.closeConnection();
        return;
      }
    }
  }

  /** The work stops before the lock is let go, so two processes never work at once. */
  private async release(): Promise<void> {
    this.holding = false;
    try {
      await this.holder.lost();
    } catch (error) {
      logError('stopping the work of a session lock failed', error);
    }
    // Closing the connection ends its session, which lets the lock go.
    await this.closeConnection();
  }

  private async closeConnection(): Promise<void> {
    const connection = this.connection;
    this.connection = null;
    await connection?.end({ timeout: 1 }).catch(() => {});
  }

  private async pause(ms: number): Promise<void> {
    await sleep(ms, undefined, { signal: this.wake.signal }).catch(() => {});
  }
}
