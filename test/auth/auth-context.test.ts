// better-auth's context storages are switched off between its calls (see src/auth/auth-context.ts).
import assert from 'node:assert/strict';
import type { AsyncLocalStorage } from 'node:async_hooks';
import { test } from 'node:test';
import { getRequestStateAsyncLocalStorage, runWithRequestState } from '@better-auth/core/context';
import { callBetterAuth } from '../../src/auth/auth-context.ts';

/** Node's own flag for an AsyncLocalStorage whose hooks are on (not in its typings). */
const isEnabled = (storage: AsyncLocalStorage<unknown>) => (storage as unknown as { enabled: boolean }).enabled;

test('better-auth storages stay on while any call into it is in flight, and are off once the last one ends', async () => {
  const storage = (await getRequestStateAsyncLocalStorage()) as AsyncLocalStorage<unknown>;
  let release!: () => void;
  const slow = callBetterAuth(() =>
    runWithRequestState(new WeakMap(), () => new Promise<void>((resolve) => (release = resolve))),
  );
  let seenInside: unknown;
  await callBetterAuth(() =>
    runWithRequestState(new WeakMap(), async () => {
      await Promise.resolve();
      seenInside = storage.getStore();
    }),
  );
  assert.ok(seenInside instanceof WeakMap, 'a call sees its own context across awaits');
  assert.equal(isEnabled(storage), true, 'another call is still running');
  release();
  await slow;
  assert.equal(isEnabled(storage), false);
  await assert.rejects(
    callBetterAuth(() => Promise.reject(new Error('refused'))),
    /refused/,
  );
  assert.equal(isEnabled(storage), false, 'a failed call ends the same way');
});
