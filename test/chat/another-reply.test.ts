// "Ask another model" (POST /api/chat/:id/replies) over real HTTP: the replies a message has are kept, the new model
// answers the message without seeing them, and only the newest message can be asked again.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { UIMessage } from 'ai';
import { seedModels } from '../../src/models/seed.ts';
import { registerDeclaredModels } from '../../src/providers/index.ts';
import { actorOf } from '../../src/store/index.ts';
import { readChat, textOf } from '../support/chat-stream.ts';
import { testBackends } from '../support/database.ts';
import { type FakeProvider, startFakeProvider } from '../support/fake-provider.ts';
import { startTestServer, TestClient, type TestServer } from '../support/server.ts';

process.env.AI_SDK_LOG_WARNINGS = 'false';

for (const kind of testBackends()) {
  describe(`ask another model on ${kind}`, () => {
    let server: TestServer;
    let fake: FakeProvider;
    const keys: Record<'owner' | 'stranger', string> = { owner: '', stranger: '' };
    let ownerId: string;

    before(async () => {
      fake = await startFakeProvider({
        models: {
          alpha: { reply: 'Alpha answers first.', chunkDelayMs: 2 },
          beta: { reply: 'Beta answers beside it.', chunkDelayMs: 2 },
        },
      });
      server = await startTestServer(kind, {
        CHORUS_PROVIDER_FAKE_BASE_URL: fake.baseURL,
        CHORUS_PROVIDER_FAKE_MODELS: 'alpha,beta',
      });
      const db = server.runtime.database.db;
      await seedModels(db);
      await registerDeclaredModels(db, server.runtime.providers);
      await server.runtime.modelCache.refresh();
      for (const who of ['owner', 'stranger'] as const) {
        const browser = new TestClient(server.baseUrl);
        const signUp = await browser.post('/api/auth/sign-up/email', {
          email: `${who}-another-${kind}@example.test`,
          password: 'a long enough password',
          name: who,
        });
        assert.equal(signUp.status, 200, JSON.stringify(signUp.body));
        if (who === 'owner') ownerId = signUp.body.user.id;
        const key = await browser.post('/api/keys', { name: 'tests' });
        keys[who] = key.body.key;
      }
    });
    after(async () => {
      await server?.close();
      await fake?.close();
    });

    type Answer = { status: number; message?: UIMessage; error?: { error: { message: string } } };
    const post = async (path: string, body: unknown, key = keys.owner): Promise<Answer> => {
      const response = await fetch(`${server.baseUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify(body),
      });
      if (!response.headers.get('content-type')?.startsWith('text/event-stream'))
        return { status: response.status, error: (await response.json()) as Answer['error'] };
      return { status: response.status, ...(await readChat(response.body!)) };
    };
    const say = (conversationId: string, text: string) =>
      post('/api/chat', {
        id: conversationId,
        message: { id: crypto.randomUUID(), role: 'user', parts: [{ type: 'text', text }] },
        modelIds: ['fake:alpha'],
      });
    const stored = async (conversationId: string) => {
      const actor = actorOf(await server.runtime.store.users.getById(ownerId));
      const page = await server.runtime.store.messages.page({ actor, conversationId, limit: 100 });
      return page.items.reverse();
    };

    test('the new reply joins the first under the same message, written without seeing it', async () => {
      const conversationId = crypto.randomUUID();
      assert.equal((await say(conversationId, 'Which is the tallest mountain?')).status, 200);
      const [question, first] = await stored(conversationId);
      fake.reset();

      const added = await post(`/api/chat/${conversationId}/replies`, { messageId: first!.id, modelId: 'fake:beta' });
      assert.equal(added.status, 200, JSON.stringify(added.error));
      assert.equal(textOf(added.message!), 'Beta answers beside it.');

      const messages = await stored(conversationId);
      assert.deepEqual(
        messages.map((message) => [message.role, message.modelId, message.parentId]),
        [
          ['user', null, null],
          ['assistant', 'fake:alpha', question!.id],
          ['assistant', 'fake:beta', question!.id],
        ],
      );
      assert.equal(messages[1]!.id, first!.id, 'the first reply is kept as it was');
      const [sent] = fake.requestsFor('beta');
      const prompt = JSON.stringify(sent!.messages);
      assert.match(prompt, /tallest mountain/);
      assert.doesNotMatch(prompt, /Alpha answers first/, 'the new model does not see the reply beside it');
    });

    test('asking by the message itself works too; an earlier message is a 409 once someone wrote after it', async () => {
      const conversationId = crypto.randomUUID();
      await say(conversationId, 'first question');
      const [firstQuestion] = await stored(conversationId);
      const byPrompt = await post(`/api/chat/${conversationId}/replies`, {
        messageId: firstQuestion!.id,
        modelId: 'fake:beta',
      });
      assert.equal(byPrompt.status, 200);
      await say(conversationId, 'second question');
      const before = await stored(conversationId);

      const late = await post(`/api/chat/${conversationId}/replies`, {
        messageId: firstQuestion!.id,
        modelId: 'fake:beta',
      });
      assert.equal(late.status, 409);
      assert.match(late.error!.error.message, /newest message/);
      assert.equal((await stored(conversationId)).length, before.length, 'nothing was added or removed');
    });

    test('in a thread, the new reply joins the thread, written from the thread and what it hangs on', async () => {
      const conversationId = crypto.randomUUID();
      await say(conversationId, 'Plan a trip to Norway');
      const [root] = await stored(conversationId);
      const inThread = await post('/api/chat', {
        id: conversationId,
        message: { id: crypto.randomUUID(), role: 'user', parts: [{ type: 'text', text: 'What about the fjords?' }] },
        modelIds: ['fake:alpha'],
        threadId: root!.id,
      });
      assert.equal(inThread.status, 200, JSON.stringify(inThread.error));
      const actor = actorOf(await server.runtime.store.users.getById(ownerId));
      const thread = async () =>
        (await server.runtime.store.threads.contextOf({ actor, conversationId, rootId: root!.id, limit: 100 }))
          .filter((message) => message.threadRootId === root!.id)
          .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
      const [question, first] = await thread();
      fake.reset();

      const added = await post(`/api/chat/${conversationId}/replies`, { messageId: first!.id, modelId: 'fake:beta' });
      assert.equal(added.status, 200, JSON.stringify(added.error));
      const replies = (await thread()).filter((message) => message.role === 'assistant');
      assert.deepEqual(
        replies.map((reply) => [reply.modelId, reply.parentId]),
        [
          ['fake:alpha', question!.id],
          ['fake:beta', question!.id],
        ],
      );
      const prompt = JSON.stringify(fake.requestsFor('beta')[0]!.messages);
      assert.match(prompt, /Plan a trip to Norway/);
      assert.match(prompt, /fjords/);
      assert.doesNotMatch(prompt, /Alpha answers first/);
      assert.equal((await stored(conversationId)).length, 2, 'the main conversation did not change');
    });

    test('bad requests name what is wrong; a stranger does not find the conversation', async () => {
      const conversationId = crypto.randomUUID();
      await say(conversationId, 'hello');
      const [question] = await stored(conversationId);
      const path = `/api/chat/${conversationId}/replies`;

      const unknownModel = await post(path, { messageId: question!.id, modelId: 'fake:nope' });
      assert.equal(unknownModel.status, 400);
      assert.match(unknownModel.error!.error.message, /fake:nope/);
      const noModel = await post(path, { messageId: question!.id });
      assert.equal(noModel.status, 400);
      assert.match(JSON.stringify(noModel.error), /modelId/);
      const unknownMessage = await post(path, { messageId: crypto.randomUUID(), modelId: 'fake:beta' });
      assert.equal(unknownMessage.status, 404);
      // A reply that answers no message (as imported from elsewhere) is refused by name, not a server error.
      const actor = actorOf(await server.runtime.store.users.getById(ownerId));
      const [orphan] = await server.runtime.store.messages.save({
        actor,
        conversationId,
        messages: [{ role: 'assistant', content: 'said long ago', parts: [{ type: 'text', text: 'said long ago' }] }],
      });
      const orphaned = await post(path, { messageId: orphan!.id, modelId: 'fake:beta' });
      assert.equal(orphaned.status, 400);
      assert.match(orphaned.error!.error.message, /answers no message/);
      await server.runtime.store.messages.deleteFollowing({
        actor,
        conversationId,
        messageId: orphan!.id,
        inclusive: true,
      });
      const stranger = await post(path, { messageId: question!.id, modelId: 'fake:beta' }, keys.stranger);
      assert.equal(stranger.status, 404);
      assert.equal((await stored(conversationId)).length, 2, 'no reply was added by the refused requests');
    });
  });
}
