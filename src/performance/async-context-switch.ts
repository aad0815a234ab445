// better-auth keeps each call's context in AsyncLocalStorage. Where Node carries contexts with promise hooks (Node 22,
// and 24 run with --no-async-context-frame), an AsyncLocalStorage that has ever run makes every promise of the process
// slower for as long as it stays enabled (docs/performance.md, async context). A streaming reply runs thousands of
// promises, so better-auth's storages are disabled again whenever no call into better-auth is in flight; its next
// call enables them by itself. Node 24 carries contexts in the async context frame at no such cost: there this
// switch stands aside.
import { AsyncLocalStorage } from 'node:async_hooks';
import {
  getCurrentAuthContextAsyncLocalStorage,
  getCurrentDBAdapterAsyncLocalStorage,
  getRequestStateAsyncLocalStorage,
} from '@better-auth/core/context';

// Fetched once: disabling must happen synchronously, in the same turn that sees no call in flight.
const storages: unknown[] = await Promise.all([
  getRequestStateAsyncLocalStorage(),
  getCurrentAuthContextAsyncLocalStorage(),
  getCurrentDBAdapterAsyncLocalStorage(),
]);
/** Whether contexts travel in the async context frame (Node 24's default), whose storages cost nothing idle. */
export const contextsAreFree = !('_enable' in AsyncLocalStorage.prototype);
const disablable = contextsAreFree ? [] : storages.filter((storage) => storage instanceof AsyncLocalStorage);

let callsInFlight = 0;

/** Runs a call into better-auth (its handler, its API); when the last such call ends, its storages are disabled. */
export async function callBetterAuth<Result>(call: () => Promise<Result>): Promise<Result> {
  callsInFlight++;
  try {
    return await call();
  } finally {
    if (--callsInFlight === 0) for (const storage of disablable) storage.disable();
  }
}
