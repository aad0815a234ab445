// User administration over HTTP (/api/admin/users): finding people with their usage this month, roles, the last
// admin, deactivation (sessions and keys stop at once), a person's own daily limit, and deletion with what becomes
// of their conversations, messages and uploads.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { createApiKey } from '../../src/auth/api-keys.ts';
import { conversations, messages } from '../../src/db/schema/index.ts';
import { seedModels } from '../../src/models/seed.ts';
import { SYSTEM_ACTOR } from '../../src/store/actor.ts';
import { readChat } from '../support/chat-stream.ts';
import { testBackends } from '../support/database.ts';
import { type Person, signUp, TEST_PASSWORD } from '../support/people.ts';
import { startTestServer, TestClient, type TestServer } from '../support/server.ts';

const PNG = Uint8Array.from({ length: 64 }, (_, index) => [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a][index] ?? 1);

for (const kind of testBackends()) {
  describe(`user administration on ${kind}`, () => {
    let server: TestServer;
    let admin: Person;
    let counter = 0;

    before(async () => {
      server = await startTestServer(kind);
      await seedModels(server.runtime.database.db);
      await server.runtime.modelCache.refresh();
      admin = await signUp(server, 'Ada Admin');
      assert.equal(admin.actor.role, 'admin');
    });
    after(() => server?.close());

    const newPerson = (name = 'Person') => signUp(server, `${name} ${++counter}`);
    const patch = (client: TestClient, id: string, body: unknown) =>
      client.request('PATCH', `/api/admin/users/${id}`, JSON.stringify(body));

    /** One chat turn with the offline model; the status, and the conversation's id. */
    async function chat(client: TestClient, text: string, conversationId: string = crypto.randomUUID()) {
      const response = await client.open(
        'POST',
        '/api/chat',
        JSON.stringify({
          id: conversationId,
          messages: [{ id: crypto.randomUUID(), role: 'user', parts: [{ type: 'text', text }] }],
          modelIds: ['local:echo'],
        }),
      );
      if (response.headers.get('content-type')?.startsWith('text/event-stream')) {
        await readChat(response.body!);
        return { status: response.status, conversationId, error: undefined };
      }
      const { error } = (await response.json()) as { error: { message: string } };
      return { status: response.status, conversationId, error };
    }

    test('admins find people by part of their name or email, with the replies they had this month', async () => {
      const zoe = await newPerson('Zoe Searchable');
      assert.equal((await chat(zoe.client, 'hello')).status, 200);
      await newPerson('Someone Else');
      const found = await admin.client.get('/api/admin/users?q=searchable');
      assert.equal(found.status, 200, JSON.stringify(found.body));
      assert.equal(found.body.total, 1);
      const [row] = found.body.users;
      assert.equal(row.id, zoe.id);
      assert.equal(row.usageThisMonth.messages, 1);
      assert.equal(row.isActive, true);
      assert.equal(row.messagesPerDay, null);
      const shown = await admin.client.get(`/api/admin/users/${zoe.id}`);
      assert.equal(shown.body.usageThisMonth.messages, 1);
      assert.equal((await admin.client.get('/api/admin/users?limit=1')).body.users.length, 1);
      assert.equal((await zoe.client.get('/api/admin/users')).status, 403);
      assert.equal((await admin.client.get(`/api/admin/users/${crypto.randomUUID()}`)).status, 404);
    });

    test('the last active admin can be neither demoted, deactivated nor deleted; with a second admin they can', async () => {
      for (const change of [{ role: 'user' }, { isActive: false }]) {
        const refused = await patch(admin.client, admin.id, change);
        assert.equal(refused.status, 409, JSON.stringify(refused.body));
        assert.match(refused.body.error.message, /last active admin/);
      }
      // At the command line (no account of its own) the rule is the same.
      await assert.rejects(
        server.runtime.userAdministration.remove(SYSTEM_ACTOR, admin.id, 'delete'),
        /last active admin/,
      );
      const second = await newPerson('Second Admin');
      assert.equal((await patch(admin.client, second.id, { role: 'admin' })).body.role, 'admin');
      assert.equal((await second.client.get('/api/admin/users')).status, 200, 'an admin at once');
      // A deactivated admin is no admin to rely on.
      assert.equal((await patch(admin.client, second.id, { isActive: false })).status, 200);
      assert.equal((await patch(admin.client, admin.id, { role: 'user' })).status, 409);
      assert.equal((await patch(admin.client, second.id, { isActive: true })).status, 200);
      second.client.cookies.clear();
      const signedIn = await second.client.post('/api/auth/sign-in/email', {
        email: second.email,
        password: TEST_PASSWORD,
      });
      assert.equal(signedIn.status, 200, 'their sessions ended with the deactivation');
      assert.equal((await patch(second.client, second.id, { role: 'user' })).status, 200, 'Ada is still an admin');
      assert.equal((await second.client.get('/api/admin/users')).status, 403, 'demoted at once');
      assert.equal((await admin.client.request('DELETE', `/api/admin/users/${admin.id}`)).status, 400);
    });

    test('deactivating someone ends their sessions and stops their API keys at once; reactivating lets them back in', async () => {
      const dora = await newPerson('Dora Deactivated');
      const { key } = await createApiKey(server.runtime.store, { actor: dora.actor, name: 'script' });
      const script = new TestClient(server.baseUrl, { bearer: key });
      assert.equal((await script.get('/api/me')).status, 200, 'the key is remembered before the change');
      assert.equal((await patch(admin.client, dora.id, { isActive: false })).body.isActive, false);
      assert.equal((await dora.client.get('/api/me')).status, 401);
      assert.equal((await script.get('/api/me')).status, 401);
      const signIn = () =>
        new TestClient(server.baseUrl).post('/api/auth/sign-in/email', { email: dora.email, password: TEST_PASSWORD });
      assert.equal((await signIn()).status, 403);
      assert.equal((await patch(admin.client, dora.id, { isActive: true })).body.isActive, true);
      assert.equal((await signIn()).status, 200);
      assert.equal((await script.get('/api/me')).status, 200);
    });

    test('a daily message limit of their own replaces the limit of their kind, and back', async () => {
      const lena = await newPerson('Lena Limited');
      assert.equal((await patch(admin.client, lena.id, { messagesPerDay: 1 })).body.messagesPerDay, 1);
      assert.equal((await chat(lena.client, 'one')).status, 200);
      const refused = await chat(lena.client, 'two');
      assert.equal(refused.status, 429);
      assert.match(refused.error!.message, /you may send 1 messages a day/);
      assert.equal((await patch(admin.client, lena.id, { messagesPerDay: null })).body.messagesPerDay, null);
      assert.equal((await chat(lena.client, 'three')).status, 200);
      assert.equal((await patch(admin.client, lena.id, { messagesPerDay: -1 })).status, 400);
      assert.equal((await patch(admin.client, lena.id, { nickname: 'x' })).status, 400);
    });

    test("deleting someone: their conversations handed over or deleted, their uploads gone, their words in others' conversations kept", async () => {
      const { db } = server.runtime.database;
      const leaving = await newPerson('Leo Leaving');
      const staying = await newPerson('Sam Staying');
      // Leo's conversation with Sam in it, Leo's conversation alone, and Sam's conversation Leo wrote in.
      const shared = await chat(leaving.client, 'ours');
      await server.runtime.store.participants.add({
        actor: leaving.actor,
        conversationId: shared.conversationId,
        userId: staying.id,
        role: 'member',
      });
      const alone = await chat(leaving.client, 'mine');
      const samsOwn = await chat(staying.client, 'theirs');
      await server.runtime.store.participants.add({
        actor: staying.actor,
        conversationId: samsOwn.conversationId,
        userId: leaving.id,
        role: 'member',
      });
      assert.equal((await chat(leaving.client, 'a word from Leo', samsOwn.conversationId)).status, 200);
      const form = new FormData();
      form.append('file', new Blob([PNG], { type: 'image/png' }), 'plan.png');
      const uploaded = await fetch(`${server.baseUrl}/api/files`, {
        method: 'POST',
        body: form,
        headers: {
          cookie: [...leaving.client.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
          origin: 'http://chorus.test',
        },
      });
      assert.equal(uploaded.status, 201, await uploaded.clone().text());
      const upload = (await uploaded.json()) as { id: string };
      const [record] = await server.runtime.store.files.listOwn({ actor: leaving.actor, ids: [upload.id] });
      assert.ok(await server.runtime.fileStorage.get(record!.storageKey));

      const deleted = await admin.client.request('DELETE', `/api/admin/users/${leaving.id}?conversations=hand-over`);
      assert.equal(deleted.status, 200, JSON.stringify(deleted.body));
      assert.deepEqual(deleted.body, { handedOver: 1, deletedConversations: 1 });
      const ownerOf = async (id: string) =>
        (await db.select({ ownerId: conversations.ownerId }).from(conversations).where(eq(conversations.id, id)))[0]
          ?.ownerId;
      assert.equal(await ownerOf(shared.conversationId), staying.id);
      assert.equal(await ownerOf(alone.conversationId), undefined);
      const sams = await staying.client.get(`/api/conversations/${shared.conversationId}`);
      assert.equal(sams.status, 200, 'Sam owns it now');
      const words = await db.select().from(messages).where(eq(messages.conversationId, samsOwn.conversationId));
      const leosWords = words.find((message) => message.content === 'a word from Leo');
      assert.ok(leosWords, "kept in Sam's conversation");
      assert.equal(leosWords.senderId, null, 'from a deleted user');
      assert.equal(await server.runtime.fileStorage.get(record!.storageKey), null, "the upload's bytes are gone");
      assert.equal((await leaving.client.get('/api/me')).status, 401);
      assert.equal((await admin.client.get(`/api/admin/users/${leaving.id}`)).status, 404);
    });
  });
}
