// A server whose models call tools, for the document tests: the fake provider serves `fake:writer` (Chat
// Completions) and the catalog's Anthropic model, both given the `tools` capability, and a signed-in person chats
// with them over /api/chat, reading the answer as useChat does.
import assert from 'node:assert/strict';
import type { UIMessage, UIMessageChunk } from 'ai';
import { inArray } from 'drizzle-orm';
import type { DatabaseKind } from '../../src/db/client.ts';
import { models } from '../../src/db/schema/index.ts';
import { seedModels } from '../../src/models/seed.ts';
import { registerDeclaredModels } from '../../src/providers/index.ts';
import { type Actor, actorOf } from '../../src/store/index.ts';
import { readChat } from './chat-stream.ts';
import { type FakeProvider, startFakeProvider } from './fake-provider.ts';
import { startTestServer, TestClient, type TestServer } from './server.ts';

export const WRITER = 'fake:writer';
export const ANTHROPIC_WRITER = 'anthropic:claude-sonnet-4-5-20250929';

export type ChatResult = { message: UIMessage; chunks: UIMessageChunk[] };

export type ToolChat = {
  server: TestServer;
  fake: FakeProvider;
  browser: TestClient;
  userId: string;
  actor(): Promise<Actor>;
  /** Sends one message to a new conversation (or `conversationId`) and reads the whole answer. */
  ask(text: string, options?: { modelId?: string; conversationId?: string }): Promise<ChatResult>;
  close(): Promise<void>;
};

export async function startToolChat(kind: DatabaseKind, env: Record<string, string> = {}): Promise<ToolChat> {
  const fake = await startFakeProvider();
  const server = await startTestServer(kind, {
    ANTHROPIC_API_KEY: 'test-key',
    ANTHROPIC_BASE_URL: fake.baseURL,
    CHORUS_PROVIDER_FAKE_BASE_URL: fake.baseURL,
    CHORUS_PROVIDER_FAKE_MODELS: 'writer,plain',
    CHORUS_PROVIDER_MAX_RETRIES: '0',
    ...env,
  });
  const db = server.runtime.database.db;
  await seedModels(db);
  await registerDeclaredModels(db, server.runtime.providers);
  await db
    .update(models)
    .set({ capabilities: ['tools'] })
    .where(inArray(models.id, [WRITER, ANTHROPIC_WRITER]));
  await server.runtime.modelCache.refresh();
  const browser = new TestClient(server.baseUrl);
  const signUp = await browser.post('/api/auth/sign-up/email', {
    email: `writer-${crypto.randomUUID()}@example.test`,
    password: 'a long enough password',
    name: 'Writer',
  });
  assert.equal(signUp.status, 200, JSON.stringify(signUp.body));
  const userId: string = signUp.body.user.id;
  return {
    server,
    fake,
    browser,
    userId,
    actor: async () => actorOf(await server.runtime.store.users.getById(userId)),
    async ask(text, { modelId = WRITER, conversationId = crypto.randomUUID() } = {}) {
      const response = await browser.open(
        'POST',
        '/api/chat',
        JSON.stringify({
          id: conversationId,
          messages: [{ id: crypto.randomUUID(), role: 'user', parts: [{ type: 'text', text }] }],
          modelIds: [modelId],
        }),
      );
      assert.equal(response.status, 200, await response.clone().text());
      const { message, chunks } = await readChat(response.body!);
      return { message: message!, chunks };
    },
    async close() {
      await server.close();
      await fake.close();
    },
  };
}

/** The chunks of one type in an answer. */
export const chunksOf = <Type extends UIMessageChunk['type']>(result: ChatResult, type: Type) =>
  result.chunks.filter((chunk): chunk is Extract<UIMessageChunk, { type: Type }> => chunk.type === type);

/** The id of the document the answer's first tool result names. */
export const documentIdOf = (result: ChatResult): string =>
  (chunksOf(result, 'tool-output-available')[0]!.output as { id: string }).id;

/**
 * Scripts the next three requests of `model` for a createDocument turn: the call (after some words), the content
 * written in small chunks, then the words after the result.
 */
export function scriptCreateDocument(fake: FakeProvider, model: string, content: string, title = 'Ode to tea') {
  fake.scriptNextRequest(
    {
      reply: 'Let me write it.',
      toolCalls: [{ id: 'call_create', name: 'createDocument', input: { title, kind: 'text' } }],
      usage: { inputTokens: 10, outputTokens: 5 },
    },
    model,
  );
  fake.scriptNextRequest(
    { reply: content, chunkSize: 3, chunkDelayMs: 5, usage: { inputTokens: 20, outputTokens: 30 } },
    model,
  );
  fake.scriptNextRequest({ reply: 'Your document is ready.', usage: { inputTokens: 40, outputTokens: 6 } }, model);
}

/** Scripts a turn that calls one tool with `input` and whose tool writes `toolAnswer` (when it calls the model). */
export function scriptToolTurn(
  fake: FakeProvider,
  call: { name: string; input: Record<string, unknown> },
  toolAnswer: string | null,
  model = 'writer',
) {
  fake.scriptNextRequest({ reply: '', toolCalls: [{ id: `call_${call.name}`, ...call }] }, model);
  if (toolAnswer !== null) fake.scriptNextRequest({ reply: toolAnswer }, model);
  fake.scriptNextRequest({ reply: 'Done.' }, model);
}
