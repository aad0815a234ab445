// The conversations API and votes over real HTTP: listing, reading, changing and deleting conversations, their
// messages page by page after real chat turns with the offline model, and votes on replies.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { messages, models } from '../../src/db/schema/index.ts';
import { seedModels } from '../../src/models/seed.ts';
import { actorOf } from '../../src/store/index.ts';
import { readChat } from '../support/chat-stream.ts';
import { testBackends } from '../support/database.ts';
import { startTestServer, TestClient, type TestServer } from '../support/server.ts';

process.env.AI_SDK_LOG_WARNINGS = 'false';

const PASSWORD = 'a long enough password';

type Person = { id: string; client: TestClient; apiKey: string };

for (const kind of testBackends()) {
  describe(`conversations API on ${kind}`, () => {
    let server: TestServer;
    let owner: Person;
    let other: Person;
    let anonymous: TestClient;

    before(async () => {
      server = await startTestServer(kind);
      const db = server.runtime.database.db;
      await seedModels(db);
      // Priced, so a reply has a cost to show.
      await db
        .update(models)
        .set({ pricing: { input: 2, output: 8 } })
        .where(eq(models.id, 'local:echo'));
      await server.runtime.modelCache.refresh();
      owner = await signUp('owner');
      other = await signUp('other');
      anonymous = new TestClient(server.baseUrl);
    });
    after(() => server?.close());

    const signUp = async (name: string): Promise<Person> => {
      const client = new TestClient(server.baseUrl);
      const email = `${name}-${kind}@example.test`;
      const response = await client.post('/api/auth/sign-up/email', { email, password: PASSWORD, name });
      assert.equal(response.status, 200, JSON.stringify(response.body));
      const key = await client.post('/api/keys', { name: 'tests' });
      assert.equal(key.status, 201, JSON.stringify(key.body));
      return { id: response.body.user.id, client, apiKey: key.body.key };
    };

    /** One chat turn with the offline model, read to its end; returns the conversation id. */
    const chat = async (person: Person, text: string, conversationId: string = crypto.randomUUID()) => {
      const response = await fetch(`${server.baseUrl}/api/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${person.apiKey}` },
        body: JSON.stringify({
          id: conversationId,
          messages: [{ id: crypto.randomUUID(), role: 'user', parts: [{ type: 'text', text }] }],
          modelIds: ['local:echo'],
        }),
      });
      assert.equal(response.status, 200, await response.clone().text());
      await readChat(response.body!);
      return conversationId;
    };

    const patch = (person: Person, id: string, body: unknown) =>
      person.client.request('PATCH', `/api/conversations/${id}`, JSON.stringify(body));
    const put = (person: Person, path: string, body: unknown) =>
      person.client.request('PUT', path, JSON.stringify(body));

    /** A conversation with a question and the offline model's answer, newest first as the API pages them. */
    const answeredConversation = async (person: Person) => {
      const id = await chat(person, 'what do you say?');
      const page = await person.client.get(`/api/conversations/${id}/messages`);
      assert.equal(page.status, 200, JSON.stringify(page.body));
      const [answer, question] = page.body.items;
      return { id, answer, question };
    };

    test('anonymous callers are asked to sign in on every route', async () => {
      const id = crypto.randomUUID();
      const messageId = crypto.randomUUID();
      const calls = [
        anonymous.get('/api/conversations'),
        anonymous.get(`/api/conversations/${id}`),
        anonymous.request('PATCH', `/api/conversations/${id}`, JSON.stringify({ title: 'x' })),
        anonymous.delete(`/api/conversations/${id}`),
        anonymous.get(`/api/conversations/${id}/messages`),
        anonymous.get(`/api/conversations/${id}/votes`),
        anonymous.request(
          'PUT',
          `/api/conversations/${id}/messages/${messageId}/vote`,
          JSON.stringify({ value: 'up' }),
        ),
        anonymous.delete(`/api/conversations/${id}/messages/${messageId}/vote`),
      ];
      for (const response of await Promise.all(calls)) {
        assert.equal(response.status, 401);
        assert.equal(response.body.error.code, 'unauthorized');
      }
    });

    test('the list pages through every conversation of the caller, newest activity first, no duplicates or gaps', async () => {
      const lister = await signUp('lister');
      const actor = actorOf(await server.runtime.store.users.getById(lister.id));
      const store = server.runtime.store;
      const created = [];
      for (let index = 0; index < 7; index++) {
        created.push(await store.conversations.create({ actor, title: `Chat ${index}` }));
      }
      // Three share one activity time: the page boundary falls among equal timestamps.
      const tie = new Date(Date.now() + 60_000);
      for (const conversation of created.slice(2, 5)) {
        await store.messages.save({
          actor,
          conversationId: conversation.id,
          messages: [{ role: 'user', content: 'later', createdAt: tie }],
        });
      }
      await store.conversations.create({ actor: actorOf(await store.users.getById(other.id)), title: 'not yours' });

      const seen: {
        id: string;
        lastMessageAt: string;
        role: string;
        pinned: boolean;
        archived: boolean;
        folderId: string | null;
      }[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: string = cursor ? `?limit=3&cursor=${cursor}` : '?limit=3';
        const page = await lister.client.get(`/api/conversations${query}`);
        assert.equal(page.status, 200, JSON.stringify(page.body));
        assert.ok(page.body.items.length <= 3);
        seen.push(...page.body.items);
        cursor = page.body.nextCursor;
        pages++;
      } while (cursor);
      assert.equal(pages, 3);
      const ids = seen.map((item) => item.id);
      assert.equal(new Set(ids).size, ids.length, 'no duplicates');
      assert.deepEqual([...ids].sort(), created.map((conversation) => conversation.id).sort(), 'no gaps, only mine');
      const expected = [...seen].sort(
        (a, b) => b.lastMessageAt.localeCompare(a.lastMessageAt) || b.id.localeCompare(a.id),
      );
      assert.deepEqual(
        ids,
        expected.map((item) => item.id),
        'newest activity first, ties by id',
      );
      assert.deepEqual(
        ids.slice(0, 3).sort(),
        created
          .slice(2, 5)
          .map((conversation) => conversation.id)
          .sort(),
      );

      const first = seen[0]!;
      assert.deepEqual(Object.keys(first).sort(), [
        'archived',
        'createdAt',
        'folderId',
        'id',
        'lastMessageAt',
        'origin',
        'pinned',
        'role',
        'title',
        'updatedAt',
        'visibility',
      ]);
      assert.equal(first.role, 'owner');
      assert.deepEqual([first.pinned, first.archived, first.folderId], [false, false, null]);
    });

    test('a chat turn shows in the messages page with its model, usage, cost and status', async () => {
      const { id, answer, question } = await answeredConversation(owner);
      assert.equal(question.role, 'user');
      assert.equal(question.senderId, owner.id);
      assert.equal(question.content, 'what do you say?');
      assert.equal(question.modelId, null);
      assert.equal(question.model, null);

      assert.equal(answer.role, 'assistant');
      assert.equal(answer.conversationId, id);
      assert.equal(answer.parentId, question.id);
      assert.equal(answer.senderId, null);
      assert.equal(answer.modelId, 'local:echo');
      assert.equal(typeof answer.model.name, 'string');
      assert.equal(answer.status, 'complete');
      assert.equal(answer.error, null);
      assert.match(answer.content, /what do you say\?/);
      assert.ok(answer.parts.some((part: { type: string }) => part.type === 'text'));
      const { inputTokens, outputTokens } = answer.usage;
      assert.ok(inputTokens > 0 && outputTokens > 0, JSON.stringify(answer.usage));
      assert.equal(answer.costUsd, (inputTokens * 2 + outputTokens * 8) / 1_000_000);
      assert.ok(answer.latencyMs >= 0);
      assert.equal(answer.hasWebSearch, false);
      assert.equal(answer.webSearchContextSize, null);
      assert.equal(answer.myVote, null);
      assert.ok(!Number.isNaN(Date.parse(answer.createdAt)));

      const listed = await owner.client.get('/api/conversations');
      const item = listed.body.items.find((conversation: { id: string }) => conversation.id === id);
      assert.equal(item.title, 'what do you say?');
      assert.equal(item.origin, 'web');
      assert.equal(item.lastMessageAt, answer.createdAt, 'the newest message is the last activity');
    });

    test('a retired model still names its old replies', async () => {
      const { id } = await answeredConversation(owner);
      const db = server.runtime.database.db;
      const [echo] = await db.select().from(models).where(eq(models.id, 'local:echo'));
      await db.update(models).set({ status: 'deprecated' }).where(eq(models.id, 'local:echo'));
      await server.runtime.modelCache.refresh();
      try {
        const page = await owner.client.get(`/api/conversations/${id}/messages`);
        assert.equal(page.body.items[0].model.name, echo!.name);
        assert.equal(page.body.items[0].model.displayName, echo!.displayName);
        assert.equal(page.body.items[0].model.avatar, echo!.avatar);
      } finally {
        await db.update(models).set({ status: echo!.status }).where(eq(models.id, 'local:echo'));
        await server.runtime.modelCache.refresh();
      }
    });

    test('messages page back in time with `before`, with no duplicates or gaps', async () => {
      const id = await chat(owner, 'one');
      await chat(owner, 'two', id);
      await chat(owner, 'three', id);
      const seen: { id: string; createdAt: string }[] = [];
      let before: string | null = null;
      do {
        const query: string = before ? `?limit=4&before=${before}` : '?limit=4';
        const page = await owner.client.get(`/api/conversations/${id}/messages${query}`);
        assert.equal(page.status, 200, JSON.stringify(page.body));
        seen.push(...page.body.items);
        before = page.body.nextCursor;
      } while (before);
      assert.equal(seen.length, 6);
      assert.equal(new Set(seen.map((message) => message.id)).size, 6);
      const contents = seen.map((message: any) => message.content);
      assert.deepEqual([contents[5], contents[3], contents[1]], ['one', 'two', 'three'], 'newest first');
      const stored = await server.runtime.database.db
        .select({ id: messages.id })
        .from(messages)
        .where(eq(messages.conversationId, id));
      assert.deepEqual(seen.map((message) => message.id).sort(), stored.map((row) => row.id).sort());
    });

    test('one conversation comes with its models, its people and your role', async () => {
      const { id } = await answeredConversation(owner);
      // A conversation started by a chat keeps the model that answered its first message.
      const response = await owner.client.get(`/api/conversations/${id}`);
      assert.equal(response.status, 200, JSON.stringify(response.body));
      const conversation = response.body;
      assert.equal(conversation.id, id);
      assert.equal(conversation.ownerId, owner.id);
      assert.equal(conversation.role, 'owner');
      assert.equal(conversation.visibility, 'private');
      assert.deepEqual(conversation.parameters, {});
      assert.deepEqual(
        conversation.models.map((model: { modelId: string; position: number }) => [model.modelId, model.position]),
        [['local:echo', 0]],
      );
      assert.equal(typeof conversation.models[0].name, 'string');
      assert.equal(conversation.participants.length, 1);
      assert.equal(conversation.participants[0].userId, owner.id);
      assert.equal(conversation.participants[0].role, 'owner');
      assert.equal(conversation.participants[0].displayName, 'owner');
    });

    test('PATCH changes only what it is sent; parameters merge, and null removes one', async () => {
      const { id } = await answeredConversation(owner);
      const renamed = await patch(owner, id, { title: '  A better title  ' });
      assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
      assert.equal(renamed.body.title, 'A better title');
      assert.equal(renamed.body.visibility, 'private');

      const tuned = await patch(owner, id, { parameters: { systemPrompt: 'Be brief.', temperature: 0.3 } });
      assert.equal(tuned.status, 200, JSON.stringify(tuned.body));
      assert.deepEqual(tuned.body.parameters, { systemPrompt: 'Be brief.', temperature: 0.3 });
      assert.equal(tuned.body.title, 'A better title', 'the title stays');

      const merged = await patch(owner, id, { parameters: { maxOutputTokens: 500, temperature: null } });
      assert.deepEqual(merged.body.parameters, { systemPrompt: 'Be brief.', maxOutputTokens: 500 });

      const published = await patch(owner, id, { visibility: 'public', title: null });
      assert.equal(published.body.visibility, 'public');
      assert.equal(published.body.title, null);
      assert.deepEqual((await owner.client.get(`/api/conversations/${id}`)).body.parameters, merged.body.parameters);
    });

    test('bad changes are 400s naming what is wrong', async () => {
      const { id } = await answeredConversation(owner);
      const cases: [unknown, RegExp][] = [
        [{}, /at least one/],
        [{ visibility: 'secret' }, /visibility/],
        [{ title: '' }, /title/],
        [{ title: 'x'.repeat(256) }, /title/],
        [{ parameters: { temperature: 3 } }, /parameters\.temperature/],
        [{ parameters: { maxOutputTokens: 1.5 } }, /parameters\.maxOutputTokens/],
        [{ parameters: { topK: 3 } }, /topK/],
        [{ owner: 'me' }, /owner/],
      ];
      for (const [body, pattern] of cases) {
        const response = await patch(owner, id, body);
        assert.equal(response.status, 400, JSON.stringify(body));
        assert.equal(response.body.error.code, 'invalid_input');
        assert.match(response.body.error.message, pattern, JSON.stringify(body));
      }
      const notJson = await owner.client.request('PATCH', `/api/conversations/${id}`, '{nope');
      assert.equal(notJson.status, 400);
    });

    test('a private conversation is not found for anyone else, whatever they try', async () => {
      const { id, answer } = await answeredConversation(owner);
      const attempts = [
        other.client.get(`/api/conversations/${id}`),
        other.client.get(`/api/conversations/${id}/messages`),
        other.client.get(`/api/conversations/${id}/votes`),
        patch(other, id, { title: 'mine now' }),
        other.client.delete(`/api/conversations/${id}`),
        put(other, `/api/conversations/${id}/messages/${answer.id}/vote`, { value: 'down' }),
        other.client.delete(`/api/conversations/${id}/messages/${answer.id}/vote`),
      ];
      for (const response of await Promise.all(attempts)) {
        assert.equal(response.status, 404, JSON.stringify(response.body));
        assert.equal(response.body.error.code, 'not_found');
      }
      assert.equal((await owner.client.get(`/api/conversations/${id}`)).body.title, 'what do you say?', 'unchanged');
    });

    test('a public conversation is readable by anyone signed in, but not theirs to change, delete or vote in', async () => {
      const { id, answer } = await answeredConversation(owner);
      await patch(owner, id, { visibility: 'public' });

      const read = await other.client.get(`/api/conversations/${id}`);
      assert.equal(read.status, 200);
      assert.equal(read.body.role, null, 'a reader, not a participant');
      const page = await other.client.get(`/api/conversations/${id}/messages`);
      assert.equal(page.status, 200);
      assert.equal(page.body.items.length, 2);
      assert.deepEqual((await other.client.get(`/api/conversations/${id}/votes`)).body, { votes: [] });

      const refused = [
        patch(other, id, { title: 'mine now' }),
        patch(other, id, { visibility: 'private' }),
        other.client.delete(`/api/conversations/${id}`),
        put(other, `/api/conversations/${id}/messages/${answer.id}/vote`, { value: 'down' }),
        other.client.delete(`/api/conversations/${id}/messages/${answer.id}/vote`),
      ];
      for (const response of await Promise.all(refused)) {
        assert.equal(response.status, 403, JSON.stringify(response.body));
        assert.equal(response.body.error.code, 'forbidden');
      }
      const listed = await other.client.get('/api/conversations?limit=100');
      assert.ok(!listed.body.items.some((item: { id: string }) => item.id === id), 'reading does not make it theirs');
      assert.equal((await owner.client.get(`/api/conversations/${id}`)).body.title, 'what do you say?', 'unchanged');
    });

    test('a member may read and vote but not rename; only the owner deletes or changes visibility', async () => {
      const { id, answer } = await answeredConversation(owner);
      const member = await signUp('member');
      const ownerActor = actorOf(await server.runtime.store.users.getById(owner.id));
      await server.runtime.store.participants.add({ actor: ownerActor, conversationId: id, userId: member.id });

      const read = await member.client.get(`/api/conversations/${id}`);
      assert.equal(read.body.role, 'member');
      assert.equal(read.body.participants.length, 2);
      assert.equal(
        (await put(member, `/api/conversations/${id}/messages/${answer.id}/vote`, { value: 'up' })).status,
        200,
      );
      assert.equal((await patch(member, id, { title: 'renamed' })).status, 403);

      await server.runtime.store.participants.changeRole({
        actor: ownerActor,
        conversationId: id,
        userId: member.id,
        role: 'admin',
      });
      assert.equal((await patch(member, id, { title: 'renamed by an admin' })).status, 200);
      assert.equal((await patch(member, id, { visibility: 'public' })).status, 403);
      assert.equal((await member.client.delete(`/api/conversations/${id}`)).status, 403);
      assert.equal((await owner.client.get(`/api/conversations/${id}`)).body.visibility, 'private');
    });

    test('deleting a conversation takes its messages and votes with it; only once', async () => {
      const { id, answer } = await answeredConversation(owner);
      await put(owner, `/api/conversations/${id}/messages/${answer.id}/vote`, { value: 'up' });
      const deleted = await owner.client.delete(`/api/conversations/${id}`);
      assert.equal(deleted.status, 204);
      assert.equal(deleted.body, null);
      assert.equal((await owner.client.get(`/api/conversations/${id}`)).status, 404);
      assert.equal((await owner.client.get(`/api/conversations/${id}/messages`)).status, 404);
      assert.equal((await owner.client.delete(`/api/conversations/${id}`)).status, 404);
      const left = await server.runtime.database.db.select().from(messages).where(eq(messages.conversationId, id));
      assert.deepEqual(left, []);
      const listed = await owner.client.get('/api/conversations?limit=100');
      assert.ok(!listed.body.items.some((item: { id: string }) => item.id === id));
    });

    test('a vote on a reply is set, changed, shown with the message, listed, and cleared', async () => {
      const { id, answer } = await answeredConversation(owner);
      const path = `/api/conversations/${id}/messages/${answer.id}/vote`;

      const up = await put(owner, path, { value: 'up' });
      assert.equal(up.status, 200, JSON.stringify(up.body));
      assert.equal(up.body.messageId, answer.id);
      assert.equal(up.body.value, 'up');
      assert.equal((await owner.client.get(`/api/conversations/${id}/messages`)).body.items[0].myVote, 'up');

      const down = await put(owner, path, { value: 'down' });
      assert.equal(down.body.value, 'down');
      const listed = await owner.client.get(`/api/conversations/${id}/votes`);
      assert.equal(listed.status, 200);
      assert.deepEqual(
        listed.body.votes.map((vote: { messageId: string; value: string }) => [vote.messageId, vote.value]),
        [[answer.id, 'down']],
        'one vote per person per message',
      );

      assert.equal((await owner.client.delete(path)).status, 204);
      assert.deepEqual((await owner.client.get(`/api/conversations/${id}/votes`)).body, { votes: [] });
      assert.equal((await owner.client.get(`/api/conversations/${id}/messages`)).body.items[0].myVote, null);
      assert.equal((await owner.client.delete(path)).status, 204, 'clearing no vote is fine');
    });

    test('votes are only on replies of this conversation', async () => {
      const { id, question } = await answeredConversation(owner);
      const elsewhere = await answeredConversation(owner);
      const onQuestion = await put(owner, `/api/conversations/${id}/messages/${question.id}/vote`, { value: 'up' });
      assert.equal(onQuestion.status, 400);
      assert.match(onQuestion.body.error.message, /only replies of models/);
      const unknown = crypto.randomUUID();
      const cases: [Promise<{ status: number; body: any }>, number][] = [
        [put(owner, `/api/conversations/${id}/messages/${unknown}/vote`, { value: 'up' }), 404],
        [owner.client.delete(`/api/conversations/${id}/messages/${unknown}/vote`), 404],
        [put(owner, `/api/conversations/${id}/messages/${elsewhere.answer.id}/vote`, { value: 'up' }), 404],
        [owner.client.delete(`/api/conversations/${id}/messages/${elsewhere.answer.id}/vote`), 404],
        [owner.client.get(`/api/conversations/${crypto.randomUUID()}/votes`), 404],
      ];
      for (const [call, status] of cases) {
        const response = await call;
        assert.equal(response.status, status, JSON.stringify(response.body));
      }
    });

    test('bad ids, limits, cursors and vote values are 400s naming what is wrong', async () => {
      const { id, answer } = await answeredConversation(owner);
      const cases: [Promise<{ status: number; body: any }>, RegExp][] = [
        [owner.client.get('/api/conversations/not-a-uuid'), /\bid\b/],
        [patch(owner, 'not-a-uuid', { title: 'x' }), /\bid\b/],
        [owner.client.delete('/api/conversations/not-a-uuid'), /\bid\b/],
        [owner.client.get('/api/conversations/not-a-uuid/messages'), /\bid\b/],
        [owner.client.get('/api/conversations/not-a-uuid/votes'), /\bid\b/],
        [put(owner, `/api/conversations/${id}/messages/not-a-uuid/vote`, { value: 'up' }), /messageId/],
        [owner.client.delete(`/api/conversations/${id}/messages/not-a-uuid/vote`), /messageId/],
        [put(owner, `/api/conversations/${id}/messages/${answer.id}/vote`, { value: 'sideways' }), /value/],
        [put(owner, `/api/conversations/${id}/messages/${answer.id}/vote`, {}), /value/],
        [owner.client.get('/api/conversations?limit=0'), /limit/],
        [owner.client.get('/api/conversations?limit=101'), /limit/],
        [owner.client.get('/api/conversations?limit=many'), /limit/],
        [owner.client.get(`/api/conversations/${id}/messages?limit=0`), /limit/],
        [owner.client.get('/api/conversations?cursor=garbage'), /cursor/],
        [owner.client.get(`/api/conversations/${id}/messages?before=garbage`), /cursor/],
      ];
      for (const [call, pattern] of cases) {
        const response = await call;
        assert.equal(response.status, 400, JSON.stringify(response.body));
        assert.equal(response.body.error.code, 'invalid_input');
        assert.match(response.body.error.message, pattern);
      }
    });

    test('the routes are in the OpenAPI document', async () => {
      const document = (await anonymous.get('/api/openapi.json')).body;
      assert.ok(document.paths['/api/conversations'].get);
      assert.ok(document.paths['/api/conversations/{id}'].patch);
      assert.ok(document.paths['/api/conversations/{id}/messages'].get);
      assert.ok(document.paths['/api/conversations/{id}/messages/{messageId}/vote'].put);
      assert.ok(document.paths['/api/conversations/{id}/votes'].get);
      assert.ok(document.components.schemas.Message);
    });
  });
}
