import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { suggestions } from '../../src/db/schema/index.ts';
import { type Actor, actorOf, createStore, type Store } from '../../src/store/index.ts';
import { openTestDatabase, type TestDatabase, testBackends } from '../support/database.ts';

for (const kind of testBackends()) {
  describe(`document store on ${kind}`, () => {
    let database: TestDatabase;
    let store: Store;
    before(async () => {
      database = await openTestDatabase(kind);
      store = createStore(database.db);
    });
    after(() => database.close());

    const newUser = async (): Promise<Actor> => {
      const user = await store.users.create({ displayName: 'Writer' });
      return actorOf(user);
    };
    /** A document with `count` versions saved back to back (often within one millisecond). */
    const saveVersions = async (actor: Actor, count: number) => {
      const first = await store.documents.save({ actor, title: 'Essay', content: 'v1', kind: 'text' });
      const versions = [first];
      for (let index = 2; index <= count; index++) {
        versions.push(await store.documents.save({ actor, id: first.id, title: 'Essay', content: `v${index}` }));
      }
      return versions;
    };
    const suggestion = (text: string) => ({
      originalText: text,
      suggestedText: text.toUpperCase(),
      description: 'louder',
    });

    test('each save is a new version, even within one millisecond; versions list oldest first', async () => {
      const owner = await newUser();
      const saved = await saveVersions(owner, 5);
      assert.equal(new Set(saved.map((version) => version.id)).size, 1);
      const versions = await store.documents.listVersions({ actor: owner, id: saved[0]!.id });
      assert.deepEqual(
        versions.map((version) => version.content),
        ['v1', 'v2', 'v3', 'v4', 'v5'],
      );
      for (let index = 1; index < versions.length; index++) {
        assert.ok(versions[index]!.createdAt > versions[index - 1]!.createdAt);
      }
      const latest = await store.documents.getLatest({ actor: owner, id: saved[0]!.id });
      assert.equal(latest.content, 'v5');
      assert.equal(latest.kind, 'text');
    });

    test('another user gets not-found for a document, and cannot add a version to it', async () => {
      const owner = await newUser();
      const stranger = await newUser();
      const [first] = await saveVersions(owner, 1);
      const id = first!.id;
      await assert.rejects(store.documents.getLatest({ actor: stranger, id }), { code: 'not_found' });
      await assert.rejects(store.documents.listVersions({ actor: stranger, id }), { code: 'not_found' });
      await assert.rejects(store.documents.save({ actor: stranger, id, title: 'Mine' }), { code: 'not_found' });
      await assert.rejects(store.documents.deleteVersionsAfter({ actor: stranger, id, after: new Date(0) }), {
        code: 'not_found',
      });
      assert.equal((await store.documents.listVersions({ actor: owner, id })).length, 1);
    });

    test('a document saved in a conversation needs write access to it', async () => {
      const owner = await newUser();
      const stranger = await newUser();
      const conversation = await store.conversations.create({ actor: owner, visibility: 'public' });
      const saved = await store.documents.save({ actor: owner, title: 'Notes', conversationId: conversation.id });
      assert.equal(saved.conversationId, conversation.id);
      await assert.rejects(
        store.documents.save({ actor: stranger, title: 'Graffiti', conversationId: conversation.id }),
        { code: 'not_found' },
      );
    });

    test('deleting versions after a time returns them and keeps the earlier ones', async () => {
      const owner = await newUser();
      const saved = await saveVersions(owner, 4);
      const id = saved[0]!.id;
      const deleted = await store.documents.deleteVersionsAfter({ actor: owner, id, after: saved[1]!.createdAt });
      assert.deepEqual(
        deleted.map((version) => version.content),
        ['v3', 'v4'],
      );
      assert.equal((await store.documents.getLatest({ actor: owner, id })).content, 'v2');
      assert.deepEqual(await store.documents.deleteVersionsAfter({ actor: owner, id, after: saved[1]!.createdAt }), []);
    });

    test('suggestions are saved as a batch on one version and listed for that version only', async () => {
      const owner = await newUser();
      const [v1, v2] = await saveVersions(owner, 2);
      const onV1 = { actor: owner, documentId: v1!.id, documentCreatedAt: v1!.createdAt };
      const onV2 = { actor: owner, documentId: v2!.id, documentCreatedAt: v2!.createdAt };
      const saved = await store.documents.saveSuggestions({
        ...onV1,
        suggestions: [suggestion('one'), suggestion('two')],
      });
      assert.equal(saved.length, 2);
      assert.ok(saved.every((row) => row.userId === owner.id && !row.isResolved && row.accepted === null));
      assert.deepEqual(
        (await store.documents.listSuggestions(onV1)).map((row) => row.suggestedText),
        ['ONE', 'TWO'],
      );
      assert.deepEqual(await store.documents.listSuggestions(onV2), []);
      assert.deepEqual(await store.documents.saveSuggestions({ ...onV2, suggestions: [] }), []);
    });

    test('suggestions on an unknown version, or on someone else’s document, are not found and nothing is saved', async () => {
      const owner = await newUser();
      const stranger = await newUser();
      const [v1] = await saveVersions(owner, 1);
      const wrongTime = { actor: owner, documentId: v1!.id, documentCreatedAt: new Date(v1!.createdAt.getTime() + 1) };
      await assert.rejects(store.documents.saveSuggestions({ ...wrongTime, suggestions: [suggestion('x')] }), {
        code: 'not_found',
      });
      const asStranger = { actor: stranger, documentId: v1!.id, documentCreatedAt: v1!.createdAt };
      await assert.rejects(store.documents.saveSuggestions({ ...asStranger, suggestions: [suggestion('x')] }), {
        code: 'not_found',
      });
      await assert.rejects(store.documents.listSuggestions(asStranger), { code: 'not_found' });
      const rows = await database.db.select().from(suggestions).where(eq(suggestions.documentId, v1!.id));
      assert.equal(rows.length, 0);
    });

    test('deleting a version deletes its suggestions with it', async () => {
      const owner = await newUser();
      const [v1, v2] = await saveVersions(owner, 2);
      await store.documents.saveSuggestions({
        actor: owner,
        documentId: v1!.id,
        documentCreatedAt: v1!.createdAt,
        suggestions: [suggestion('keep')],
      });
      await store.documents.saveSuggestions({
        actor: owner,
        documentId: v2!.id,
        documentCreatedAt: v2!.createdAt,
        suggestions: [suggestion('drop'), suggestion('drop too')],
      });
      await store.documents.deleteVersionsAfter({ actor: owner, id: v1!.id, after: v1!.createdAt });
      const left = await database.db.select().from(suggestions).where(eq(suggestions.documentId, v1!.id));
      assert.deepEqual(
        left.map((row) => row.originalText),
        ['keep'],
      );
    });

    test('a suggestion is resolved once, accepted or rejected, and only by the document’s owner', async () => {
      const owner = await newUser();
      const stranger = await newUser();
      const [v1] = await saveVersions(owner, 1);
      const [first, second] = await store.documents.saveSuggestions({
        actor: owner,
        documentId: v1!.id,
        documentCreatedAt: v1!.createdAt,
        suggestions: [suggestion('a'), suggestion('b')],
      });
      await assert.rejects(store.documents.resolveSuggestion({ actor: stranger, id: first!.id, accepted: true }), {
        code: 'not_found',
      });
      const accepted = await store.documents.resolveSuggestion({ actor: owner, id: first!.id, accepted: true });
      assert.deepEqual([accepted.isResolved, accepted.accepted], [true, true]);
      assert.ok(accepted.resolvedAt instanceof Date);
      const rejected = await store.documents.resolveSuggestion({ actor: owner, id: second!.id, accepted: false });
      assert.deepEqual([rejected.isResolved, rejected.accepted], [true, false]);
      await assert.rejects(store.documents.resolveSuggestion({ actor: owner, id: first!.id, accepted: false }), {
        code: 'conflict',
      });
      await assert.rejects(
        store.documents.resolveSuggestion({ actor: owner, id: '00000000-0000-4000-8000-000000000000', accepted: true }),
        { code: 'not_found' },
      );
    });
  });
}
