// better-auth keeps each call's context in AsyncLocalStorage. On Node 20, an AsyncLocalStorage that has ever run
// makes every promise of the process pay for carrying contexts along, about twice the cost of a plain await and an
// allocation each (measured: 2M awaits take 140 ms without, 280 ms with), for as long as the storage stays enabled,
// which is forever unless someone disables it. A streaming reply runs thousands of promises (web streams are made
// of them), so better-auth's storages are disabled again whenever no call into better-auth is in flight; its next
// call enables them by itself. (Node 22+ carries contexts without this cost; then this does nothing useful.)
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
const disablable = storages.filter((storage) => storage instanceof AsyncLocalStorage);

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
