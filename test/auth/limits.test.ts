import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { DAILY_MESSAGE_LIMITS_KEY, DailyMessageLimit, DEFAULT_DAILY_MESSAGE_LIMITS } from '../../src/auth/limits.ts';
import { dailyUsage } from '../../src/db/schema/index.ts';
import { AppError } from '../../src/errors.ts';
import { usageDayOf } from '../../src/store/daily-usage.ts';
import { type Actor, actorOf, createStore, type Store } from '../../src/store/index.ts';
import { openTestDatabase, type TestDatabase, testBackends } from '../support/database.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

for (const kind of testBackends()) {
  describe(`daily message limits on ${kind}`, () => {
    let database: TestDatabase;
    let store: Store;
    let limit: DailyMessageLimit;
    let admin: Actor;
    before(async () => {
      database = await openTestDatabase(kind);
      store = createStore(database.db);
      limit = new DailyMessageLimit(store);
      admin = actorOf(await store.users.create({ displayName: 'Admin', role: 'admin' }));
    });
    after(() => database.close());

    const setLimits = (value: unknown) =>
      store.systemConfigs.set({ actor: admin, key: DAILY_MESSAGE_LIMITS_KEY, value });
    const today = () => usageDayOf(new Date());
    const usedToday = (actor: Actor) => store.dailyUsage.messagesOn({ userId: actor.id, day: today() });

    /** An actor who has already sent `count` messages today. */
    async function sender(count: number, kind: { isGuest?: boolean; role?: 'user' | 'admin' } = {}): Promise<Actor> {
      const actor = actorOf(await store.users.create({ displayName: 'Sender', ...kind }));
      if (count > 0) await database.db.insert(dailyUsage).values({ userId: actor.id, day: today(), messages: count });
      return actor;
    }

    const rejection = async (actor: Actor, now?: Date) => {
      try {
        await limit.count(actor, now);
        return null;
      } catch (error) {
        assert.ok(error instanceof AppError);
        return error;
      }
    };

    test('the defaults: 20 a day for guests, 1000 for users, none for admins', () => {
      assert.deepEqual(DEFAULT_DAILY_MESSAGE_LIMITS, { guest: 20, user: 1000, admin: null });
    });

    test('under the limit passes and counts; at it, the next message is refused with 429, the limit and the reset time', async () => {
      await setLimits({ guest: 3, user: 5 });
      const under = await sender(4);
      assert.equal(await rejection(under), null, 'under');
      assert.equal(await usedToday(under), 5, 'counted');
      const refused = await rejection(under);
      assert.ok(refused, 'at the limit');
      assert.equal(refused.code, 'rate_limited');
      assert.equal(refused.status, 429);
      const tomorrow = new Date(
        Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate()) + DAY_MS,
      );
      assert.match(refused.message, /users may send 5 messages a day/);
      assert.ok(refused.message.includes(`resets at ${tomorrow.toISOString()}`), refused.message);
      assert.deepEqual(refused.details, { limit: 5, sent: 5, resetsAt: tomorrow.toISOString() });
      assert.equal(await usedToday(under), 5, 'a refusal counts nothing');
      assert.ok(await rejection(await sender(6)), 'over');
      assert.equal(await rejection(under, new Date(Date.now() + DAY_MS)), null, 'the next UTC day starts afresh');
    });

    test('concurrent messages never get past the limit', async () => {
      await setLimits({ user: 10 });
      const actor = await sender(0);
      const outcomes = await Promise.all(Array.from({ length: 40 }, () => rejection(actor)));
      assert.equal(outcomes.filter((outcome) => outcome === null).length, 10);
      assert.equal(await usedToday(actor), 10);
    });

    test('a count given back is one message less, however often it is given back', async () => {
      await setLimits({ user: 2 });
      const actor = await sender(0);
      const first = await limit.count(actor);
      await limit.count(actor);
      assert.ok(await rejection(actor), 'both used');
      await first.giveBack();
      await first.giveBack();
      assert.equal(await usedToday(actor), 1);
      assert.equal(await rejection(actor), null, 'one may be sent again');
      assert.ok(await rejection(actor));
    });

    test('a turn is given back when it fails or starts nothing, and kept once it started', async () => {
      await setLimits({ user: 10 });
      const actor = await sender(0);
      await assert.rejects(
        limit.countTurn(actor, () => Promise.reject(new AppError('invalid_input', 'refused'))),
        { code: 'invalid_input' },
      );
      assert.equal(await usedToday(actor), 0, 'refused input');
      assert.equal(
        await limit.countTurn(
          actor,
          async () => 'retried',
          () => false,
        ),
        'retried',
      );
      assert.equal(await usedToday(actor), 0, 'a retry that started no turn');
      assert.equal(await limit.countTurn(actor, async () => 'started'), 'started');
      assert.equal(await usedToday(actor), 1, 'a started turn');
      await setLimits({ user: 1 });
      let ran = false;
      await assert.rejects(
        limit.countTurn(actor, async () => (ran = true)),
        { code: 'rate_limited' },
      );
      assert.equal(ran, false, 'over the limit, the turn does not run');
    });

    test('guests have their own limit', async () => {
      await setLimits({ guest: 2, user: 10 });
      assert.equal(await rejection(await sender(1, { isGuest: true })), null);
      const refused = await rejection(await sender(2, { isGuest: true }));
      assert.match(refused?.message ?? '', /guests may send 2 messages a day.*sign up/);
    });

    test('a change of the config applies to the very next check', async () => {
      await setLimits({ user: 3 });
      const actor = await sender(3);
      assert.ok(await rejection(actor));
      await setLimits({ user: 4 });
      assert.equal(await rejection(actor), null);
      await setLimits({ user: null });
      assert.equal(await rejection(await sender(50)), null, 'null is unlimited');
    });

    test('the limits are reused for a moment, not read for every message; a change elsewhere shows after it', async () => {
      const elsewhere = createStore(database.db); // another server process on the same database
      const read = () => store.systemConfigs.getRecent(DAILY_MESSAGE_LIMITS_KEY, 1_000);
      await setLimits({ user: 7 });
      assert.deepEqual((await read())?.value, { user: 7 });
      await elsewhere.systemConfigs.set({ actor: admin, key: DAILY_MESSAGE_LIMITS_KEY, value: { user: 8 } });
      assert.deepEqual((await read())?.value, { user: 7 }, 'read a moment ago: reused');
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      assert.deepEqual((await read())?.value, { user: 8 });
    });

    test('checks arriving together while the value is being read share that one read', async (t) => {
      await setLimits({ user: 9 });
      const reads = t.mock.method(store.systemConfigs, 'get');
      // A max age of 0: every check finds the value expired.
      const burst = await Promise.all(
        Array.from({ length: 20 }, () => store.systemConfigs.getRecent(DAILY_MESSAGE_LIMITS_KEY, 0)),
      );
      assert.equal(reads.mock.callCount(), 1);
      for (const config of burst) assert.deepEqual(config?.value, { user: 9 });
      await store.systemConfigs.getRecent(DAILY_MESSAGE_LIMITS_KEY, 0);
      assert.equal(reads.mock.callCount(), 2, 'a check after the read reads again');
    });

    test('admins are unlimited by default, their messages counted nowhere; kinds the config leaves out keep their default', async () => {
      await setLimits({ guest: 0 });
      const anAdmin = await sender(30, { role: 'admin' });
      assert.equal(await rejection(anAdmin), null);
      assert.equal(await usedToday(anAdmin), 30, 'an unlimited message costs no statement');
      assert.equal(await rejection(await sender(30)), null, 'users keep 1000');
      const guest = await sender(0, { isGuest: true });
      assert.ok(await rejection(guest), 'a zero limit refuses every message');
      assert.deepEqual(await database.db.select().from(dailyUsage).where(eq(dailyUsage.userId, guest.id)), []);
    });

    test('an invalid config value falls back to the defaults instead of refusing everyone', async (t) => {
      t.mock.method(console, 'warn', () => {});
      await setLimits({ user: 'lots' });
      assert.equal(await rejection(await sender(25)), null);
      assert.ok(await rejection(await sender(20, { isGuest: true })), 'the default guest limit of 20');
    });
  });
}
