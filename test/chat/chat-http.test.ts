// POST /api/chat over real HTTP: the AI SDK's own client-side reader parses the stream; the models are the
// offline model and real AI SDK providers pointed at a fake OpenAI-compatible server on 127.0.0.1.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { UIMessage, UIMessageChunk } from 'ai';
import { eq } from 'drizzle-orm';
import { models } from '../../src/db/schema/index.ts';
import { AppError } from '../../src/errors.ts';
import { seedModels } from '../../src/models/seed.ts';
import { registerDeclaredModels } from '../../src/providers/index.ts';
import { actorOf } from '../../src/store/index.ts';
import { readChat, textOf } from '../support/chat-stream.ts';
import { testBackends } from '../support/database.ts';
import { type FakeProvider, startFakeProvider } from '../support/fake-provider.ts';
import { startTestServer, TestClient, type TestServer } from '../support/server.ts';

process.env.AI_SDK_LOG_WARNINGS = 'false';

type ChatResult = { status: number; message?: UIMessage; chunks: UIMessageChunk[]; error?: unknown };

for (const kind of testBackends()) {
  describe(`POST /api/chat on ${kind}`, () => {
    let server: TestServer;
    let fake: FakeProvider;
    let apiKey: string;
    let userId: string;

    before(async () => {
      fake = await startFakeProvider({
        models: {
          alpha: { reply: 'Alpha says hello to you.', chunkDelayMs: 5, usage: { inputTokens: 10, outputTokens: 6 } },
          beta: { reply: 'Beta answers as well.', chunkDelayMs: 5 },
        },
      });
      server = await startTestServer(kind, {
        CHORUS_PROVIDER_FAKE_BASE_URL: fake.baseURL,
        CHORUS_PROVIDER_FAKE_MODELS: 'alpha,beta,broken,cut,slow,busy,hung',
        CHORUS_PROVIDER_MAX_RETRIES: '1',
        CHORUS_PROVIDER_TIMEOUT_MS: '1500',
      });
      const db = server.runtime.database.db;
      await seedModels(db);
      await registerDeclaredModels(db, server.runtime.providers);
      await db
        .update(models)
        .set({ pricing: { input: 2, output: 8 } })
        .where(eq(models.id, 'fake:alpha'));
      await server.runtime.modelCache.refresh();
      const browser = new TestClient(server.baseUrl);
      const signUp = await browser.post('/api/auth/sign-up/email', {
        email: `chat-${kind}@example.test`,
        password: 'a long enough password',
        name: 'Chatter',
      });
      assert.equal(signUp.status, 200, JSON.stringify(signUp.body));
      userId = signUp.body.user.id;
      const key = await browser.post('/api/keys', { name: 'tests' });
      assert.equal(key.status, 201, JSON.stringify(key.body));
      apiKey = key.body.key;
    });
    after(async () => {
      await server?.close();
      await fake?.close();
    });

    const send = async (body: unknown, bearer: string | null = apiKey): Promise<ChatResult> => {
      const response = await fetch(`${server.baseUrl}/api/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      if (!response.headers.get('content-type')?.startsWith('text/event-stream')) {
        return { status: response.status, chunks: [], error: await response.json() };
      }
      return { status: response.status, ...(await readChat(response.body!)) };
    };

    const userMessage = (text: string, id = crypto.randomUUID()) => ({
      id,
      role: 'user',
      parts: [{ type: 'text', text }],
    });

    const storedMessages = async (conversationId: string) => {
      const actor = actorOf(await server.runtime.store.users.getById(userId));
      const page = await server.runtime.store.messages.page({ actor, conversationId, limit: 100 });
      return page.items.reverse();
    };

    test('with no provider named, a new chat is answered; the offline model says plainly it is offline', async () => {
      const conversationId = crypto.randomUUID();
      const result = await send({
        id: conversationId,
        messages: [userMessage('hello offline')],
        modelIds: ['local:echo'],
      });
      assert.equal(result.status, 200);
      const text = textOf(result.message!);
      assert.match(text, /offline model/i);
      assert.match(text, /hello offline/);
      const [question, answer] = await storedMessages(conversationId);
      assert.equal(question!.senderId, userId);
      assert.equal(answer!.modelId, 'local:echo');
      assert.equal(answer!.status, 'complete');
      assert.equal(answer!.parentId, question!.id);
    });

    test('two models answer the same prompt concurrently, each in its own stored message with tokens and cost', async () => {
      const conversationId = crypto.randomUUID();
      const result = await send({
        id: conversationId,
        messages: [userMessage('who is there?')],
        modelIds: ['fake:alpha', 'fake:beta'],
      });
      assert.equal(result.status, 200);
      const textParts = result.message!.parts.filter((part) => part.type === 'text');
      const byModel = new Map(
        textParts.map((part) => [(part.providerMetadata!.chorus as { modelId: string }).modelId, part.text]),
      );
      assert.equal(byModel.get('fake:alpha'), 'Alpha says hello to you.');
      assert.equal(byModel.get('fake:beta'), 'Beta answers as well.');

      const replies = (await storedMessages(conversationId)).filter((message) => message.role === 'assistant');
      assert.deepEqual(replies.map((reply) => reply.modelId).sort(), ['fake:alpha', 'fake:beta']);
      const actor = actorOf(await server.runtime.store.users.getById(userId));
      const members = await server.runtime.store.conversationModels.list({ actor, conversationId });
      assert.deepEqual(
        members.map((member) => member.modelId),
        ['fake:alpha', 'fake:beta'],
        'the new conversation keeps the models that answered',
      );
      const alpha = replies.find((reply) => reply.modelId === 'fake:alpha')!;
      assert.equal(alpha.content, 'Alpha says hello to you.');
      assert.equal(alpha.inputTokens, 10);
      assert.equal(alpha.outputTokens, 6);
      assert.equal(alpha.costUsd, (10 * 2 + 6 * 8) / 1_000_000);
      assert.ok((alpha.latencyMs ?? -1) >= 0);

      const requests = fake.requests.filter((request) => JSON.stringify(request.messages).includes('who is there?'));
      assert.equal(requests.length, 2);
      const [first, second] = requests;
      assert.ok(
        first!.receivedAt < second!.finishedAt! && second!.receivedAt < first!.finishedAt!,
        'the requests overlap',
      );
    });

    test('a new chat is set up while its first message is saved, but its model is called only once it is', async () => {
      const messageStore = server.runtime.store.messages;
      const original = messageStore.saveInNewConversation;
      let savedAt = 0;
      messageStore.saveInNewConversation = async (input) => {
        const saved = await original.call(messageStore, input);
        // A slow commit: the provider must still not hear of the message before it is done.
        await new Promise((resolve) => setTimeout(resolve, 150));
        savedAt = performance.now();
        return saved;
      };
      try {
        const conversationId = crypto.randomUUID();
        const result = await send({
          id: conversationId,
          messages: [userMessage('saved first?')],
          modelIds: ['fake:alpha'],
        });
        assert.equal(result.status, 200);
        assert.equal(textOf(result.message!), 'Alpha says hello to you.');
        const [request] = fake.requests.filter((recorded) =>
          JSON.stringify(recorded.messages).includes('saved first?'),
        );
        assert.ok(savedAt > 0 && request!.receivedAt > savedAt, 'the provider was called after the message was saved');
        const stored = await storedMessages(conversationId);
        assert.deepEqual(
          stored.map((message) => message.role),
          ['user', 'assistant'],
        );
      } finally {
        messageStore.saveInNewConversation = original;
      }
    });

    test('when a new chat cannot be saved, no model is called and nothing of the turn is stored', async () => {
      const messageStore = server.runtime.store.messages;
      const original = messageStore.saveInNewConversation;
      messageStore.saveInNewConversation = async () => {
        await new Promise((resolve) => setTimeout(resolve, 50));
        throw new AppError('invalid_input', 'refused by the test');
      };
      const conversationId = crypto.randomUUID();
      try {
        const result = await send({
          id: conversationId,
          messages: [userMessage('never sent on')],
          modelIds: ['fake:alpha', 'local:echo'],
        });
        assert.equal(result.status, 400);
        assert.equal((result.error as { error: { message: string } }).error.message, 'refused by the test');
      } finally {
        messageStore.saveInNewConversation = original;
      }
      // Give a call that slipped through the time to arrive.
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal(
        fake.requests.filter((recorded) => JSON.stringify(recorded.messages).includes('never sent on')).length,
        0,
      );
      const actor = actorOf(await server.runtime.store.users.getById(userId));
      await assert.rejects(
        server.runtime.store.conversations.get({ actor, id: conversationId, level: 'read' }),
        /not found/,
      );
      assert.equal(await server.runtime.store.replies.countStreaming(conversationId), 0);
    });

    test('one model failing never stops the other; the failure is saved as an error with its reason', async () => {
      fake.scriptModel('broken', { failFirst: { count: 10, status: 500, retryAfterMs: 0 } });
      const conversationId = crypto.randomUUID();
      const result = await send({
        id: conversationId,
        messages: [userMessage('try both')],
        modelIds: ['fake:alpha', 'fake:broken'],
      });
      assert.equal(result.status, 200);
      const replies = (await storedMessages(conversationId)).filter((message) => message.role === 'assistant');
      const broken = replies.find((reply) => reply.modelId === 'fake:broken')!;
      const alpha = replies.find((reply) => reply.modelId === 'fake:alpha')!;
      assert.equal(broken.status, 'error');
      assert.match(String(broken.metadata.error), /HTTP 500/);
      assert.equal(alpha.status, 'complete');
      const replyParts = result.chunks.filter((chunk) => chunk.type === 'data-reply') as {
        data: { status: string; modelId: string };
      }[];
      assert.ok(replyParts.some((part) => part.data.modelId === 'fake:broken' && part.data.status === 'error'));
    });

    test('a stream cut mid-reply keeps the partial text, saved with status error', async () => {
      fake.scriptModel('cut', { reply: 'This reply will be cut off before it ends.', chunkSize: 5, cutAfterChunks: 2 });
      const conversationId = crypto.randomUUID();
      const result = await send({ id: conversationId, messages: [userMessage('go')], modelIds: ['fake:cut'] });
      assert.equal(result.status, 200);
      const reply = (await storedMessages(conversationId)).find((message) => message.role === 'assistant')!;
      assert.equal(reply.status, 'error');
      assert.equal(reply.content, 'This reply');
      assert.ok(
        result.chunks.some((chunk) => chunk.type === 'error'),
        'the client is told',
      );
    });

    test('a provider answering 429 before the first token is retried, and the reply completes', async () => {
      fake.scriptModel('busy', { reply: 'Fine now.', failFirst: { count: 1, status: 429 } });
      const conversationId = crypto.randomUUID();
      const result = await send({
        id: conversationId,
        messages: [userMessage('are you busy?')],
        modelIds: ['fake:busy'],
      });
      assert.equal(textOf(result.message!), 'Fine now.');
      assert.deepEqual(
        fake.requestsFor('busy').map((request) => request.status),
        [429, 200],
      );
      const reply = (await storedMessages(conversationId)).find((message) => message.role === 'assistant')!;
      assert.equal(reply.status, 'complete');
    });

    test('a provider that hangs past the timeout ends the reply as an error; the server goes on serving', async () => {
      fake.scriptModel('hung', { hang: true });
      const conversationId = crypto.randomUUID();
      const result = await send({ id: conversationId, messages: [userMessage('hello?')], modelIds: ['fake:hung'] });
      assert.equal(result.status, 200);
      const reply = (await storedMessages(conversationId)).find((message) => message.role === 'assistant')!;
      assert.equal(reply.status, 'error');
      assert.match(String(reply.metadata.error), /the provider sent nothing for 1500 ms/);
      const told = result.chunks.find((chunk) => chunk.type === 'error') as { errorText: string } | undefined;
      assert.ok(told, 'the client is told');
      const health = await fetch(`${server.baseUrl}/api/health`);
      assert.equal(health.status, 200);
    });

    test('a retried request (same message id) saves the message once', async () => {
      const conversationId = crypto.randomUUID();
      const message = userMessage('only once');
      await send({ id: conversationId, messages: [message], modelIds: ['local:echo'] });
      const again = await send({ id: conversationId, messages: [message], modelIds: ['local:echo'] });
      assert.equal(again.status, 200);
      const stored = await storedMessages(conversationId);
      assert.equal(stored.filter((m) => m.role === 'user').length, 1);
      assert.equal(stored.filter((m) => m.role === 'assistant').length, 1);
    });

    test('a message sent alone into an existing conversation (a client that lost its history) continues it', async () => {
      const conversationId = crypto.randomUUID();
      await send({ id: conversationId, messages: [userMessage('my name is Ada')], modelIds: ['fake:alpha'] });
      // The way a brand-new chat sends its first message: one message, and the conversation's id.
      const next = await send({ id: conversationId, messages: [userMessage('what is my name, then?')] });
      assert.equal(next.status, 200, JSON.stringify(next.error));
      assert.equal(textOf(next.message!), 'Alpha says hello to you.');
      const stored = await storedMessages(conversationId);
      assert.deepEqual(
        stored.map((message) => [message.role, message.content]),
        [
          ['user', 'my name is Ada'],
          ['assistant', 'Alpha says hello to you.'],
          ['user', 'what is my name, then?'],
          ['assistant', 'Alpha says hello to you.'],
        ],
      );
      const [request] = fake.requests.filter((recorded) =>
        JSON.stringify(recorded.messages).includes('what is my name, then?'),
      );
      assert.match(JSON.stringify(request!.messages), /my name is Ada/, 'the model sees the conversation so far');
      const conversations = await new TestClient(server.baseUrl, { bearer: apiKey }).get(
        '/api/conversations?limit=100',
      );
      assert.equal(conversations.body.items.filter((item: { id: string }) => item.id === conversationId).length, 1);
    });

    test('a reply can be re-attached to from its first chunk after the client dropped', async () => {
      const conversationId = crypto.randomUUID();
      await send({ id: conversationId, messages: [userMessage('remember me')], modelIds: ['fake:alpha'] });
      const response = await fetch(`${server.baseUrl}/api/chat/${conversationId}/stream`, {
        headers: { authorization: `Bearer ${apiKey}` },
      });
      assert.equal(response.status, 200);
      const replay = await readChat(response.body!);
      assert.equal(textOf(replay.message!), 'Alpha says hello to you.');
      const none = await fetch(`${server.baseUrl}/api/chat/${crypto.randomUUID()}/stream`, {
        headers: { authorization: `Bearer ${apiKey}` },
      });
      assert.equal(none.status, 404);
    });

    test('stop ends a running reply, keeping what it had said, with status stopped', async () => {
      fake.scriptModel('slow', { reply: 'word '.repeat(400), chunkSize: 5, chunkDelayMs: 10 });
      const conversationId = crypto.randomUUID();
      const sending = send({ id: conversationId, messages: [userMessage('talk slowly')], modelIds: ['fake:slow'] });
      await new Promise((resolve) => setTimeout(resolve, 400));
      const stop = await new TestClient(server.baseUrl, { bearer: apiKey }).post(`/api/chat/${conversationId}/stop`);
      assert.equal(stop.status, 200);
      assert.equal(stop.body.stopped, 1);
      const result = await sending;
      const said = textOf(result.message!);
      const reply = (await storedMessages(conversationId)).find((message) => message.role === 'assistant')!;
      assert.equal(reply.status, 'stopped');
      assert.ok(reply.content!.length > 0 && reply.content!.length < 2_000);
      assert.equal(reply.content, said);
    });

    test('regenerate replaces the reply; edit replaces the message and what followed it', async () => {
      const conversationId = crypto.randomUUID();
      const first = userMessage('first question');
      const answered = await send({ id: conversationId, messages: [first], modelIds: ['local:echo'] });
      const replyId = answered.message!.id;
      const regenerated = await send({
        id: conversationId,
        trigger: 'regenerate-message',
        messageId: replyId,
        messages: [first],
      });
      assert.equal(regenerated.status, 200);
      let stored = await storedMessages(conversationId);
      assert.equal(stored.length, 2);
      assert.notEqual(stored[1]!.id, replyId);

      const edited = await send({
        id: conversationId,
        messages: [userMessage('the edited question')],
        messageId: first.id,
        modelIds: ['local:echo'],
      });
      assert.equal(edited.status, 200);
      stored = await storedMessages(conversationId);
      assert.equal(stored.length, 2);
      assert.equal(stored[0]!.content, 'the edited question');
      assert.match(stored[1]!.content!, /the edited question/);
    });

    test('bad requests are 4xx JSON errors naming what is wrong', async () => {
      const conversationId = crypto.randomUUID();
      const cases: [unknown, number, RegExp][] = [
        ['{not json', 400, /json/i],
        [{ id: 'not-a-uuid', messages: [userMessage('x')] }, 400, /id/],
        [{ id: conversationId }, 400, /message/],
        [{ id: conversationId, messages: [userMessage('x')], modelIds: ['fake:nope'] }, 400, /fake:nope/],
        [{ id: conversationId, messages: [userMessage('x')], modelIds: ['openai:gpt-4o'] }, 400, /openai/],
        [
          {
            id: conversationId,
            messages: [userMessage('x')],
            modelIds: ['local:echo'],
            webSearch: { contextSize: 'high' },
          },
          400,
          /web/,
        ],
        [{ id: conversationId, messages: [{ id: 'm', role: 'assistant', parts: [] }] }, 400, /role user/],
      ];
      for (const [body, status, pattern] of cases) {
        const result = await send(body);
        assert.equal(result.status, status, JSON.stringify(body));
        const error = (result.error as { error: { message: string } }).error;
        assert.match(error.message, pattern, JSON.stringify(body));
      }
      await server.runtime.database.db.update(models).set({ status: 'deprecated' }).where(eq(models.id, 'fake:beta'));
      await server.runtime.modelCache.refresh();
      const deprecated = await send({ id: conversationId, messages: [userMessage('x')], modelIds: ['fake:beta'] });
      assert.equal(deprecated.status, 400);
      assert.match(
        (deprecated.error as { error: { message: string } }).error.message,
        /fake:beta: the model is deprecated/,
      );
      const anonymous = await send({ id: conversationId, messages: [userMessage('x')] }, null);
      assert.equal(anonymous.status, 401);
    });
  });
}
