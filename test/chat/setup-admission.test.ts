import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Hono } from 'hono';
import { SetupAdmission } from '../../src/chat/setup-admission.ts';
import { AppError } from '../../src/errors.ts';
import { handleError } from '../../src/http/errors.ts';

/** A set-up that finishes when the test says so. */
function controllable() {
  let finish!: () => void;
  let fail!: (error: Error) => void;
  const done = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  return { done, finish, fail };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('admission of turn set-ups', () => {
  test('at most `concurrency` set-ups run at once; the others start in the order they came', async () => {
    const admission = new SetupAdmission({ concurrency: 2, queueLimit: 10 });
    const started: number[] = [];
    const setUps = Array.from({ length: 5 }, () => controllable());
    const runs = setUps.map((setUp, index) =>
      admission.run(async () => {
        started.push(index);
        await setUp.done;
        return index;
      }),
    );
    await settle();
    assert.deepEqual(started, [0, 1]);
    assert.deepEqual(admission.load, { running: 2, queued: 3 });

    setUps[1]!.finish();
    await settle();
    assert.deepEqual(started, [0, 1, 2]);
    setUps[0]!.finish();
    await settle();
    assert.deepEqual(started, [0, 1, 2, 3]);
    for (const setUp of setUps) setUp.finish();
    assert.deepEqual(await Promise.all(runs), [0, 1, 2, 3, 4]);
    assert.deepEqual(admission.load, { running: 0, queued: 0 });
  });

  test('a set-up that fails frees its place for the next', async () => {
    const admission = new SetupAdmission({ concurrency: 1, queueLimit: 10 });
    const failing = admission.run(async () => {
      throw new Error('the database refused');
    });
    const next = admission.run(async () => 'ran');
    await assert.rejects(failing, /the database refused/);
    assert.equal(await next, 'ran');
  });

  test('past the queue limit a request is refused at once as unavailable, with how long to wait', async () => {
    const admission = new SetupAdmission({ concurrency: 1, queueLimit: 1, retryAfterSeconds: 3 });
    const busy = controllable();
    const running = admission.run(() => busy.done);
    const waiting = admission.run(async () => 'waited');
    await assert.rejects(
      admission.run(async () => 'never'),
      (error: unknown) => error instanceof AppError && error.code === 'unavailable' && error.retryAfterSeconds === 3,
    );
    busy.finish();
    await running;
    assert.equal(await waiting, 'waited');
  });

  test('a request given up while it waits leaves the queue and never runs', async () => {
    const admission = new SetupAdmission({ concurrency: 1, queueLimit: 10 });
    const busy = controllable();
    const running = admission.run(() => busy.done);
    const client = new AbortController();
    let ran = false;
    const abandoned = admission.run(async () => {
      ran = true;
    }, client.signal);
    const after = admission.run(async () => 'after');
    client.abort(new Error('the client left'));
    await assert.rejects(abandoned, /the client left/);
    assert.deepEqual(admission.load, { running: 1, queued: 1 });
    busy.finish();
    await running;
    assert.equal(await after, 'after');
    assert.equal(ran, false);
  });

  test('a set-up that never settles fails once its time is up, and its place goes to the next', {
    timeout: 20_000,
  }, async () => {
    const admission = new SetupAdmission({ concurrency: 1, queueLimit: 10, timeoutMs: 50 });
    const stuck = admission.run(() => new Promise<never>(() => {}));
    const next = admission.run(async () => 'ran');
    await assert.rejects(
      stuck,
      (error: unknown) =>
        error instanceof AppError && error.code === 'unavailable' && /did not finish within 0.05 s/.test(error.message),
    );
    assert.equal(await next, 'ran');
    assert.deepEqual(admission.load, { running: 0, queued: 0 });
  });

  test('the refusal reaches the client as 503 with Retry-After', async () => {
    const app = new Hono();
    app.onError(handleError);
    app.get('/', () => {
      throw new AppError('unavailable', 'busy', { retryAfterSeconds: 7 });
    });
    const response = await app.request('/');
    assert.equal(response.status, 503);
    assert.equal(response.headers.get('retry-after'), '7');
    const body = (await response.json()) as { error: { code: string } };
    assert.equal(body.error.code, 'unavailable');
  });
});
