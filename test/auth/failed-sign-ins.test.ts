// Failed sign-ins slow down, then lock, further attempts per email and per address; the lock ends on its own. The
// clock is the test's, so no test waits.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { APIError } from 'better-auth/api';
import {
  FailedSignIns,
  FIRST_WAIT_MS,
  FREE_FAILURES,
  LOCK_MS,
  SLOWED_FAILURES,
  waitAfterFailures,
} from '../../src/auth/failed-sign-ins.ts';
import { createStore } from '../../src/store/index.ts';
import { openTestDatabase, type TestDatabase, testBackends } from '../support/database.ts';
import { signUp, TEST_PASSWORD } from '../support/people.ts';
import { startTestServer, TestClient } from '../support/server.ts';

/** The refusal `attempt` ends in, or null when it is let through. */
async function refusal(attempt: Promise<void>): Promise<{ message: string; retryAfter: string | null } | null> {
  try {
    await attempt;
    return null;
  } catch (error) {
    assert.ok(error instanceof APIError, String(error));
    assert.equal(error.statusCode, 429);
    return { message: error.message, retryAfter: new Headers(error.headers).get('retry-after') };
  }
}

const LOCK_AFTER_FAILURES = FREE_FAILURES + SLOWED_FAILURES;

test('the wait grows with each failure past the free ones, and becomes the lock', () => {
  assert.equal(waitAfterFailures(FREE_FAILURES - 1), 0);
  assert.equal(waitAfterFailures(FREE_FAILURES), FIRST_WAIT_MS);
  assert.equal(waitAfterFailures(FREE_FAILURES + 2), 4 * FIRST_WAIT_MS);
  assert.equal(waitAfterFailures(LOCK_AFTER_FAILURES), LOCK_MS);
});

for (const kind of testBackends()) {
  describe(`failed sign-ins on ${kind}`, () => {
    let database: TestDatabase;
    let now = Date.parse('2026-03-01T12:00:00Z');
    let failedSignIns: FailedSignIns;
    before(async () => {
      database = await openTestDatabase(kind);
      failedSignIns = new FailedSignIns(createStore(database.db), () => now);
    });
    after(() => database?.close());

    test('an email is slowed, then locked, and the lock expires; a success clears it', async () => {
      const source = { email: 'Target@Example.com', address: null };
      for (let failure = 1; failure <= LOCK_AFTER_FAILURES; failure++) {
        assert.equal(await refusal(failedSignIns.check(source)), null, `attempt ${failure} is let through`);
        await failedSignIns.failed(source);
        const wait = waitAfterFailures(failure);
        if (wait === 0) continue;
        const slowed = await refusal(failedSignIns.check({ ...source, email: 'target@example.com' }));
        assert.ok(slowed, `after ${failure} failures the next attempt waits`);
        assert.equal(slowed.retryAfter, String(wait / 1000));
        now += wait;
      }
      now -= LOCK_MS;
      const locked = await refusal(failedSignIns.check(source));
      assert.match(
        locked!.message,
        /sign-in is locked for this email after 10 failed attempts; try again in 15 minutes/,
      );
      now += LOCK_MS - 1;
      assert.ok(await refusal(failedSignIns.check(source)), 'still locked a moment before the end');
      now += 1;
      assert.equal(await refusal(failedSignIns.check(source)), null, 'the lock has expired');
      // A failure after the lock starts the count afresh: one failure is free again.
      await failedSignIns.failed(source);
      assert.equal(await refusal(failedSignIns.check(source)), null);
      await failedSignIns.failed(source);
      await failedSignIns.failed(source);
      assert.ok(await refusal(failedSignIns.check(source)));
      await failedSignIns.succeeded(source.email);
      assert.equal(await refusal(failedSignIns.check(source)), null);
    });

    test('an address failing at many emails is slowed for every email', async () => {
      const address = '203.0.113.7';
      for (let index = 0; index < FREE_FAILURES; index++) {
        await failedSignIns.failed({ email: `person${index}@example.com`, address });
      }
      const slowed = await refusal(failedSignIns.check({ email: 'someone-new@example.com', address }));
      assert.match(slowed!.message, /too many failed sign-ins for this address; wait 5 seconds before trying again/);
      assert.equal(
        await refusal(failedSignIns.check({ email: 'someone-new@example.com', address: '203.0.113.8' })),
        null,
      );
    });
  });

  describe(`failed sign-ins over HTTP on ${kind}`, () => {
    test('after three wrong passwords even the right one waits, with a message saying how long', async () => {
      const server = await startTestServer(kind);
      try {
        const person = await signUp(server, 'Guessed At');
        const attempt = (password: string) =>
          new TestClient(server.baseUrl).post('/api/auth/sign-in/email', { email: person.email, password });
        for (let failure = 0; failure < FREE_FAILURES; failure++) {
          assert.equal((await attempt('wrong password!')).status, 401);
        }
        const refused = await attempt(TEST_PASSWORD);
        assert.equal(refused.status, 429, JSON.stringify(refused.body));
        assert.match(refused.body.error.message, /too many failed sign-ins for this (email|address); wait \d+ seconds/);
        assert.ok(Number(refused.headers.get('retry-after')) > 0);
      } finally {
        await server.close();
      }
    });
  });
}
