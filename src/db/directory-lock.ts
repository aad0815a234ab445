// One process at a time on the embedded database's directory. PGlite is PostgreSQL inside one process: two processes
// opening the same files each keep their own cache of its pages and their own idea of what is committed, write over
// each other, and what one wrote is gone once the other restarts. So the directory is locked before anything opens
// it: a file beside it (`pglite.lock`) names the process holding it. A process that ended without letting go
// (kill -9, a crash, a power cut) leaves the file behind naming a process that no longer runs, and the next one
// takes the lock over.
import { randomUUID } from 'node:crypto';
import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { AppError } from '../errors.ts';

export type DirectoryLock = { readonly path: string; release(): void };

/** Who holds a lock: what its file says. `token` tells this holder's file apart from a later one's. */
type Holder = { pid: number; since: string; token: string };

/** Locks held by this process, by lock file: a second open of the same directory here is refused as well. */
const heldByThisProcess = new Set<string>();

export class DirectoryLockedError extends AppError {
  constructor(directory: string, lockFile: string, holder: Holder) {
    const who =
      holder.pid === process.pid ? 'this process' : `another process (pid ${holder.pid}, since ${holder.since})`;
    super(
      'conflict',
      `the embedded database in ${directory} is in use by ${who}. Only one process may open it: stop that one ` +
        `first (to serve from several processes, use PostgreSQL with DATABASE_URL). If no such process is running, ` +
        `delete ${lockFile}.`,
      { details: { directory, pid: holder.pid } },
    );
  }
}

/** Locks `directory` for this process, or throws DirectoryLockedError naming the process that holds it. */
export function lockDirectory(directory: string): DirectoryLock {
  const lockFile = `${directory}.lock`;
  const mine: Holder = { pid: process.pid, since: new Date().toISOString(), token: randomUUID() };
  // A few rounds: each either takes the lock, finds it held, or clears a stale one (a racer may clear it first).
  for (let round = 0; round < 5; round++) {
    if (createLockFile(lockFile, mine)) return heldLock(lockFile, mine);
    const holder = readHolder(lockFile);
    if (!holder) continue;
    if (isHeld(lockFile, holder)) throw new DirectoryLockedError(directory, lockFile, holder);
    removeStaleLock(lockFile, holder);
  }
  throw new AppError(
    'conflict',
    `could not lock ${directory}: ${lockFile} keeps changing; is another process starting?`,
  );
}

function heldLock(lockFile: string, mine: Holder): DirectoryLock {
  heldByThisProcess.add(lockFile);
  // A process that exits without closing the database (process.exit) lets go all the same.
  const releaseOnExit = () => release();
  process.once('exit', releaseOnExit);
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', releaseOnExit);
    heldByThisProcess.delete(lockFile);
    // Only this holder's file: had it been taken over meanwhile, the file is the new holder's.
    if (readHolder(lockFile)?.token === mine.token) unlinkQuietly(lockFile);
  };
  return { path: lockFile, release };
}

/** Creates the lock file with its content in one step (a hard link): no one ever reads it half written. */
function createLockFile(lockFile: string, holder: Holder): boolean {
  const draft = `${lockFile}.${holder.token}`;
  writeFileSync(draft, `${JSON.stringify(holder)}\n`);
  try {
    linkSync(draft, lockFile);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkQuietly(draft);
  }
}

/** The holder a lock file names; undefined when it is gone (or unreadable: then it is stale). */
function readHolder(lockFile: string): Holder | undefined {
  let text: string;
  try {
    text = readFileSync(lockFile, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const holder = JSON.parse(text) as Partial<Holder>;
    if (typeof holder.pid === 'number' && typeof holder.token === 'string') {
      return { pid: holder.pid, since: String(holder.since), token: holder.token };
    }
  } catch {
    // Not a lock this program wrote: taken for stale below.
  }
  return { pid: 0, since: 'unknown', token: text };
}

/**
 * Whether the holder still holds it: its process runs. This process's own pid in the file is a lock held here, or
 * one left by an earlier process that had the same pid (a container restarted) and so stale.
 */
function isHeld(lockFile: string, holder: Holder): boolean {
  if (holder.pid === process.pid) return heldByThisProcess.has(lockFile);
  if (!Number.isInteger(holder.pid) || holder.pid <= 0) return false;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Moves the stale lock aside, then checks that what moved is the stale one: two processes clearing it at once, the
 * second could move the first's new lock instead, and then puts it back.
 */
function removeStaleLock(lockFile: string, stale: Holder): void {
  const aside = `${lockFile}.stale.${randomUUID()}`;
  try {
    renameSync(lockFile, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (readHolder(aside)?.token !== stale.token) {
    try {
      linkSync(aside, lockFile);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  unlinkQuietly(aside);
}

function unlinkQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
