// How a reply ends when it is not simply complete: characters PostgreSQL cannot store, an end that cannot be saved,
// a reply past the server's size cap, a provider that fails or whose stream breaks off. Over real HTTP, with the AI
// SDK's own providers against a fake provider on 127.0.0.1.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { UIMessageChunk } from 'ai';
import { sql } from 'drizzle-orm';
import { seedModels } from '../../src/models/seed.ts';
import { registerDeclaredModels } from '../../src/providers/index.ts';
import { redactSecrets } from '../../src/providers/provider-errors.ts';
import type { Message } from '../../src/store/messages.ts';
import { readChat, textOf } from '../support/chat-stream.ts';
import { testBackends } from '../support/database.ts';
import { EventStream } from '../support/event-stream.ts';
import { type FakeProvider, startFakeProvider } from '../support/fake-provider.ts';
import { logsOf } from '../support/logs.ts';
import { type Person, signUp } from '../support/people.ts';
import { startTestServer, TestClient, type TestServer } from '../support/server.ts';

process.env.AI_SDK_LOG_WARNINGS = 'false';

const MAX_REPLY_CHARS = 1_000;
const LEAKED_KEY = 'sk-live-0123456789abcdefghijKLMNOP';
const ANTHROPIC_MODEL = 'anthropic:claude-sonnet-4-5-20250929';

describe('secrets in provider errors', () => {
  test('key-like strings are blanked out of what is logged; ordinary words and row ids are kept', () => {
    const text =
      `Incorrect API key provided: ${LEAKED_KEY}. Authorization: Bearer abc.def-123 ` +
      'url https://example.test/v1?key=AIzaSyA-1234567890abcdefghijklmnop "api_key": "hunter2" ' +
      'token 9f8e7d6c5b4a39281706f5e4d3c2b1a0ffee message 0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
    const redacted = redactSecrets(text);
    for (const secret of [
      LEAKED_KEY,
      'abc.def-123',
      'AIzaSyA-1234567890abcdefghijklmnop',
      'hunter2',
      '9f8e7d6c5b4a39281706f5e4d3c2b1a0ffee',
    ]) {
      assert.ok(!redacted.includes(secret), `${secret} is gone from ${redacted}`);
    }
    assert.match(redacted, /Incorrect API key provided/);
    assert.match(redacted, /0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b/);
  });
});

for (const kind of testBackends()) {
  describe(`how replies end on ${kind}`, () => {
    let server: TestServer;
    let fake: FakeProvider;
    let ann: Person;
    let apiKey: string;

    before(async () => {
      fake = await startFakeProvider({ defaults: { chunkSize: 8 } });
      server = await startTestServer(kind, {
        CHORUS_PROVIDER_FAKE_BASE_URL: fake.baseURL,
        CHORUS_PROVIDER_FAKE_MODELS: 'nul,poison,endless,leaky,limited,cut,early',
        ANTHROPIC_API_KEY: 'test-key',
        ANTHROPIC_BASE_URL: fake.baseURL,
        CHORUS_PROVIDER_MAX_RETRIES: '0',
        CHORUS_MAX_REPLY_CHARS: String(MAX_REPLY_CHARS),
      });
      const db = server.runtime.database.db;
      await seedModels(db);
      await registerDeclaredModels(db, server.runtime.providers);
      await server.runtime.modelCache.refresh();
      ann = await signUp(server, 'Ann');
      const key = await ann.client.post('/api/keys', { name: 'events' });
      apiKey = key.body.key;
    });
    after(async () => {
      await server?.close();
      await fake?.close();
    });

    /** Asks one model in a new conversation; the answer as useChat reads it, and the stored reply. */
    const ask = async (modelId: string, text = 'go', conversationId: string = crypto.randomUUID()) => {
      const response = await ann.client.open(
        'POST',
        '/api/chat',
        JSON.stringify({
          id: conversationId,
          modelIds: [modelId],
          message: { id: crypto.randomUUID(), role: 'user', parts: [{ type: 'text', text }] },
        }),
      );
      assert.equal(response.status, 200, await response.clone().text());
      const { message, chunks } = await readChat(response.body!);
      const page = await server.runtime.store.messages.page({ actor: ann.actor, conversationId, limit: 10 });
      const reply = page.items.find((item) => item.role === 'assistant') as Message;
      const summary = chunks
        .filter((chunk): chunk is Extract<UIMessageChunk, { type: `data-${string}` }> => chunk.type === 'data-reply')
        .map((chunk) => chunk.data as { status: string; error?: string; truncated?: boolean })
        .at(-1)!;
      return { conversationId, message: message!, chunks, reply, summary };
    };

    test('a NUL character or a lone surrogate in a reply is stored as U+FFFD; the rest of the reply is kept', async () => {
      fake.scriptModel('nul', { reply: 'before\u0000after, a half \ud83d pair, and a whole 😀 one' });
      const { reply, summary } = await ask('fake:nul');
      assert.equal(reply.status, 'complete');
      assert.equal(reply.content, 'before\ufffdafter, a half \ufffd pair, and a whole 😀 one');
      assert.deepEqual(reply.parts, [{ type: 'text', text: reply.content }]);
      assert.equal(summary.status, 'complete');
    });

    test('a reply whose end cannot be saved ends as an error at once: its row, the client and the live events are told', async () => {
      const db = server.runtime.database.db;
      // The database refuses to finish this one reply, for a reason that is not its text.
      await db.execute(
        sql.raw(`create or replace function refuse_poisoned_reply() returns trigger language plpgsql as $$
        begin
          if new.status = 'complete' and new.content like '%poison%' then raise exception 'refused by the test'; end if;
          return new;
        end $$`),
      );
      await db.execute(
        sql.raw(`create trigger refuse_poisoned_reply before update on messages
        for each row execute function refuse_poisoned_reply()`),
      );
      try {
        fake.scriptModel('poison', { reply: 'a poison pill of a reply' });
        const conversationId = crypto.randomUUID();
        await server.runtime.store.conversations.create({
          actor: ann.actor,
          id: conversationId,
          modelIds: ['fake:poison'],
        });
        const events = await EventStream.follow(server.baseUrl, conversationId, { bearer: apiKey });
        const { result } = await logsOf(() => ask('fake:poison', 'go', conversationId));
        const { reply, summary, chunks } = result;
        assert.equal(reply.status, 'error');
        assert.equal(reply.metadata.error, 'the reply could not be saved');
        assert.equal(summary.status, 'error');
        assert.ok(
          chunks.some((chunk) => chunk.type === 'error'),
          'the client is told',
        );
        const finished = await events.waitFor((event) => event.type === 'reply-finished');
        assert.deepEqual(
          [
            finished.event.type === 'reply-finished' && finished.event.status,
            finished.event.type === 'reply-finished' && finished.event.error,
          ],
          ['error', 'the reply could not be saved'],
        );
        events.close();
        assert.equal(await server.runtime.store.replies.countStreaming(conversationId), 0, 'nothing is left streaming');
      } finally {
        await db.execute(sql.raw('drop trigger refuse_poisoned_reply on messages'));
        await db.execute(sql.raw('drop function refuse_poisoned_reply()'));
      }
    });

    test('a reply past CHORUS_MAX_REPLY_CHARS is cut there, its provider call stopped, stored complete and marked truncated', async () => {
      fake.scriptModel('endless', { reply: 'na '.repeat(50_000), chunkSize: 30, chunkDelayMs: 1 });
      const { reply, summary, message } = await ask('fake:endless');
      assert.equal(reply.status, 'complete');
      assert.equal(reply.content, 'na '.repeat(50_000).slice(0, MAX_REPLY_CHARS));
      assert.deepEqual(reply.metadata, { truncated: true, maxReplyChars: MAX_REPLY_CHARS });
      assert.equal(summary.truncated, true, 'the client is told');
      assert.equal(textOf(message), reply.content, 'the client saw exactly what was kept');
      const [request] = fake.requestsFor('endless');
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(request!.outcome, 'client-closed', 'the provider call was stopped, not read to its end');
    });

    test('a provider refusal is shown as its status and a short cause, never its own words; the log keeps no key', async () => {
      fake.scriptModel('leaky', {
        failFirst: {
          count: 100,
          status: 401,
          body: { error: { message: `Incorrect API key provided: ${LEAKED_KEY}.` } },
        },
      });
      const { result, logs } = await logsOf(() => ask('fake:leaky'));
      const expected = 'the provider refused the request (HTTP 401: check the API key)';
      assert.equal(result.reply.metadata.error, expected);
      assert.equal(result.summary.error, expected);
      assert.ok(!JSON.stringify(result.chunks).includes(LEAKED_KEY), 'not in the chat stream');
      assert.match(logs, /HTTP 401/, 'the log says what happened');
      assert.match(logs, /Incorrect API key provided/);
      assert.ok(!logs.includes(LEAKED_KEY), 'the log has no key');

      const viaOpenAi = await logsOf(() =>
        new TestClient(server.baseUrl, { bearer: apiKey }).post('/v1/chat/completions', {
          model: 'fake:leaky',
          messages: [{ role: 'user', content: 'hi' }],
        }),
      );
      assert.equal(viaOpenAi.result.status, 502);
      assert.match(viaOpenAi.result.body.error.message, /HTTP 401: check the API key/);
      assert.ok(!JSON.stringify(viaOpenAi.result.body).includes(LEAKED_KEY), 'not in the /v1 answer');
      assert.ok(!viaOpenAi.logs.includes(LEAKED_KEY));
    });

    test('rate limits and server errors are named as such', async () => {
      fake.scriptModel('limited', {
        failFirst: { count: 100, status: 429, body: { error: { message: `slow down ${LEAKED_KEY}` } } },
      });
      assert.equal(
        (await logsOf(() => ask('fake:limited'))).result.reply.metadata.error,
        'rate limited by the provider (HTTP 429)',
      );
      fake.scriptModel('limited', { failFirst: { count: 100, status: 503, retryAfterMs: 0 } });
      assert.equal(
        (await logsOf(() => ask('fake:limited'))).result.reply.metadata.error,
        'the provider failed (HTTP 503: an error on its side)',
      );
    });

    test('a stream cut mid-reply is "the provider\'s stream broke off", keeping what was said, status error', async () => {
      fake.scriptModel('cut', { reply: 'This reply will be cut off before it ends.', chunkSize: 5, cutAfterChunks: 2 });
      const { result } = await logsOf(() => ask('fake:cut'));
      assert.equal(result.reply.status, 'error');
      assert.equal(result.reply.content, 'This reply');
      assert.equal(result.reply.metadata.error, "the provider's stream broke off");
    });

    test('a stream that ends before the provider says it is done broke off too, for an OpenAI-compatible and an Anthropic model', async () => {
      fake.scriptModel('early', { reply: 'Half of a reply, then nothing.', chunkSize: 5, endAfterChunks: 2 });
      fake.scriptModel('claude-sonnet-4-5-20250929', {
        reply: 'Half of a reply, then nothing.',
        chunkSize: 5,
        endAfterChunks: 2,
      });
      for (const modelId of ['fake:early', ANTHROPIC_MODEL]) {
        const { result } = await logsOf(() => ask(modelId));
        assert.equal(result.reply.status, 'error', modelId);
        assert.equal(result.reply.content, 'Half of a ', modelId);
        assert.equal(result.reply.metadata.error, "the provider's stream broke off", modelId);
      }
    });
  });
}
