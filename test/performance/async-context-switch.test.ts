// better-auth's context storages are switched off between its calls where idle storages cost (see
// src/performance/async-context-switch.ts).
import assert from 'node:assert/strict';
import type { AsyncLocalStorage } from 'node:async_hooks';
import { test } from 'node:test';
import { getRequestStateAsyncLocalStorage, runWithRequestState } from '@better-auth/core/context';
import { callBetterAuth, contextsAreFree } from '../../src/performance/async-context-switch.ts';

/** Node's own flag for an AsyncLocalStorage whose hooks are on (not in its typings). */
const isEnabled = (storage: AsyncLocalStorage<unknown>) => (storage as unknown as { enabled: boolean }).enabled;

test('calls into better-auth each see their own context across awaits, also while another is in flight', async () => {
  const storage = (await getRequestStateAsyncLocalStorage()) as AsyncLocalStorage<unknown>;
  let release!: () => void;
  const slowState = new WeakMap();
  let seenBySlow: unknown;
  const slow = callBetterAuth(() =>
    runWithRequestState(slowState, async () => {
      await new Promise<void>((resolve) => (release = resolve));
      seenBySlow = storage.getStore();
    }),
  );
  const quickState = new WeakMap();
  let seenByQuick: unknown;
  await callBetterAuth(() =>
    runWithRequestState(quickState, async () => {
      await Promise.resolve();
      seenByQuick = storage.getStore();
    }),
  );
  release();
  await slow;
  assert.equal(seenByQuick, quickState);
  assert.equal(seenBySlow, slowState);
});

test('better-auth storages stay on while any call into it is in flight, and are off once the last one ends', {
  skip: contextsAreFree && 'contexts travel in the async context frame here: there is nothing to switch off',
}, async () => {
  const storage = (await getRequestStateAsyncLocalStorage()) as AsyncLocalStorage<unknown>;
  let release!: () => void;
  const slow = callBetterAuth(() =>
    runWithRequestState(new WeakMap(), () => new Promise<void>((resolve) => (release = resolve))),
  );
  await callBetterAuth(() => runWithRequestState(new WeakMap(), () => Promise.resolve()));
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
