// MCP servers' tools in replies, over real HTTP with real MCP servers (streamable HTTP on 127.0.0.1 with a bearer
// token, and a stdio command) and the fake provider scripting the model's calls: a conversation that switched a
// server on offers its tools under the server's prefix, the result reaches the model, the parts are saved and the
// call is recorded; a conversation that did not offers none; a server that is down leaves the reply unharmed.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { testBackends } from '../support/database.ts';
import { type HttpMcpServer, MCP_TOKEN, STDIO_MCP_SERVER, startHttpMcpServer } from '../support/mcp-servers.ts';
import { type ChatResult, chunksOf, scriptToolTurn, startToolChat, type ToolChat } from '../support/tool-chat.ts';

process.env.AI_SDK_LOG_WARNINGS = 'false';

for (const kind of testBackends()) {
  describe(`MCP tools in replies on ${kind}`, () => {
    let chat: ToolChat;
    let mcp: HttpMcpServer;
    const ids = { calc: '', loud: '', gone: '' };

    before(async () => {
      chat = await startToolChat(kind, { CHORUS_MCP_CALL_TIMEOUT_MS: '2000' });
      mcp = await startHttpMcpServer();
      const register = async (body: Record<string, unknown>) => {
        const response = await chat.browser.post('/api/admin/tools', body);
        assert.equal(response.status, 201, JSON.stringify(response.body));
        return response.body.id as string;
      };
      ids.calc = await register({
        name: 'calc',
        transport: 'http',
        url: mcp.url,
        headers: { Authorization: `Bearer ${MCP_TOKEN}` },
      });
      ids.loud = await register({ name: 'loud', transport: 'stdio', ...STDIO_MCP_SERVER, env: { GREETING: 'Hello' } });
      // Nothing listens there.
      ids.gone = await register({ name: 'gone', transport: 'http', url: 'http://127.0.0.1:9/mcp' });
    });
    after(async () => {
      await chat?.close();
      await mcp?.close();
    });

    /** A conversation with one exchange in it and these servers switched on. */
    async function conversationWith(serverIds: string[]): Promise<string> {
      const conversationId = crypto.randomUUID();
      chat.fake.scriptNextRequest({ reply: 'Hi.' }, 'writer');
      await chat.ask('Hello', { conversationId });
      const changed = await chat.browser.request(
        'PATCH',
        `/api/conversations/${conversationId}`,
        JSON.stringify({ settings: { mcpServerIds: serverIds } }),
      );
      assert.equal(changed.status, 200, JSON.stringify(changed.body));
      assert.deepEqual(changed.body.settings.mcpServerIds, serverIds);
      return conversationId;
    }

    const offeredTools = (request: { body: Record<string, unknown> }) =>
      ((request.body.tools ?? []) as { function: { name: string } }[]).map((tool) => tool.function.name);
    const storedParts = async (result: ChatResult) => {
      const reply = await chat.server.runtime.store.messages.getById({
        actor: await chat.actor(),
        id: result.message.id,
      });
      return reply.parts.map((part) => [part.type, part.type === 'text' ? part.text : part.state]);
    };
    const recordedCalls = async (serverId: string) => {
      const response = await chat.browser.get(`/api/admin/tools/calls?serverId=${serverId}`);
      assert.equal(response.status, 200, JSON.stringify(response.body));
      return response.body.items as Record<string, unknown>[];
    };

    test('an HTTP server’s tool: offered with its prefix, called with the token, its result reaches the model, saved and recorded', async () => {
      const conversationId = await conversationWith([ids.calc, ids.loud]);
      chat.fake.reset();
      scriptToolTurn(chat.fake, { name: 'calc__add', input: { a: 2, b: 3 } }, null);
      const result = await chat.ask('What is 2 + 3?', { conversationId });

      const [asked, answered] = chat.fake.requestsFor('writer');
      assert.deepEqual(offeredTools(asked!).sort(), [
        'calc__add',
        'calc__fail',
        'calc__repeat',
        'calc__wait',
        'createDocument',
        'loud__add',
        'loud__fail',
        'loud__repeat',
        'loud__shout',
        'loud__wait',
        'requestSuggestions',
        'updateDocument',
      ]);
      const toolMessage = answered!.messages.find((message) => (message as { role: string }).role === 'tool');
      assert.deepEqual(JSON.parse((toolMessage as { content: string }).content), {
        content: [{ type: 'text', text: '5' }],
      });
      assert.deepEqual(mcp.calls.at(-1), { tool: 'add', input: { a: 2, b: 3 } });

      assert.deepEqual(chunksOf(result, 'tool-output-available')[0]!.output, {
        content: [{ type: 'text', text: '5' }],
      });
      assert.deepEqual(await storedParts(result), [
        ['tool-calc__add', 'output-available'],
        ['text', 'Done.'],
      ]);
      const [call] = await recordedCalls(ids.calc);
      assert.deepEqual(
        { ...call, id: undefined, startedAt: undefined, durationMs: undefined },
        {
          id: undefined,
          conversationId,
          messageId: result.message.id,
          userId: chat.userId,
          serverId: ids.calc,
          serverName: 'calc',
          toolName: 'add',
          toolCallId: 'call_calc__add',
          input: { a: 2, b: 3 },
          output: { content: [{ type: 'text', text: '5' }] },
          error: null,
          startedAt: undefined,
          durationMs: undefined,
        },
      );
      assert.ok(typeof call!.durationMs === 'number' && call!.durationMs >= 0);
    });

    test('a stdio server’s tool runs in its command, with the environment the admin set', async () => {
      const conversationId = await conversationWith([ids.loud]);
      chat.fake.reset();
      scriptToolTurn(chat.fake, { name: 'loud__shout', input: { text: 'tea' } }, null);
      const result = await chat.ask('Shout tea', { conversationId });

      const toolMessage = chat.fake
        .requestsFor('writer')[1]!
        .messages.find((message) => (message as { role: string }).role === 'tool');
      assert.match(JSON.stringify(toolMessage), /Hello TEA/);
      assert.deepEqual(await storedParts(result), [
        ['tool-loud__shout', 'output-available'],
        ['text', 'Done.'],
      ]);
      const [call] = await recordedCalls(ids.loud);
      assert.deepEqual([call!.toolName, call!.input, call!.error], ['shout', { text: 'tea' }, null]);
    });

    test('a tool’s error result is the model’s to read, stored as an error part and recorded with its error', async () => {
      const conversationId = await conversationWith([ids.calc]);
      chat.fake.reset();
      scriptToolTurn(chat.fake, { name: 'calc__fail', input: {} }, null);
      const result = await chat.ask('Try the station', { conversationId });

      const toolMessage = chat.fake
        .requestsFor('writer')[1]!
        .messages.find((message) => (message as { role: string }).role === 'tool');
      assert.match(JSON.stringify(toolMessage), /the weather station is offline/);
      assert.deepEqual(await storedParts(result), [
        ['tool-calc__fail', 'output-error'],
        ['text', 'Done.'],
      ]);
      const [call] = await recordedCalls(ids.calc);
      assert.deepEqual([call!.toolName, call!.error], ['fail', 'the weather station is offline']);
    });

    test('a result too long to keep is an error result, recorded with why', async () => {
      const conversationId = await conversationWith([ids.calc]);
      chat.fake.reset();
      scriptToolTurn(chat.fake, { name: 'calc__repeat', input: { times: 200_000 } }, null);
      const result = await chat.ask('Repeat', { conversationId });
      assert.deepEqual(await storedParts(result), [
        ['tool-calc__repeat', 'output-error'],
        ['text', 'Done.'],
      ]);
      const [call] = await recordedCalls(ids.calc);
      assert.deepEqual([call!.toolName, call!.output], ['repeat', null]);
      assert.match(String(call!.error), /more than the 100000 a reply keeps/);
    });

    test('a call that takes longer than CHORUS_MCP_CALL_TIMEOUT_MS is an error result, recorded', async () => {
      const conversationId = await conversationWith([ids.calc]);
      chat.fake.reset();
      scriptToolTurn(chat.fake, { name: 'calc__wait', input: { ms: 4_000 } }, null);
      const result = await chat.ask('Wait', { conversationId });
      assert.deepEqual(await storedParts(result), [
        ['tool-calc__wait', 'output-error'],
        ['text', 'Done.'],
      ]);
      const [call] = await recordedCalls(ids.calc);
      assert.deepEqual([call!.toolName, call!.output], ['wait', null]);
      assert.match(String(call!.error), /tim(ed? ?out|eout)/i);
    });

    test('a conversation that has not switched a server on, or switched it off, is offered none of its tools', async () => {
      chat.fake.reset();
      chat.fake.scriptNextRequest({ reply: 'Hi.' }, 'writer');
      await chat.ask('Hello');
      assert.deepEqual(offeredTools(chat.fake.requestsFor('writer')[0]!), [
        'createDocument',
        'updateDocument',
        'requestSuggestions',
      ]);

      const conversationId = await conversationWith([ids.calc]);
      const off = await chat.browser.request(
        'PATCH',
        `/api/conversations/${conversationId}`,
        JSON.stringify({ settings: { mcpServerIds: null } }),
      );
      assert.equal(off.status, 200);
      chat.fake.reset();
      chat.fake.scriptNextRequest({ reply: 'Hi again.' }, 'writer');
      await chat.ask('Hello again', { conversationId });
      assert.ok(!offeredTools(chat.fake.requestsFor('writer')[0]!).some((name) => name.includes('__')));
    });

    test('a server that is down is left out of the reply, whose other tools still work', async () => {
      const conversationId = await conversationWith([ids.gone, ids.calc]);
      chat.fake.reset();
      scriptToolTurn(chat.fake, { name: 'calc__add', input: { a: 1, b: 1 } }, null);
      const result = await chat.ask('1 + 1?', { conversationId });
      const offered = offeredTools(chat.fake.requestsFor('writer')[0]!);
      assert.ok(offered.includes('calc__add'));
      assert.ok(!offered.some((name) => name.startsWith('gone__')));
      assert.deepEqual(await storedParts(result), [
        ['tool-calc__add', 'output-available'],
        ['text', 'Done.'],
      ]);
    });

    test('replies reuse the connection to a server; a change to the server makes a new one', async () => {
      const conversationId = await conversationWith([ids.calc]);
      const listed = mcp.listings;
      for (const text of ['One', 'Two']) {
        chat.fake.scriptNextRequest({ reply: `${text}.` }, 'writer');
        await chat.ask(text, { conversationId });
      }
      assert.equal(mcp.listings, listed, 'no new connection, so no new listing of the tools');

      const changed = await chat.browser.request(
        'PATCH',
        `/api/admin/tools/${ids.calc}`,
        JSON.stringify({ description: 'Arithmetic, now described' }),
      );
      assert.equal(changed.status, 200);
      chat.fake.scriptNextRequest({ reply: 'Three.' }, 'writer');
      await chat.ask('Three', { conversationId });
      assert.equal(mcp.listings, listed + 1);
    });

    test('a model calling a tool of a server the conversation did not switch on gets an error result', async () => {
      const conversationId = await conversationWith([ids.loud]);
      chat.fake.reset();
      scriptToolTurn(chat.fake, { name: 'calc__add', input: { a: 1, b: 2 } }, null);
      const before = mcp.calls.length;
      const result = await chat.ask('1 + 2?', { conversationId });
      assert.equal(mcp.calls.length, before);
      assert.deepEqual(await storedParts(result), [
        ['tool-calc__add', 'output-error'],
        ['text', 'Done.'],
      ]);
    });
  });
}
