// Web search over real HTTP: each provider's real AI SDK client, pointed at the fake provider, must carry its own
// way of searching (OpenAI's tool on the Responses API, Anthropic's tool, OpenRouter's web plugin) with the size
// asked for; the reply records that it searched, and the pages it cites reach the client and the database.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { UIMessage, UIMessageChunk } from 'ai';
import { eq } from 'drizzle-orm';
import { models } from '../../src/db/schema/index.ts';
import { seedModels } from '../../src/models/seed.ts';
import { registerDeclaredModels } from '../../src/providers/index.ts';
import { webSearchCallOptions } from '../../src/providers/web-search.ts';
import { actorOf } from '../../src/store/index.ts';
import { readChat } from '../support/chat-stream.ts';
import { testBackends } from '../support/database.ts';
import { type FakeProvider, startFakeProvider } from '../support/fake-provider.ts';
import { startTestServer, TestClient, type TestServer } from '../support/server.ts';

process.env.AI_SDK_LOG_WARNINGS = 'false';

const OPENAI_MODEL = 'openai:gpt-4.1';
const ANTHROPIC_MODEL = 'anthropic:claude-sonnet-4-5-20250929';
const OPENROUTER_MODEL = 'openrouter:meta-llama/llama-4-maverick';
const SOURCES = [
  { url: 'https://example.org/weather', title: 'Weather today' },
  { url: 'https://example.net/forecast', title: 'The forecast' },
];

type ChatResult = {
  status: number;
  message?: UIMessage;
  chunks: UIMessageChunk[];
  error?: { error: { message: string } };
};

describe('web search options per provider', () => {
  test('Google searches with its grounding tool; providers without web search get nothing', () => {
    const google = webSearchCallOptions({ provider: 'google' }, 'high');
    assert.deepEqual(Object.keys(google!.tools!), ['google_search']);
    assert.equal((google!.tools!.google_search as { id: string }).id, 'google.google_search');
    assert.equal(webSearchCallOptions({ provider: 'ollama' }, 'high'), null);
    assert.equal(webSearchCallOptions({ provider: 'local' }, 'low'), null);
  });
});

for (const kind of testBackends()) {
  describe(`web search on ${kind}`, () => {
    let server: TestServer;
    let fake: FakeProvider;
    let apiKey: string;
    let userId: string;

    before(async () => {
      fake = await startFakeProvider({ models: { 'gpt-4.1': { reply: 'It is sunny.', sources: SOURCES } } });
      server = await startTestServer(kind, {
        OPENAI_API_KEY: 'test-key',
        OPENAI_BASE_URL: fake.baseURL,
        ANTHROPIC_API_KEY: 'test-key',
        ANTHROPIC_BASE_URL: fake.baseURL,
        OPENROUTER_API_KEY: 'test-key',
        OPENROUTER_BASE_URL: fake.baseURL,
        CHORUS_PROVIDER_FAKE_BASE_URL: fake.baseURL,
        CHORUS_PROVIDER_FAKE_MODELS: 'plain',
        CHORUS_PROVIDER_MAX_RETRIES: '0',
      });
      const db = server.runtime.database.db;
      await seedModels(db);
      await registerDeclaredModels(db, server.runtime.providers);
      // OpenRouter searches for any model; the registry marks which ones an admin lets search.
      await db
        .update(models)
        .set({ capabilities: ['web_search'] })
        .where(eq(models.id, OPENROUTER_MODEL));
      await server.runtime.modelCache.refresh();
      const browser = new TestClient(server.baseUrl);
      const signUp = await browser.post('/api/auth/sign-up/email', {
        email: `search-${kind}@example.test`,
        password: 'a long enough password',
        name: 'Searcher',
      });
      assert.equal(signUp.status, 200, JSON.stringify(signUp.body));
      userId = signUp.body.user.id;
      apiKey = (await browser.post('/api/keys', { name: 'tests' })).body.key;
    });
    after(async () => {
      await server?.close();
      await fake?.close();
    });

    const send = async (body: unknown): Promise<ChatResult> => {
      const response = await fetch(`${server.baseUrl}/api/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
        body: JSON.stringify(body),
      });
      if (!response.headers.get('content-type')?.startsWith('text/event-stream')) {
        return { status: response.status, chunks: [], error: (await response.json()) as ChatResult['error'] };
      }
      return { status: response.status, ...(await readChat(response.body!)) };
    };

    const ask = (text: string, modelId: string, webSearch?: { contextSize: string }) =>
      send({
        id: crypto.randomUUID(),
        messages: [{ id: crypto.randomUUID(), role: 'user', parts: [{ type: 'text', text }] }],
        modelIds: [modelId],
        webSearch,
      });

    const requestAbout = (text: string) => {
      const request = fake.requests.find((candidate) => JSON.stringify(candidate.messages).includes(text));
      assert.ok(request, `the provider was asked: ${text}`);
      return request;
    };

    /** The tools of a request the provider runs itself (the others are functions Chorus runs). */
    const providerTools = (request: { body: Record<string, unknown> }) =>
      ((request.body.tools ?? []) as { type?: string }[]).filter(
        (tool) => tool.type !== 'function' && tool.type !== 'custom' && tool.type !== undefined,
      );

    const replyTo = async (result: ChatResult) => {
      const actor = actorOf(await server.runtime.store.users.getById(userId));
      return server.runtime.store.messages.getById({ actor, id: result.message!.id });
    };

    test('OpenAI searches through the Responses API with the context size asked for; the reply records it', async () => {
      const result = await ask('weather in Paris?', OPENAI_MODEL, { contextSize: 'high' });
      assert.equal(result.status, 200, JSON.stringify(result.error));
      const request = requestAbout('weather in Paris?');
      assert.equal(request.api, 'openai-responses');
      // Beside the document tools a model with `tools` is offered (see test/documents).
      assert.deepEqual(providerTools(request), [{ type: 'web_search', search_context_size: 'high' }]);

      const reply = await replyTo(result);
      assert.equal(reply.hasWebSearch, true);
      assert.equal(reply.webSearchContextSize, 'high');
      assert.equal(reply.content, 'It is sunny.');
    });

    test('the pages a reply cites reach the client as source-url parts and are saved with the reply', async () => {
      const result = await ask('will it rain?', OPENAI_MODEL, { contextSize: 'medium' });
      assert.equal(result.status, 200, JSON.stringify(result.error));
      const streamed = result.chunks.filter((chunk) => chunk.type === 'source-url');
      assert.deepEqual(
        streamed.map((chunk) => ({ url: chunk.url, title: chunk.title })),
        SOURCES,
      );
      assert.ok(
        streamed.every((chunk) => (chunk.providerMetadata!.chorus as { modelId: string }).modelId === OPENAI_MODEL),
      );
      const shown = result.message!.parts.filter((part) => part.type === 'source-url');
      assert.deepEqual(
        shown.map((part) => part.url),
        SOURCES.map((source) => source.url),
      );

      const reply = await replyTo(result);
      assert.deepEqual(reply.parts[0], { type: 'text', text: 'It is sunny.' });
      assert.deepEqual(
        reply.parts.slice(1).map((part) => ({ type: part.type, url: part.url, title: part.title })),
        SOURCES.map((source) => ({ type: 'source-url', ...source })),
      );
    });

    test('without web search, OpenAI is called on Chat Completions with no search tool', async () => {
      const result = await ask('just chat, please', OPENAI_MODEL);
      assert.equal(result.status, 200, JSON.stringify(result.error));
      const request = requestAbout('just chat, please');
      assert.equal(request.api, 'openai');
      assert.deepEqual(providerTools(request), []);
      const reply = await replyTo(result);
      assert.equal(reply.hasWebSearch, false);
      assert.equal(reply.webSearchContextSize, null);
    });

    test('Anthropic gets its web search tool, a small context allowing a single search', async () => {
      const result = await ask('latest news?', ANTHROPIC_MODEL, { contextSize: 'low' });
      assert.equal(result.status, 200, JSON.stringify(result.error));
      const request = requestAbout('latest news?');
      assert.equal(request.api, 'anthropic');
      assert.deepEqual(providerTools(request), [{ type: 'web_search_20250305', name: 'web_search', max_uses: 1 }]);
      const reply = await replyTo(result);
      assert.equal(reply.hasWebSearch, true);
      assert.equal(reply.webSearchContextSize, 'low');
    });

    test('OpenRouter gets its web plugin and the context size', async () => {
      const result = await ask('stock prices?', OPENROUTER_MODEL, { contextSize: 'medium' });
      assert.equal(result.status, 200, JSON.stringify(result.error));
      const request = requestAbout('stock prices?');
      assert.deepEqual(request.body.plugins, [{ id: 'web', max_results: 5 }]);
      assert.deepEqual(request.body.web_search_options, { search_context_size: 'medium' });
    });

    test('a model that cannot search the web is refused by name, before anything is saved', async () => {
      const result = await ask('search please', 'fake:plain', { contextSize: 'high' });
      assert.equal(result.status, 400);
      assert.match(result.error!.error.message, /fake:plain: the model cannot search the web/);
      assert.equal(
        fake.requests.some((request) => JSON.stringify(request.messages).includes('search please')),
        false,
      );
    });
  });
}
