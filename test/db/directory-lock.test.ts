// The embedded database's directory is held by one process at a time; a lock left by a process that died is
// taken over. (Real `chorus` processes competing for a directory: test/cli-serve.test.ts.)
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { openDatabase } from '../../src/db/client.ts';
import { DirectoryLockedError, lockDirectory } from '../../src/db/directory-lock.ts';
import { temporaryDirectory } from '../support/cli.ts';

/** A Node process that runs until killed. */
async function runningProcess(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000); console.log("up")'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  await once(child.stdout!, 'data');
  return child;
}

/** The pid of a process that has exited. */
async function pidOfEndedProcess(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await once(child, 'exit');
  return child.pid!;
}

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const lockFileNaming = (lockFile: string, pid: number) =>
  writeFileSync(lockFile, JSON.stringify({ pid, since: '2024-01-01T00:00:00.000Z', token: `left by ${pid}` }));

describe('the embedded database directory lock', () => {
  const folder = temporaryDirectory();
  after(() => folder.remove());
  let next = 0;
  const freshDirectory = () => path.join(folder.path, `pglite-${++next}`);

  test('a second open of the same directory is refused until the first lets go', () => {
    const directory = freshDirectory();
    const lock = lockDirectory(directory);
    assert.throws(
      () => lockDirectory(directory),
      (error: unknown) => {
        assert.ok(error instanceof DirectoryLockedError);
        assert.match(
          error.message,
          new RegExp(`^the embedded database in ${escaped(directory)} is in use by this process`),
        );
        return true;
      },
    );
    lock.release();
    assert.equal(existsSync(lock.path), false, 'the lock file is gone');
    lockDirectory(directory).release();
  });

  test('a lock held by another running process is refused, naming its pid and the lock file', async () => {
    const directory = freshDirectory();
    const holder = await runningProcess();
    try {
      lockFileNaming(`${directory}.lock`, holder.pid!);
      assert.throws(
        () => lockDirectory(directory),
        (error: unknown) => {
          assert.ok(error instanceof DirectoryLockedError);
          assert.match(
            error.message,
            new RegExp(`in ${escaped(directory)} is in use by another process \\(pid ${holder.pid}, since `),
          );
          assert.match(error.message, new RegExp(`delete ${escaped(directory)}\\.lock\\.$`));
          return true;
        },
      );
    } finally {
      holder.kill();
    }
  });

  test('a lock left by a process that died is taken over, and so is an unreadable one', async () => {
    const directory = freshDirectory();
    lockFileNaming(`${directory}.lock`, await pidOfEndedProcess());
    lockDirectory(directory).release();
    writeFileSync(`${directory}.lock`, 'not a lock this program wrote');
    lockDirectory(directory).release();
  });

  test('letting go leaves alone a lock another process took over meanwhile', async () => {
    const directory = freshDirectory();
    const lock = lockDirectory(directory);
    const holder = await runningProcess();
    try {
      lockFileNaming(lock.path, holder.pid!);
      lock.release();
      assert.throws(() => lockDirectory(directory), DirectoryLockedError);
    } finally {
      holder.kill();
    }
  });

  test('the database opens a directory one handle at a time', { timeout: 120_000 }, async () => {
    const dataDir = path.join(folder.path, 'data');
    const first = await openDatabase({ dataDir });
    try {
      await assert.rejects(openDatabase({ dataDir }), DirectoryLockedError);
    } finally {
      await first.close();
    }
    const second = await openDatabase({ dataDir });
    await second.close();
  });
});
