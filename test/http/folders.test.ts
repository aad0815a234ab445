// Keeping conversations in order over real HTTP: pinned ones first, archived ones out of the list (still found by
// search, and restorable), folders a person names and files conversations into. Each person's order is their own.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { testBackends } from '../support/database.ts';
import { type Person, signUp } from '../support/people.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

type Listed = { id: string; title: string; pinned: boolean; archived: boolean; folderId: string | null };

for (const kind of testBackends()) {
  describe(`pinned, archived and foldered conversations on ${kind}`, () => {
    let server: TestServer;
    let ann: Person;
    let bob: Person;
    /** Ann's conversations, oldest first: a0 … a4. */
    const ids: string[] = [];

    before(async () => {
      server = await startTestServer(kind);
      ann = await signUp(server, 'Ann');
      bob = await signUp(server, 'Bob');
      for (let index = 0; index < 5; index++) {
        const { id } = await server.runtime.store.conversations.create({ actor: ann.actor, title: `a${index}` });
        // Activity in creation order, so the list reads a4 … a0.
        await server.runtime.store.messages.save({
          actor: ann.actor,
          conversationId: id,
          messages: [{ role: 'user', content: `note ${index}`, parts: [{ type: 'text', text: `note ${index}` }] }],
        });
        ids.push(id);
      }
      await server.runtime.store.participants.add({
        actor: ann.actor,
        conversationId: ids[0]!,
        userId: bob.id,
        role: 'member',
      });
    });
    after(() => server?.close());

    const titles = (items: Listed[]) => items.map((item) => item.title);
    const list = async (person: Person, query = '') => {
      const response = await person.client.get(`/api/conversations${query}`);
      assert.equal(response.status, 200, JSON.stringify(response.body));
      return response.body as { items: Listed[]; nextCursor: string | null };
    };
    const place = (person: Person, id: string, changes: object) =>
      person.client.request('PATCH', `/api/conversations/${id}/placement`, JSON.stringify(changes));

    test('a pinned conversation heads the first page and is not repeated on the next', async () => {
      const pinned = await place(ann, ids[1]!, { pinned: true });
      assert.equal(pinned.status, 200, JSON.stringify(pinned.body));
      assert.deepEqual(pinned.body, { conversationId: ids[1], pinned: true, archived: false, folderId: null });
      const first = await list(ann, '?limit=2');
      assert.deepEqual(titles(first.items), ['a1', 'a4', 'a3']);
      assert.equal(first.items[0]!.pinned, true);
      const second = await list(ann, `?limit=2&cursor=${first.nextCursor}`);
      assert.deepEqual(titles(second.items), ['a2', 'a0']);
      assert.equal(second.nextCursor, null);
      // Bob's list of the one he shares with Ann is his own: Ann's pin of another changes nothing for him.
      await place(ann, ids[0]!, { pinned: true });
      assert.deepEqual(
        (await list(bob)).items.map((item) => [item.title, item.pinned]),
        [['a0', false]],
      );
      await place(ann, ids[0]!, { pinned: false });
      await place(ann, ids[1]!, { pinned: false });
      assert.deepEqual(titles((await list(ann)).items), ['a4', 'a3', 'a2', 'a1', 'a0']);
    });

    test('an archived conversation leaves the list, is listed among the archived, is still found, and comes back', async () => {
      assert.equal((await place(ann, ids[3]!, { archived: true })).status, 200);
      assert.deepEqual(titles((await list(ann)).items), ['a4', 'a2', 'a1', 'a0']);
      const archived = await list(ann, '?archived=true');
      assert.deepEqual(
        archived.items.map((item) => [item.title, item.archived]),
        [['a3', true]],
      );
      const found = await ann.client.get('/api/search?q=note');
      assert.ok(found.body.items.some((hit: { conversationId: string }) => hit.conversationId === ids[3]));
      assert.equal((await place(ann, ids[3]!, { archived: false })).status, 200);
      assert.deepEqual(titles((await list(ann)).items), ['a4', 'a3', 'a2', 'a1', 'a0']);
      assert.deepEqual((await list(ann, '?archived=true')).items, []);
    });

    test('folders: named, filled, listed, renamed, and deleted with their conversations back in the list', async () => {
      const created = await ann.client.post('/api/folders', { name: '  Work ' });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const work = created.body as { id: string; name: string };
      assert.equal(work.name, 'Work');
      assert.equal((await ann.client.post('/api/folders', { name: 'Work' })).status, 409);
      assert.equal((await ann.client.post('/api/folders', { name: '' })).status, 400);

      // A pinned conversation filed in a folder leaves the main list too.
      await place(ann, ids[2]!, { pinned: true });
      for (const id of [ids[2]!, ids[4]!]) assert.equal((await place(ann, id, { folderId: work.id })).status, 200);
      assert.deepEqual(titles((await list(ann)).items), ['a3', 'a1', 'a0']);
      const inWork = await list(ann, `?folderId=${work.id}`);
      assert.deepEqual(
        inWork.items.map((item) => [item.title, item.folderId]),
        [
          ['a4', work.id],
          ['a2', work.id],
        ],
      );

      const renamed = await ann.client.request('PATCH', `/api/folders/${work.id}`, JSON.stringify({ name: 'Job' }));
      assert.equal(renamed.status, 200);
      assert.deepEqual(
        (await ann.client.get('/api/folders')).body.items.map((folder: { name: string }) => folder.name),
        ['Job'],
      );

      // Out of a folder by null; the folder itself goes with DELETE, its conversations back to the list.
      assert.equal((await place(ann, ids[4]!, { folderId: null })).status, 200);
      await place(ann, ids[2]!, { pinned: false });
      assert.equal((await ann.client.request('DELETE', `/api/folders/${work.id}`)).status, 204);
      assert.deepEqual(titles((await list(ann)).items), ['a4', 'a3', 'a2', 'a1', 'a0']);
      assert.equal((await ann.client.request('DELETE', `/api/folders/${work.id}`)).status, 404);
    });

    test("another person's folder and a conversation one is not in are not found; nothing changes", async () => {
      const annsFolder = (await ann.client.post('/api/folders', { name: 'Private' })).body as { id: string };
      assert.deepEqual((await bob.client.get('/api/folders')).body.items, []);
      const intoAnns = await place(bob, ids[0]!, { folderId: annsFolder.id });
      assert.equal(intoAnns.status, 404);
      assert.match(intoAnns.body.error.message, /folder/);
      assert.equal((await place(bob, ids[1]!, { pinned: true })).status, 404);
      assert.equal(
        (await bob.client.request('PATCH', `/api/folders/${annsFolder.id}`, JSON.stringify({ name: 'Mine' }))).status,
        404,
      );
      assert.equal((await bob.client.request('DELETE', `/api/folders/${annsFolder.id}`)).status, 404);
      assert.equal((await place(ann, ids[0]!, {})).status, 400);
      assert.deepEqual(
        (await list(ann)).items.map((item) => item.folderId),
        [null, null, null, null, null],
      );
    });
  });
}
