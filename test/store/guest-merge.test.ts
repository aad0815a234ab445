import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { conversations, dailyUsage, users } from '../../src/db/schema/index.ts';
import { actorOf, createStore, type Store } from '../../src/store/index.ts';
import { openTestDatabase, type TestDatabase, testBackends } from '../support/database.ts';

for (const kind of testBackends()) {
  describe(`moving a guest's data to an account on ${kind}`, () => {
    let database: TestDatabase;
    let store: Store;
    before(async () => {
      database = await openTestDatabase(kind);
      store = createStore(database.db);
    });
    after(() => database.close());

    const guestWithAChat = async () => {
      const guest = actorOf(await store.users.createGuest());
      const conversation = await store.conversations.create({ actor: guest, title: 'As a guest' });
      await database.db.insert(dailyUsage).values({ userId: guest.id, day: '2026-01-02', messages: 3 });
      return { guest, conversation };
    };

    test('two merges of one guest at once: one moves everything, the other finds nothing to do', async () => {
      const { guest, conversation } = await guestWithAChat();
      const account = await store.users.create({ displayName: 'Account' });
      await database.db.insert(dailyUsage).values({ userId: account.id, day: '2026-01-02', messages: 4 });
      const outcomes = await Promise.all([
        store.guestMerge.mergeIntoAccount({ guestId: guest.id, accountId: account.id }),
        store.guestMerge.mergeIntoAccount({ guestId: guest.id, accountId: account.id }),
      ]);
      assert.deepEqual(outcomes.sort(), [false, true]);
      const [moved] = await database.db.select().from(conversations).where(eq(conversations.id, conversation.id));
      assert.equal(moved?.ownerId, account.id);
      assert.deepEqual(await database.db.select().from(users).where(eq(users.id, guest.id)), []);
      const [usage] = await database.db.select().from(dailyUsage).where(eq(dailyUsage.userId, account.id));
      assert.equal(usage?.messages, 7, 'the guest’s day adds to the account’s');
    });

    test('nothing moves into another guest, and an account is never merged away', async () => {
      const { guest, conversation } = await guestWithAChat();
      const otherGuest = await store.users.createGuest();
      const account = await store.users.create({ displayName: 'Account' });
      assert.equal(await store.guestMerge.mergeIntoAccount({ guestId: guest.id, accountId: otherGuest.id }), false);
      assert.equal(await store.guestMerge.mergeIntoAccount({ guestId: account.id, accountId: otherGuest.id }), false);
      const [kept] = await database.db.select().from(conversations).where(eq(conversations.id, conversation.id));
      assert.equal(kept?.ownerId, guest.id);
    });
  });
}
