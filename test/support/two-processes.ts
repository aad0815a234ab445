// Two server processes on one PostgreSQL database, as two runtimes in this process: what one changes, the other
// must hear of through the database's notifications. For the tests of that following.
import assert from 'node:assert/strict';
import { readEnvironment } from '../../src/config/env.ts';
import { openRuntime, type Runtime } from '../../src/runtime.ts';
import { createPostgresDatabase } from './database.ts';

export type TwoProcesses = { first: Runtime; second: Runtime; close: () => Promise<void> };

/**
 * A fresh database, migrated (and with `seed`, given the shipped models) by the first runtime; the second starts on
 * it as another process would.
 */
export async function openTwoProcesses({ seed = false } = {}): Promise<TwoProcesses> {
  const created = await createPostgresDatabase();
  const env = readEnvironment({ DATABASE_URL: created.url, PUBLIC_URL: 'http://chorus.test' });
  const opened: Runtime[] = [];
  const close = async () => {
    await Promise.allSettled(opened.map((runtime) => runtime.close()));
    await created.drop();
  };
  try {
    opened.push(await openRuntime(env, { seedIfEmpty: seed, registerDeclaredModels: false }));
    opened.push(await openRuntime(env, { migrate: false, seedIfEmpty: false, registerDeclaredModels: false }));
  } catch (error) {
    await close();
    throw error;
  }
  return { first: opened[0]!, second: opened[1]!, close };
}

/** Waits (up to 2 s) until `check` holds in the other process, failing with what it did not follow. */
export async function followedSoon(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 2_000;
  while (!(await check())) {
    assert.ok(Date.now() < deadline, `the other process has not followed 2 s after ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
