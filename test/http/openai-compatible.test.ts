// The OpenAI-compatible API (/v1) over real HTTP, driven by OpenAI's own `openai` client; the models answering are
// real AI SDK providers pointed at a fake OpenAI-compatible server on 127.0.0.1, which records what it was sent.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import OpenAI from 'openai';
import { DAILY_MESSAGE_LIMITS_KEY } from '../../src/auth/limits.ts';
import { conversations, models } from '../../src/db/schema/index.ts';
import { seedModels } from '../../src/models/seed.ts';
import type { OpenAiErrorBody } from '../../src/openai-compat/wire.ts';
import { registerDeclaredModels } from '../../src/providers/index.ts';
import { usageDayOf } from '../../src/store/daily-usage.ts';
import { actorOf } from '../../src/store/index.ts';
import { testBackends } from '../support/database.ts';
import { type FakeProvider, startFakeProvider } from '../support/fake-provider.ts';
import { startTestServer, TestClient, type TestServer } from '../support/server.ts';

process.env.AI_SDK_LOG_WARNINGS = 'false';

const ALPHA_REPLY = 'Alpha says hello to you.';
const ALPHA_USAGE = { inputTokens: 12, outputTokens: 7 };

const errorOf = async (response: Response) => ((await response.json()) as OpenAiErrorBody).error;

/** Waits for something that happens a moment after the request that caused it (a reply saved, a socket closed). */
async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

for (const kind of testBackends()) {
  describe(`OpenAI-compatible API on ${kind}`, () => {
    let server: TestServer;
    let fake: FakeProvider;
    let browser: TestClient;
    let apiKey: string;
    let userId: string;
    let openai: OpenAI;

    before(async () => {
      fake = await startFakeProvider({
        models: { alpha: { reply: ALPHA_REPLY, chunkDelayMs: 5, usage: ALPHA_USAGE } },
      });
      server = await startTestServer(kind, {
        CHORUS_PROVIDER_FAKE_BASE_URL: fake.baseURL,
        CHORUS_PROVIDER_FAKE_MODELS: 'alpha,broken,cut,slow,retired',
        CHORUS_PROVIDER_MAX_RETRIES: '0',
      });
      const db = server.runtime.database.db;
      await seedModels(db);
      await registerDeclaredModels(db, server.runtime.providers);
      await db
        .update(models)
        .set({ pricing: { input: 2, output: 8 } })
        .where(eq(models.id, 'fake:alpha'));
      await db.update(models).set({ status: 'deprecated' }).where(eq(models.id, 'fake:retired'));
      await server.runtime.modelCache.refresh();
      browser = new TestClient(server.baseUrl);
      const signUp = await browser.post('/api/auth/sign-up/email', {
        email: `openai-${kind}@example.test`,
        password: 'a long enough password',
        name: 'Scripter',
      });
      assert.equal(signUp.status, 200, JSON.stringify(signUp.body));
      userId = signUp.body.user.id;
      const key = await browser.post('/api/keys', { name: 'openai client' });
      assert.equal(key.status, 201, JSON.stringify(key.body));
      apiKey = key.body.key;
      // No retries: a test must see each answer as the server gave it.
      openai = new OpenAI({ baseURL: `${server.baseUrl}/v1`, apiKey, maxRetries: 0 });
    });
    after(async () => {
      await server?.close();
      await fake?.close();
    });

    const actor = async () => actorOf(await server.runtime.store.users.getById(userId));
    const storedMessages = async (conversationId: string) => {
      const page = await server.runtime.store.messages.page({ actor: await actor(), conversationId, limit: 100 });
      return page.items.reverse();
    };
    const conversationIdOf = (headers: Headers) => {
      const id = headers.get('x-chorus-conversation-id');
      assert.ok(id, 'the response names the stored conversation');
      return id;
    };
    const postRaw = (body: unknown, headers: Record<string, string> = { authorization: `Bearer ${apiKey}` }) =>
      fetch(`${server.baseUrl}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
    /** The reply of a conversation once it has settled (a stopped reply is saved a moment after the client left). */
    const settledReply = async (conversationId: string) => {
      const replyOf = async () =>
        (await storedMessages(conversationId)).find((message) => message.role === 'assistant');
      await until(async () => {
        const reply = await replyOf();
        return reply !== undefined && reply.status !== 'streaming';
      }, 'the reply settles');
      return (await replyOf())!;
    };

    test('the model list holds the usable models in OpenAI shape; one model is found by its encoded id', async () => {
      const listed = [];
      for await (const model of openai.models.list()) listed.push(model);
      const ids = listed.map((model) => model.id);
      assert.ok(ids.includes('local:echo') && ids.includes('fake:alpha'), ids.join(', '));
      assert.ok(!ids.includes('fake:retired'), 'a deprecated model is not offered');
      assert.ok(!ids.some((id) => id.startsWith('openai:')), 'a provider without a key is not offered');
      const alpha = listed.find((model) => model.id === 'fake:alpha')!;
      assert.deepEqual(Object.keys(alpha).sort(), ['created', 'id', 'object', 'owned_by']);
      assert.equal(alpha.object, 'model');
      assert.equal(alpha.owned_by, 'fake');
      assert.ok(Number.isInteger(alpha.created) && alpha.created > 1_600_000_000);

      assert.deepEqual(await openai.models.retrieve('fake:alpha'), alpha);
      await assert.rejects(openai.models.retrieve('fake:retired'), (error: unknown) => {
        assert.ok(error instanceof OpenAI.NotFoundError);
        assert.match(error.message, /deprecated/);
        return true;
      });
      const viaSession = await browser.get('/v1/models');
      assert.equal(viaSession.status, 200, 'a signed-in browser may use /v1 too');
      assert.equal(viaSession.body.object, 'list');
    });

    test('the /v1 routes are described in the OpenAPI document', async () => {
      const document = (await (await fetch(`${server.baseUrl}/api/openapi.json`)).json()) as {
        paths: Record<string, unknown>;
        components: { schemas: Record<string, unknown> };
      };
      for (const path of ['/v1/models', '/v1/models/{id}', '/v1/chat/completions'])
        assert.ok(document.paths[path], path);
      for (const schema of ['ChatCompletionRequest', 'ChatCompletion', 'ChatCompletionChunk', 'OpenAiError']) {
        assert.ok(document.components.schemas[schema], schema);
      }
    });

    test('a completion answers with the model reply and its usage, stored as an api conversation with the reply priced', async () => {
      const { data: completion, response } = await openai.chat.completions
        .create({
          model: 'fake:alpha',
          messages: [
            { role: 'system', content: 'You are terse.' },
            { role: 'user', content: 'Say hello.' },
          ],
        })
        .withResponse();
      assert.equal(completion.object, 'chat.completion');
      assert.equal(completion.model, 'fake:alpha');
      assert.equal(completion.choices.length, 1);
      assert.equal(completion.choices[0]!.message.role, 'assistant');
      assert.equal(completion.choices[0]!.message.content, ALPHA_REPLY);
      assert.equal(completion.choices[0]!.finish_reason, 'stop');
      assert.deepEqual(
        {
          prompt: completion.usage?.prompt_tokens,
          completion: completion.usage?.completion_tokens,
          total: completion.usage?.total_tokens,
        },
        { prompt: 12, completion: 7, total: 19 },
      );

      const conversationId = conversationIdOf(response.headers);
      const [conversation] = await server.runtime.database.db
        .select()
        .from(conversations)
        .where(eq(conversations.id, conversationId));
      assert.equal(conversation!.origin, 'api');
      assert.equal(conversation!.ownerId, userId);
      assert.equal(conversation!.parameters.systemPrompt, 'You are terse.');
      const [question, reply] = await storedMessages(conversationId);
      assert.equal(question!.role, 'user');
      assert.equal(question!.content, 'Say hello.');
      assert.equal(question!.senderId, userId);
      assert.equal(completion.id, `chatcmpl-${reply!.id}`);
      assert.equal(reply!.modelId, 'fake:alpha');
      assert.equal(reply!.parentId, question!.id);
      assert.equal(reply!.status, 'complete');
      assert.equal(reply!.content, ALPHA_REPLY);
      assert.equal(reply!.inputTokens, 12);
      assert.equal(reply!.outputTokens, 7);
      assert.equal(reply!.costUsd, (12 * 2 + 7 * 8) / 1_000_000);

      const sent = fake.requestsFor('alpha').at(-1)!;
      assert.deepEqual(sent.messages, [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'Say hello.' },
      ]);
    });

    test('a streamed completion sends a role delta, the content, a finish chunk, then usage when asked', async () => {
      const { data: stream, response } = await openai.chat.completions
        .create({
          model: 'fake:alpha',
          messages: [{ role: 'user', content: 'Stream it.' }],
          stream: true,
          stream_options: { include_usage: true },
        })
        .withResponse();
      assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
      const chunks = [];
      for await (const chunk of stream) chunks.push(chunk);
      assert.ok(chunks.every((chunk) => chunk.object === 'chat.completion.chunk' && chunk.model === 'fake:alpha'));
      assert.equal(new Set(chunks.map((chunk) => chunk.id)).size, 1, 'one id for the whole stream');
      assert.deepEqual(chunks[0]!.choices[0]!.delta, { role: 'assistant', content: '' });
      const content = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');
      assert.equal(content, ALPHA_REPLY);
      assert.ok(chunks.length > 4, 'the reply arrives in pieces');
      const [finish, usage] = chunks.slice(-2);
      assert.equal(finish!.choices[0]!.finish_reason, 'stop');
      assert.deepEqual(usage!.choices, []);
      assert.equal(usage!.usage?.prompt_tokens, 12);
      assert.equal(usage!.usage?.completion_tokens, 7);
      assert.equal(usage!.usage?.total_tokens, 19);
      assert.ok(
        chunks.slice(0, -1).every((chunk) => chunk.usage === null),
        'usage only on the last chunk',
      );

      const reply = await settledReply(conversationIdOf(response.headers));
      assert.equal(reply.content, ALPHA_REPLY);
      assert.equal(reply.outputTokens, 7);
    });

    test('without include_usage the stream has no usage chunk, and ends with [DONE] on the wire', async () => {
      const response = await postRaw({
        model: 'fake:alpha',
        messages: [{ role: 'user', content: 'raw' }],
        stream: true,
      });
      assert.equal(response.status, 200);
      const events = (await response.text()).split('\n\n').filter(Boolean);
      assert.equal(events.at(-1), 'data: [DONE]');
      const chunks = events.slice(0, -1).map((event) => JSON.parse(event.replace(/^data: /, '')));
      assert.ok(chunks.every((chunk) => chunk.choices.length === 1 && !('usage' in chunk)));
      assert.equal(chunks.at(-1).choices[0].finish_reason, 'stop');
    });

    test('a conversation so far is stored in order and sent back to the model, assistant turns as its own', async () => {
      const { data: completion, response } = await openai.chat.completions
        .create({
          model: 'fake:alpha',
          messages: [
            { role: 'developer', content: 'Answer in English.' },
            {
              role: 'user',
              content: [
                { type: 'text', text: 'First ' },
                { type: 'text', text: 'question' },
              ],
            },
            { role: 'assistant', content: 'First answer' },
            { role: 'user', content: 'Second question' },
          ],
          temperature: 0.3,
          max_tokens: 50,
          user: 'ignored-end-user-id',
        })
        .withResponse();
      assert.equal(completion.choices[0]!.message.content, ALPHA_REPLY);
      const stored = await storedMessages(conversationIdOf(response.headers));
      assert.deepEqual(
        stored.map((message) => [message.role, message.content]),
        [
          ['user', 'First question'],
          ['assistant', 'First answer'],
          ['user', 'Second question'],
          ['assistant', ALPHA_REPLY],
        ],
      );
      assert.equal(stored[1]!.modelId, 'fake:alpha');
      assert.equal(stored[1]!.metadata.suppliedByClient, true, 'a supplied turn is told apart from a generated reply');
      assert.equal(stored[3]!.parentId, stored[2]!.id);

      const sent = fake.requestsFor('alpha').at(-1)!;
      assert.deepEqual(sent.messages, [
        { role: 'system', content: 'Answer in English.' },
        { role: 'user', content: 'First question' },
        { role: 'assistant', content: 'First answer' },
        { role: 'user', content: 'Second question' },
      ]);
      assert.equal(sent.body.temperature, 0.3);
      assert.equal(sent.body.max_tokens, 50);
    });

    test('an unknown or unusable model is a 404 naming the model, before anything is stored', async () => {
      const before = (await server.runtime.store.conversations.listForUser({ actor: await actor(), limit: 100 })).items
        .length;
      for (const [model, reason] of [
        ['fake:nope', /no such model/],
        ['fake:retired', /deprecated/],
        ['openai:gpt-4o', /not configured/],
      ] as const) {
        await assert.rejects(
          openai.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] }),
          (error: unknown) => {
            assert.ok(error instanceof OpenAI.NotFoundError, String(error));
            assert.match(error.message, new RegExp(model));
            assert.match(error.message, reason);
            assert.equal(error.code, 'not_found');
            assert.equal(error.param, 'model');
            assert.equal(error.type, 'invalid_request_error');
            return true;
          },
        );
      }
      const afterwards = (await server.runtime.store.conversations.listForUser({ actor: await actor(), limit: 100 }))
        .items.length;
      assert.equal(afterwards, before);
    });

    test('bad bodies are 400s naming what is wrong, in the error shape OpenAI clients read', async () => {
      const user = { role: 'user', content: 'hi' };
      const cases: [unknown, RegExp, string | null][] = [
        ['{not json', /json/i, null],
        [{ messages: [user] }, /model/, 'model'],
        [{ model: 'fake:alpha', messages: [] }, /messages/, 'messages'],
        [
          {
            model: 'fake:alpha',
            messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://x.test/a.png' } }] }],
          },
          /image_url.*not supported/,
          'messages.0.content',
        ],
        [
          { model: 'fake:alpha', messages: [{ role: 'tool', content: 'x', tool_call_id: 'c' }] },
          /tool_call_id/,
          'messages.0.tool_call_id',
        ],
        [
          { model: 'fake:alpha', messages: [{ role: 'system', content: 'only instructions' }] },
          /user message/,
          'messages',
        ],
        [{ model: 'fake:alpha', messages: [user], n: 2 }, /n = 1/, 'n'],
        [
          { model: 'fake:alpha', messages: [user], tools: [{ type: 'function', function: { name: 'f' } }] },
          /cannot call tools/,
          'tools',
        ],
        [{ model: 'fake:alpha', messages: [user], temperature: 3 }, /temperature/, 'temperature'],
      ];
      for (const [body, pattern, param] of cases) {
        const response = await postRaw(body);
        const error = await errorOf(response);
        assert.equal(response.status, 400, JSON.stringify(body));
        assert.equal(error.code, 'invalid_input');
        assert.equal(error.type, 'invalid_request_error');
        assert.equal(error.param, param, JSON.stringify(body));
        assert.match(error.message, pattern, JSON.stringify(body));
      }
      await assert.rejects(
        openai.chat.completions.create({
          model: 'fake:alpha',
          messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://x.test/a.png' } }] }],
        }),
        OpenAI.BadRequestError,
      );
    });

    test('without a valid key it is a 401, on every /v1 route', async () => {
      const stranger = new OpenAI({ baseURL: `${server.baseUrl}/v1`, apiKey: 'chorus_not-a-real-key', maxRetries: 0 });
      await assert.rejects(stranger.models.list(), OpenAI.AuthenticationError);
      await assert.rejects(
        stranger.chat.completions.create({ model: 'fake:alpha', messages: [{ role: 'user', content: 'hi' }] }),
        OpenAI.AuthenticationError,
      );
      const anonymous = await postRaw({ model: 'fake:alpha', messages: [{ role: 'user', content: 'hi' }] }, {});
      assert.equal(anonymous.status, 401);
      const error = await errorOf(anonymous);
      assert.deepEqual(Object.keys(error).sort(), ['code', 'message', 'param', 'type']);
      assert.equal(error.code, 'unauthorized');
      assert.equal(error.type, 'authentication_error');
      assert.equal(error.param, null);
      const unknownRoute = await fetch(`${server.baseUrl}/v1/embeddings`, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}` },
      });
      assert.equal(unknownRoute.status, 404);
      assert.equal((await errorOf(unknownRoute)).type, 'invalid_request_error');
    });

    test('a provider failure is a 502 without a completion; the reply is stored as an error', async () => {
      fake.scriptModel('broken', { failFirst: { count: 100, status: 500, retryAfterMs: 0 } });
      let conversationId: string | undefined;
      await assert.rejects(
        openai.chat.completions.create({ model: 'fake:broken', messages: [{ role: 'user', content: 'fail please' }] }),
        (error: unknown) => {
          assert.ok(error instanceof OpenAI.APIError && error.status === 502, String(error));
          assert.match(error.message, /HTTP 500/);
          assert.equal(error.code, 'provider_error');
          assert.equal(error.type, 'server_error');
          assert.equal(error.headers?.get('x-should-retry'), 'false', 'the server retried already');
          conversationId = error.headers?.get('x-chorus-conversation-id') ?? undefined;
          return true;
        },
      );
      const reply = await settledReply(conversationId!);
      assert.equal(reply.status, 'error');
      assert.equal(fake.requestsFor('broken').length, 1, 'the client did not retry');
    });

    test('a provider failing mid-stream ends the stream with an error after the text so far', async () => {
      fake.scriptModel('cut', { reply: 'This reply will be cut off before it ends.', chunkSize: 5, cutAfterChunks: 2 });
      const { data: stream, response } = await openai.chat.completions
        .create({ model: 'fake:cut', messages: [{ role: 'user', content: 'go' }], stream: true })
        .withResponse();
      let content = '';
      await assert.rejects(
        (async () => {
          for await (const chunk of stream) content += chunk.choices[0]?.delta.content ?? '';
        })(),
        (error: unknown) => {
          assert.ok(error instanceof OpenAI.APIError, String(error));
          assert.equal(error.code, 'provider_error');
          assert.equal(error.type, 'server_error');
          return true;
        },
      );
      assert.equal(content, 'This reply');
      const reply = await settledReply(conversationIdOf(response.headers));
      assert.equal(reply.status, 'error');
      assert.equal(reply.content, 'This reply');
    });

    test('a client that leaves a stream stops the reply: the provider call ends, what was said is kept', async () => {
      fake.scriptModel('slow', { reply: 'word '.repeat(400), chunkSize: 5, chunkDelayMs: 10 });
      const { data: stream, response } = await openai.chat.completions
        .create({ model: 'fake:slow', messages: [{ role: 'user', content: 'talk slowly' }], stream: true })
        .withResponse();
      let received = 0;
      for await (const chunk of stream) {
        if (chunk.choices[0]?.delta.content) received++;
        if (received === 3) break; // leaving the loop aborts the request
      }
      const reply = await settledReply(conversationIdOf(response.headers));
      assert.equal(reply.status, 'stopped');
      assert.ok(reply.content!.length > 0 && reply.content!.length < 2_000, `kept ${reply.content!.length} characters`);
      const [call] = fake.requestsFor('slow');
      await until(() => call!.outcome !== 'pending', 'the provider call ends');
      assert.equal(call!.outcome, 'client-closed', 'the provider was told to stop');
    });

    test('a client that leaves while waiting for a whole completion stops it too', async () => {
      fake.scriptModel('slow', { reply: 'word '.repeat(400), chunkSize: 5, chunkDelayMs: 10 });
      const leaving = new AbortController();
      const providerCalls = fake.requests.length + 1;
      const waiting = fetch(`${server.baseUrl}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
        body: JSON.stringify({ model: 'fake:slow', messages: [{ role: 'user', content: 'I will not wait' }] }),
        signal: leaving.signal,
      }).catch((error: unknown) => error);
      await fake.waitForRequests(providerCalls);
      await new Promise((resolve) => setTimeout(resolve, 100));
      leaving.abort();
      assert.ok((await waiting) instanceof Error);

      const [newest] = (await server.runtime.store.conversations.listForUser({ actor: await actor(), limit: 1 })).items;
      const reply = await settledReply(newest!.id);
      assert.equal(reply.status, 'stopped');
      const call = fake.requestsFor('slow').at(-1)!;
      await until(() => call.outcome !== 'pending', 'the provider call ends');
      assert.equal(call.outcome, 'client-closed');
    });

    test('the daily message limit applies: 429, and the client is told not to retry', async () => {
      const admin = await actor();
      assert.equal(admin.role, 'admin', 'the first account is the admin');
      const setLimits = (value: unknown) =>
        server.runtime.store.systemConfigs.set({ actor: admin, key: DAILY_MESSAGE_LIMITS_KEY, value });
      await setLimits({ admin: 1 });
      try {
        const first = await openai.chat.completions.create({
          model: 'fake:alpha',
          messages: [{ role: 'user', content: 'one' }],
        });
        assert.equal(first.choices[0]!.message.content, ALPHA_REPLY);
        await assert.rejects(
          openai.chat.completions.create({ model: 'fake:alpha', messages: [{ role: 'user', content: 'one more' }] }),
          (error: unknown) => {
            assert.ok(error instanceof OpenAI.RateLimitError, String(error));
            assert.equal(error.code, 'rate_limited');
            assert.equal(error.type, 'rate_limit_error');
            assert.equal(error.headers?.get('x-should-retry'), 'false');
            return true;
          },
        );
      } finally {
        await setLimits({ admin: null });
      }
    });

    test('only the message a request sends counts against the daily limit, not the earlier turns it carries again', async () => {
      const admin = await actor();
      const setLimits = (value: unknown) =>
        server.runtime.store.systemConfigs.set({ actor: admin, key: DAILY_MESSAGE_LIMITS_KEY, value });
      const usedToday = () =>
        server.runtime.store.dailyUsage.messagesOn({ userId: admin.id, day: usageDayOf(new Date()) });
      const sentBefore = await usedToday();
      const conversation = [
        { role: 'user' as const, content: 'first' },
        { role: 'assistant' as const, content: 'an answer' },
        { role: 'user' as const, content: 'second' },
        { role: 'assistant' as const, content: 'another answer' },
        { role: 'user' as const, content: 'third' },
      ];
      await setLimits({ admin: sentBefore + 2 });
      try {
        // Counted by stored user message, the first call alone would use up the allowance of two.
        for (let call = 0; call < 2; call++) {
          const completion = await openai.chat.completions.create({ model: 'fake:alpha', messages: conversation });
          assert.equal(completion.choices[0]!.message.content, ALPHA_REPLY);
        }
        assert.equal(await usedToday(), sentBefore + 2);
        await assert.rejects(
          openai.chat.completions.create({ model: 'fake:alpha', messages: conversation }),
          (error: unknown) => error instanceof OpenAI.RateLimitError,
        );
      } finally {
        await setLimits({ admin: null });
      }
    });
  });
}
