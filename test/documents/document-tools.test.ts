// A model with the `tools` capability writes documents through the document tools, over real HTTP with the real AI
// SDK providers pointed at the fake provider (OpenAI Chat Completions and Anthropic Messages wire formats): the
// calls and results are streamed and stored as tool parts, a document's content streams as it is written and is
// saved as a version, a failing tool is an error result the model reads, and a tool loop stops at the step limit.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { UIMessage, UIMessageChunk } from 'ai';
import { inArray } from 'drizzle-orm';
import { models } from '../../src/db/schema/index.ts';
import { seedModels } from '../../src/models/seed.ts';
import { registerDeclaredModels } from '../../src/providers/index.ts';
import { actorOf } from '../../src/store/index.ts';
import { readChat } from '../support/chat-stream.ts';
import { testBackends } from '../support/database.ts';
import { type FakeProvider, startFakeProvider } from '../support/fake-provider.ts';
import { startTestServer, TestClient, type TestServer } from '../support/server.ts';

process.env.AI_SDK_LOG_WARNINGS = 'false';

const WRITER = 'fake:writer';
const ANTHROPIC_WRITER = 'anthropic:claude-sonnet-4-5-20250929';
const STEP_LIMIT = 3;
const ODE = 'Tea is warm.\nTea is kind.\nTea is ever there.';

type ChatResult = { message: UIMessage; chunks: UIMessageChunk[] };

for (const kind of testBackends()) {
  describe(`document tools on ${kind}`, () => {
    let server: TestServer;
    let fake: FakeProvider;
    let browser: TestClient;
    let userId: string;

    before(async () => {
      fake = await startFakeProvider();
      server = await startTestServer(kind, {
        ANTHROPIC_API_KEY: 'test-key',
        ANTHROPIC_BASE_URL: fake.baseURL,
        CHORUS_PROVIDER_FAKE_BASE_URL: fake.baseURL,
        CHORUS_PROVIDER_FAKE_MODELS: 'writer,plain',
        CHORUS_PROVIDER_MAX_RETRIES: '0',
        CHORUS_MAX_TOOL_STEPS: String(STEP_LIMIT),
      });
      const db = server.runtime.database.db;
      await seedModels(db);
      await registerDeclaredModels(db, server.runtime.providers);
      await db
        .update(models)
        .set({ capabilities: ['tools'] })
        .where(inArray(models.id, [WRITER, ANTHROPIC_WRITER]));
      await server.runtime.modelCache.refresh();
      browser = new TestClient(server.baseUrl);
      const signUp = await browser.post('/api/auth/sign-up/email', {
        email: `writer-${kind}@example.test`,
        password: 'a long enough password',
        name: 'Writer',
      });
      assert.equal(signUp.status, 200, JSON.stringify(signUp.body));
      userId = signUp.body.user.id;
    });
    after(async () => {
      await server?.close();
      await fake?.close();
    });

    const ask = async (text: string, modelId = WRITER, conversationId = crypto.randomUUID()): Promise<ChatResult> => {
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
    };
    const storedReply = async (result: ChatResult) => {
      const actor = actorOf(await server.runtime.store.users.getById(userId));
      return server.runtime.store.messages.getById({ actor, id: result.message.id });
    };
    const actor = async () => actorOf(await server.runtime.store.users.getById(userId));
    const chunksOf = <Type extends UIMessageChunk['type']>(result: ChatResult, type: Type) =>
      result.chunks.filter((chunk): chunk is Extract<UIMessageChunk, { type: Type }> => chunk.type === type);

    const createOde = async (modelId = WRITER) => {
      const model = modelId.split(':')[1];
      fake.scriptNextRequest(
        {
          reply: 'Let me write it.',
          toolCalls: [{ id: 'call_create', name: 'createDocument', input: { title: 'Ode to tea', kind: 'text' } }],
          usage: { inputTokens: 10, outputTokens: 5 },
        },
        model,
      );
      fake.scriptNextRequest({ reply: ODE, chunkSize: 3, usage: { inputTokens: 20, outputTokens: 30 } }, model);
      fake.scriptNextRequest({ reply: 'Your ode is ready.', usage: { inputTokens: 40, outputTokens: 6 } }, model);
      return ask('Write me an ode to tea', modelId);
    };

    test('createDocument streams the content as it is written, saves it as version 1, and the model goes on', async () => {
      fake.reset();
      const result = await createOde();

      const progress = chunksOf(result, 'data-tool-progress' as 'data-reply') as unknown as {
        data: { text: string; documentId: string; title: string };
      }[];
      assert.ok(progress.length > 3, 'the content streamed in several pieces');
      assert.equal(progress.map((chunk) => chunk.data.text).join(''), ODE);
      const [call] = chunksOf(result, 'tool-input-available');
      assert.deepEqual(
        { toolName: call!.toolName, input: call!.input },
        { toolName: 'createDocument', input: { title: 'Ode to tea', kind: 'text' } },
      );
      const [output] = chunksOf(result, 'tool-output-available');
      const documentId = (output!.output as { id: string }).id;
      assert.equal(progress[0]!.data.documentId, documentId);

      const versions = await server.runtime.store.documents.listVersions({ actor: await actor(), id: documentId });
      assert.deepEqual(
        versions.map((version) => ({ title: version.title, kind: version.kind, content: version.content })),
        [{ title: 'Ode to tea', kind: 'text', content: ODE }],
      );

      // The model was asked for the content, then given the result and went on.
      const requests = fake.requestsFor('writer');
      assert.equal(requests.length, 3);
      assert.deepEqual(
        (requests[0]!.body.tools as { function: { name: string } }[]).map((tool) => tool.function.name),
        ['createDocument', 'updateDocument', 'requestSuggestions'],
      );
      const toolMessage = requests[2]!.messages.find((message) => (message as { role: string }).role === 'tool');
      assert.match(JSON.stringify(toolMessage), new RegExp(documentId));

      const reply = await storedReply(result);
      assert.equal(reply.status, 'complete');
      assert.deepEqual(
        reply.parts.map((part) => [part.type, part.type === 'text' ? part.text : part.state]),
        [
          ['text', 'Let me write it.'],
          ['tool-createDocument', 'output-available'],
          ['text', 'Your ode is ready.'],
        ],
      );
      // Every model call of the reply is paid for: both steps and the document's writing.
      assert.equal(reply.inputTokens, 70);
      assert.equal(reply.outputTokens, 41);
    });

    test('updateDocument saves the revision as version 2', async () => {
      fake.reset();
      const created = await createOde();
      const documentId = (chunksOf(created, 'tool-output-available')[0]!.output as { id: string }).id;
      fake.scriptNextRequest(
        {
          reply: '',
          toolCalls: [
            {
              id: 'call_update',
              name: 'updateDocument',
              input: { id: documentId, description: 'make it about green tea' },
            },
          ],
        },
        'writer',
      );
      fake.scriptNextRequest({ reply: 'Green tea is warm.' }, 'writer');
      fake.scriptNextRequest({ reply: 'Updated.' }, 'writer');
      const result = await ask('Make it green tea');
      const [output] = chunksOf(result, 'tool-output-available');
      assert.equal((output!.output as { id: string }).id, documentId);
      const versions = await server.runtime.store.documents.listVersions({ actor: await actor(), id: documentId });
      assert.deepEqual(
        versions.map((version) => version.content),
        [ODE, 'Green tea is warm.'],
      );
      // The revision was asked for with the current content in front of the model.
      assert.match(JSON.stringify(fake.requestsFor('writer').at(-2)!.body), /Tea is ever there/);
    });

    test('requestSuggestions saves the edits the model proposes on the current version', async () => {
      fake.reset();
      const created = await createOde();
      const documentId = (chunksOf(created, 'tool-output-available')[0]!.output as { id: string }).id;
      fake.scriptNextRequest(
        { reply: '', toolCalls: [{ id: 'call_suggest', name: 'requestSuggestions', input: { documentId } }] },
        'writer',
      );
      fake.scriptNextRequest(
        {
          reply: JSON.stringify([
            { originalText: 'Tea is warm.', suggestedText: 'Tea is hot.', description: 'stronger' },
            { originalText: 'Tea is kind.', suggestedText: 'Tea is gentle.', description: 'softer' },
            { originalText: 'Coffee is bitter.', suggestedText: 'x', description: 'not in the document' },
          ]),
        },
        'writer',
      );
      fake.scriptNextRequest({ reply: 'Two ideas for you.' }, 'writer');
      const result = await ask('Any suggestions?');
      const [output] = chunksOf(result, 'tool-output-available');
      const suggestions = (output!.output as { suggestions: { originalText: string }[] }).suggestions;
      assert.deepEqual(
        suggestions.map((suggestion) => suggestion.originalText),
        ['Tea is warm.', 'Tea is kind.'],
      );
      const latest = await server.runtime.store.documents.getLatest({ actor: await actor(), id: documentId });
      const stored = await server.runtime.store.documents.listSuggestions({
        actor: await actor(),
        documentId,
        documentCreatedAt: latest.createdAt,
      });
      assert.deepEqual(
        stored.map((suggestion) => [suggestion.suggestedText, suggestion.isResolved]),
        [
          ['Tea is hot.', false],
          ['Tea is gentle.', false],
        ],
      );
    });

    test('a failing tool is an error result the model reads, and the reply goes on to complete', async () => {
      fake.reset();
      const missing = crypto.randomUUID();
      fake.scriptNextRequest(
        {
          reply: 'Updating.',
          toolCalls: [{ id: 'call_bad', name: 'updateDocument', input: { id: missing, description: 'x' } }],
        },
        'writer',
      );
      fake.scriptNextRequest({ reply: 'That document does not exist, sorry.' }, 'writer');
      const result = await ask('Update my document');
      const [failure] = chunksOf(result, 'tool-output-error');
      assert.match(failure!.errorText, new RegExp(`document ${missing} not found|not found`));
      const toolMessage = fake
        .requestsFor('writer')[1]!
        .messages.find((message) => (message as { role: string }).role === 'tool');
      assert.match(JSON.stringify(toolMessage), /not found/);
      const reply = await storedReply(result);
      assert.equal(reply.status, 'complete');
      assert.equal(reply.content, 'Updating.That document does not exist, sorry.');
      assert.equal(reply.parts[1]!.state, 'output-error');
    });

    test('a model that keeps calling tools is stopped at the step limit', async () => {
      fake.reset();
      fake.scriptModel('writer', {
        reply: 'Again. ',
        toolCalls: [{ id: 'call_loop', name: 'noSuchTool', input: {} }],
      });
      try {
        const result = await ask('Loop forever');
        assert.equal(fake.requestsFor('writer').length, STEP_LIMIT);
        const reply = await storedReply(result);
        assert.equal(reply.status, 'complete');
        assert.equal(reply.metadata.stepLimit, STEP_LIMIT);
        assert.equal(reply.parts.filter((part) => part.type === 'tool-noSuchTool').length, STEP_LIMIT);
        assert.match(chunksOf(result, 'tool-output-error')[0]!.errorText, /there is no tool named noSuchTool/);
      } finally {
        fake.reset();
      }
    });

    test('a model that cannot use tools is offered none', async () => {
      fake.reset();
      await ask('Just talk', 'fake:plain');
      assert.equal(fake.requestsFor('plain')[0]!.body.tools, undefined);
    });

    test('the Anthropic wire format carries the tool calls too', async () => {
      fake.reset();
      const result = await createOde(ANTHROPIC_WRITER);
      const [output] = chunksOf(result, 'tool-output-available');
      const documentId = (output!.output as { id: string }).id;
      const latest = await server.runtime.store.documents.getLatest({ actor: await actor(), id: documentId });
      assert.equal(latest.content, ODE);
      assert.equal((await storedReply(result)).content, 'Let me write it.Your ode is ready.');
    });
  });
}
