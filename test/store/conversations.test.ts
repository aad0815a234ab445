import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { actorOf, createStore, type Store } from '../../src/store/index.ts';
import { openTestDatabase, type TestDatabase, testBackends } from '../support/database.ts';

for (const kind of testBackends()) {
  describe(`conversation store on ${kind}`, () => {
    let database: TestDatabase;
    let store: Store;
    before(async () => {
      database = await openTestDatabase(kind);
      store = createStore(database.db);
    });
    after(() => database.close());

    const newUser = async () => {
      const user = await store.users.create({ displayName: 'Someone' });
      return actorOf(user);
    };

    test('the owner reads a new conversation and is its first participant', async () => {
      const owner = await newUser();
      const created = await store.conversations.create({ actor: owner, title: 'Hello' });
      const read = await store.conversations.get({ actor: owner, id: created.id });
      assert.equal(read.title, 'Hello');
      assert.equal(read.ownerId, owner.id);
      assert.equal(read.visibility, 'private');
    });

    test('another user gets not-found for a private conversation, and may read it once public', async () => {
      const owner = await newUser();
      const stranger = await newUser();
      const created = await store.conversations.create({ actor: owner, title: 'Secret' });
      await assert.rejects(store.conversations.get({ actor: stranger, id: created.id }), { code: 'not_found' });
      await store.conversations.update({ actor: owner, id: created.id, changes: { visibility: 'public' } });
      const read = await store.conversations.get({ actor: stranger, id: created.id });
      assert.equal(read.title, 'Secret');
      await assert.rejects(store.conversations.get({ actor: stranger, id: created.id, level: 'write' }), {
        code: 'not_found',
      });
      await assert.rejects(
        store.conversations.update({ actor: stranger, id: created.id, changes: { title: 'Mine now' } }),
        { code: 'not_found' },
      );
    });

    test('only the owner deletes', async () => {
      const owner = await newUser();
      const stranger = await newUser();
      const created = await store.conversations.create({ actor: owner });
      await assert.rejects(store.conversations.delete({ actor: stranger, id: created.id }), { code: 'not_found' });
      await store.conversations.delete({ actor: owner, id: created.id });
      await assert.rejects(store.conversations.get({ actor: owner, id: created.id }), { code: 'not_found' });
    });

    test('a user lists their conversations newest activity first, page by page, without gaps or repeats', async () => {
      const owner = await newUser();
      const other = await newUser();
      await store.conversations.create({ actor: other, title: 'not mine' });
      const ids: string[] = [];
      for (let index = 0; index < 7; index++) {
        const conversation = await store.conversations.create({ actor: owner, title: `c${index}` });
        ids.push(conversation.id);
      }
      // Activity moves the oldest to the top.
      await store.messages.save({
        actor: owner,
        conversationId: ids[0]!,
        messages: [{ role: 'user', content: 'later', createdAt: new Date(Date.now() + 60_000) }],
      });
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await store.conversations.listForUser({ actor: owner, limit: 3, cursor });
        assert.ok(page.items.length <= 3);
        seen.push(...page.items.map((conversation) => conversation.id));
        cursor = page.nextCursor;
      } while (cursor);
      assert.deepEqual(seen, [ids[0], ...ids.slice(1).reverse()]);
    });

    test("each listed conversation carries the member's role in it", async () => {
      const owner = await newUser();
      const member = await newUser();
      const created = await store.conversations.create({ actor: owner, title: 'Group' });
      await store.participants.add({ actor: owner, conversationId: created.id, userId: member.id });
      assert.equal((await store.conversations.listForUser({ actor: owner })).items[0]!.role, 'owner');
      assert.equal((await store.conversations.listForUser({ actor: member })).items[0]!.role, 'member');
    });

    test('parameter changes merge into the stored ones; null removes one', async () => {
      const owner = await newUser();
      const created = await store.conversations.create({ actor: owner, parameters: { temperature: 0.5, topP: 0.9 } });
      const changed = await store.conversations.update({
        actor: owner,
        id: created.id,
        changes: { title: 'Tuned' },
        parameterChanges: { systemPrompt: 'Be brief.', topP: null },
      });
      assert.equal(changed.title, 'Tuned');
      assert.deepEqual(changed.parameters, { temperature: 0.5, systemPrompt: 'Be brief.' });
    });

    test('admins change a conversation, but only the owner changes who may see it', async () => {
      const owner = await newUser();
      const admin = await newUser();
      const created = await store.conversations.create({ actor: owner, title: 'Group' });
      await store.participants.add({ actor: owner, conversationId: created.id, userId: admin.id, role: 'admin' });
      const renamed = await store.conversations.update({ actor: admin, id: created.id, changes: { title: 'Renamed' } });
      assert.equal(renamed.title, 'Renamed');
      await assert.rejects(
        store.conversations.update({ actor: admin, id: created.id, changes: { visibility: 'public' } }),
        { code: 'not_found' },
      );
      const published = await store.conversations.update({
        actor: owner,
        id: created.id,
        changes: { visibility: 'public' },
      });
      assert.equal(published.visibility, 'public');
    });

    test('a malformed cursor is invalid input', async () => {
      const owner = await newUser();
      await assert.rejects(store.conversations.listForUser({ actor: owner, cursor: 'garbage' }), {
        code: 'invalid_input',
      });
    });
  });
}
