// With CHORUS_ENCRYPTION_KEY set, a conversation's title (taken from its first message) is stored only encrypted,
// and every route that shows it shows it in the clear: the list, one conversation, a rename, an accepted invite,
// a conversation made by the OpenAI-compatible API.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { conversations } from '../../src/db/schema/index.ts';
import { seedModels } from '../../src/models/seed.ts';
import { readChat } from '../support/chat-stream.ts';
import { testBackends } from '../support/database.ts';
import { type Person, signUp } from '../support/people.ts';
import { startTestServer, TestClient, type TestServer } from '../support/server.ts';

for (const kind of testBackends()) {
  describe(`conversation titles with encryption at rest on ${kind}`, () => {
    let server: TestServer;
    let ann: Person;
    let bob: Person;

    before(async () => {
      server = await startTestServer(kind, { CHORUS_ENCRYPTION_KEY: randomBytes(32).toString('base64') });
      await seedModels(server.runtime.database.db);
      await server.runtime.modelCache.refresh();
      ann = await signUp(server, 'Ann');
      bob = await signUp(server, 'Bob');
    });
    after(() => server?.close());

    const storedRow = async (id: string) =>
      (await server.runtime.database.db.select().from(conversations).where(eq(conversations.id, id)))[0]!;

    test('a new chat is titled from its first message, stored sealed, and shown in the clear everywhere', async () => {
      const id = crypto.randomUUID();
      const response = await ann.client.open(
        'POST',
        '/api/chat',
        JSON.stringify({
          id,
          modelIds: ['local:echo'],
          messages: [
            { id: crypto.randomUUID(), role: 'user', parts: [{ type: 'text', text: 'Our secret launch plan' }] },
          ],
        }),
      );
      assert.equal(response.status, 200);
      await readChat(response.body!);
      const row = await storedRow(id);
      assert.equal(row.title, null);
      assert.ok(row.encryptedTitle && row.titleKeyId);

      const listed = await ann.client.get('/api/conversations');
      assert.equal(listed.body.items.find((item: { id: string }) => item.id === id).title, 'Our secret launch plan');
      assert.equal((await ann.client.get(`/api/conversations/${id}`)).body.title, 'Our secret launch plan');

      const renamed = await ann.client.request(
        'PATCH',
        `/api/conversations/${id}`,
        JSON.stringify({ title: 'Renamed plan' }),
      );
      assert.equal(renamed.status, 200);
      assert.equal(renamed.body.title, 'Renamed plan');
      assert.equal((await storedRow(id)).title, null);

      const invite = await ann.client.post(`/api/conversations/${id}/invites`);
      const accepted = await bob.client.post(`/api/invites/${invite.body.token}/accept`);
      assert.equal(accepted.status, 200);
      assert.equal(accepted.body.conversation.title, 'Renamed plan');
    });

    test('a conversation made by the OpenAI-compatible API is titled the same way', async () => {
      const key = await ann.client.post('/api/keys', { name: 'titles' });
      const completion = await new TestClient(server.baseUrl, { bearer: key.body.key }).post('/v1/chat/completions', {
        model: 'local:echo',
        messages: [{ role: 'user', content: 'A question from a script' }],
      });
      assert.equal(completion.status, 200, JSON.stringify(completion.body));
      const id = completion.headers.get('x-chorus-conversation-id')!;
      assert.equal((await storedRow(id)).title, null);
      assert.equal((await ann.client.get(`/api/conversations/${id}`)).body.title, 'A question from a script');
    });
  });
}
