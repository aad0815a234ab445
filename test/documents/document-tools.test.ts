// A model with the `tools` capability writes documents through the document tools, over real HTTP with the real AI
// SDK providers pointed at the fake provider (OpenAI Chat Completions and Anthropic Messages wire formats): the
// calls and results are streamed and stored as tool parts, a document's content streams as it is written and is
// saved as a version, a failing tool is an error result the model reads, and a tool loop stops at the step limit.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { testBackends } from '../support/database.ts';
import {
  ANTHROPIC_WRITER,
  type ChatResult,
  chunksOf,
  documentIdOf,
  scriptCreateDocument,
  scriptToolTurn,
  startToolChat,
  type ToolChat,
} from '../support/tool-chat.ts';

process.env.AI_SDK_LOG_WARNINGS = 'false';

const STEP_LIMIT = 3;
const ODE = 'Tea is warm.\nTea is kind.\nTea is ever there.';

for (const kind of testBackends()) {
  describe(`document tools on ${kind}`, () => {
    let chat: ToolChat;
    before(async () => {
      chat = await startToolChat(kind, { CHORUS_MAX_TOOL_STEPS: String(STEP_LIMIT) });
    });
    after(() => chat?.close());

    const storedReply = async (result: ChatResult) =>
      chat.server.runtime.store.messages.getById({ actor: await chat.actor(), id: result.message.id });
    const versionsOf = async (id: string) =>
      chat.server.runtime.store.documents.listVersions({ actor: await chat.actor(), id });
    const createOde = () => {
      scriptCreateDocument(chat.fake, 'writer', ODE);
      return chat.ask('Write me an ode to tea');
    };

    test('createDocument streams the content as it is written, saves it as version 1, and the model goes on', async () => {
      chat.fake.reset();
      const result = await createOde();

      const progress = result.chunks.flatMap((chunk) =>
        chunk.type === 'data-tool-progress' ? [chunk.data as { text: string; documentId: string }] : [],
      );
      assert.ok(progress.length > 3, 'the content streamed in several pieces');
      assert.equal(progress.map((piece) => piece.text).join(''), ODE);
      const [call] = chunksOf(result, 'tool-input-available');
      assert.deepEqual(
        { toolName: call!.toolName, input: call!.input },
        { toolName: 'createDocument', input: { title: 'Ode to tea', kind: 'text' } },
      );
      const documentId = documentIdOf(result);
      assert.equal(progress[0]!.documentId, documentId);
      assert.deepEqual(
        (await versionsOf(documentId)).map(({ title, kind, content }) => ({ title, kind, content })),
        [{ title: 'Ode to tea', kind: 'text', content: ODE }],
      );

      // The model was offered the tools, asked for the content, then given the result, and went on.
      const requests = chat.fake.requestsFor('writer');
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
          ['text', 'Your document is ready.'],
        ],
      );
      // Every model call of the reply is paid for: both steps and the document's writing.
      assert.equal(reply.inputTokens, 70);
      assert.equal(reply.outputTokens, 41);
    });

    test('on the next turn the model is sent its earlier calls and their results, so it knows the document', async () => {
      chat.fake.reset();
      const conversationId = crypto.randomUUID();
      scriptCreateDocument(chat.fake, 'writer', ODE);
      const documentId = documentIdOf(await chat.ask('Write me an ode to tea', { conversationId }));
      chat.fake.scriptNextRequest({ reply: 'Sure.' }, 'writer');
      await chat.ask('What was its id?', { conversationId });
      const sent = chat.fake.requestsFor('writer').at(-1)!.messages as {
        role: string;
        content: unknown;
        tool_calls?: { function: { name: string } }[];
      }[];
      assert.deepEqual(
        sent.map((message) => message.role),
        ['user', 'assistant', 'tool', 'assistant', 'user'],
      );
      assert.equal(sent[1]!.tool_calls![0]!.function.name, 'createDocument');
      assert.match(JSON.stringify(sent[2]!.content), new RegExp(documentId));
    });

    test('updateDocument saves the revision as version 2', async () => {
      chat.fake.reset();
      const documentId = documentIdOf(await createOde());
      scriptToolTurn(
        chat.fake,
        { name: 'updateDocument', input: { id: documentId, description: 'make it about green tea' } },
        'Green tea is warm.',
      );
      const result = await chat.ask('Make it green tea');
      assert.equal(documentIdOf(result), documentId);
      assert.deepEqual(
        (await versionsOf(documentId)).map((version) => version.content),
        [ODE, 'Green tea is warm.'],
      );
      // The revision was asked for with the current content in front of the model.
      assert.match(JSON.stringify(chat.fake.requestsFor('writer').at(-2)!.body), /Tea is ever there/);
    });

    test('requestSuggestions saves the edits the model proposes on the current version', async () => {
      chat.fake.reset();
      const documentId = documentIdOf(await createOde());
      scriptToolTurn(
        chat.fake,
        { name: 'requestSuggestions', input: { documentId } },
        JSON.stringify([
          { originalText: 'Tea is warm.', suggestedText: 'Tea is hot.', description: 'stronger' },
          { originalText: 'Tea is kind.', suggestedText: 'Tea is gentle.', description: 'softer' },
          { originalText: 'Coffee is bitter.', suggestedText: 'x', description: 'not in the document' },
        ]),
      );
      const result = await chat.ask('Any suggestions?');
      const [output] = chunksOf(result, 'tool-output-available');
      const suggestions = (output!.output as { suggestions: { originalText: string }[] }).suggestions;
      assert.deepEqual(
        suggestions.map((suggestion) => suggestion.originalText),
        ['Tea is warm.', 'Tea is kind.'],
      );
      const listed = await chat.server.runtime.documents.listSuggestions({ actor: await chat.actor(), id: documentId });
      assert.deepEqual(
        listed.map((suggestion) => [suggestion.suggestedText, suggestion.isResolved]),
        [
          ['Tea is hot.', false],
          ['Tea is gentle.', false],
        ],
      );
    });

    test('a failing tool is an error result the model reads, and the reply goes on to complete', async () => {
      chat.fake.reset();
      const missing = crypto.randomUUID();
      chat.fake.scriptNextRequest(
        {
          reply: 'Updating.',
          toolCalls: [{ id: 'call_bad', name: 'updateDocument', input: { id: missing, description: 'x' } }],
        },
        'writer',
      );
      chat.fake.scriptNextRequest({ reply: 'That document does not exist, sorry.' }, 'writer');
      const result = await chat.ask('Update my document');
      const [failure] = chunksOf(result, 'tool-output-error');
      assert.match(failure!.errorText, new RegExp(missing));
      const toolMessage = chat.fake
        .requestsFor('writer')[1]!
        .messages.find((message) => (message as { role: string }).role === 'tool');
      assert.match(JSON.stringify(toolMessage), new RegExp(missing));
      const reply = await storedReply(result);
      assert.equal(reply.status, 'complete');
      assert.equal(reply.content, 'Updating.That document does not exist, sorry.');
      assert.equal(reply.parts[1]!.state, 'output-error');
    });

    test('input that does not match the tool is an error result naming what is wrong', async () => {
      chat.fake.reset();
      scriptToolTurn(chat.fake, { name: 'createDocument', input: { title: 'Untitled', kind: 'poem' } }, null);
      const result = await chat.ask('Write a poem document');
      assert.match(chunksOf(result, 'tool-output-error')[0]!.errorText, /invalid input for createDocument.*kind/s);
      assert.equal((await storedReply(result)).status, 'complete');
    });

    test('a model that keeps calling tools is stopped at the step limit', async () => {
      chat.fake.reset();
      chat.fake.scriptModel('writer', {
        reply: 'Again. ',
        toolCalls: [{ id: 'call_loop', name: 'noSuchTool', input: {} }],
      });
      try {
        const result = await chat.ask('Loop forever');
        assert.equal(chat.fake.requestsFor('writer').length, STEP_LIMIT);
        const reply = await storedReply(result);
        assert.equal(reply.status, 'complete');
        assert.equal(reply.metadata.stepLimit, STEP_LIMIT);
        assert.equal(reply.parts.filter((part) => part.type === 'tool-noSuchTool').length, STEP_LIMIT);
        assert.match(chunksOf(result, 'tool-output-error')[0]!.errorText, /there is no tool named noSuchTool/);
      } finally {
        chat.fake.reset();
      }
    });

    test('a model without the tools capability is offered none', async () => {
      chat.fake.reset();
      await chat.ask('Just talk', { modelId: 'fake:plain' });
      assert.equal(chat.fake.requestsFor('plain')[0]!.body.tools, undefined);
    });

    test('the Anthropic wire format carries the tool calls too', async () => {
      chat.fake.reset();
      scriptCreateDocument(chat.fake, ANTHROPIC_WRITER.split(':')[1]!, ODE);
      const result = await chat.ask('Write me an ode to tea', { modelId: ANTHROPIC_WRITER });
      const [latest] = (await versionsOf(documentIdOf(result))).slice(-1);
      assert.equal(latest!.content, ODE);
      assert.equal((await storedReply(result)).content, 'Let me write it.Your document is ready.');
    });
  });
}
