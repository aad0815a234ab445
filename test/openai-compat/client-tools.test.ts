// Function tools through /v1/chat/completions, driven by OpenAI's own `openai` client against a model on the fake
// provider: the tools and tool_choice reach the model, the calls it makes come back as `tool_calls` (streamed and
// not) with finish reason `tool_calls`, the client's tool results go back to the model, and the reply is priced.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import OpenAI from 'openai';
import { models } from '../../src/db/schema/index.ts';
import { testBackends } from '../support/database.ts';
import { startToolChat, type ToolChat, WRITER } from '../support/tool-chat.ts';

process.env.AI_SDK_LOG_WARNINGS = 'false';

const WEATHER_TOOL: OpenAI.Chat.Completions.ChatCompletionTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'The weather in a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};
const WEATHER_CALL = { id: 'call_weather', name: 'get_weather', input: { city: 'Paris' } };
const QUESTION = { role: 'user' as const, content: 'Weather in Paris?' };

for (const kind of testBackends()) {
  describe(`/v1 function tools on ${kind}`, () => {
    let chat: ToolChat;
    let openai: OpenAI;
    before(async () => {
      chat = await startToolChat(kind);
      await chat.server.runtime.database.db
        .update(models)
        .set({ pricing: { input: 2, output: 8 } })
        .where(eq(models.id, WRITER));
      await chat.server.runtime.modelCache.refresh();
      const key = await chat.browser.post('/api/keys', { name: 'agent' });
      assert.equal(key.status, 201, JSON.stringify(key.body));
      openai = new OpenAI({ baseURL: `${chat.server.baseUrl}/v1`, apiKey: key.body.key, maxRetries: 0 });
    });
    after(() => chat?.close());

    test('the model’s tool calls come back as tool_calls, with tool_choice passed on and the reply priced', async () => {
      chat.fake.reset();
      chat.fake.scriptNextRequest({
        reply: '',
        toolCalls: [WEATHER_CALL],
        usage: { inputTokens: 30, outputTokens: 9 },
      });
      const completion = await openai.chat.completions.create({
        model: WRITER,
        messages: [QUESTION],
        tools: [WEATHER_TOOL],
        tool_choice: 'required',
      });
      const [choice] = completion.choices;
      assert.equal(choice!.finish_reason, 'tool_calls');
      assert.equal(choice!.message.content, null);
      assert.deepEqual(choice!.message.tool_calls, [
        { id: 'call_weather', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
      ]);
      assert.deepEqual(completion.usage, { prompt_tokens: 30, completion_tokens: 9, total_tokens: 39 });

      const [request] = chat.fake.requestsFor('writer');
      assert.equal(request!.body.tool_choice, 'required');
      const offered = request!.body.tools as { function: { name: string; parameters: unknown } }[];
      assert.deepEqual(
        offered.map((tool) => [tool.function.name, tool.function.parameters]),
        [['get_weather', WEATHER_TOOL.function.parameters]],
      );
      // Only the client's tools: the server's own document tools are not offered on /v1.
      const reply = await chat.server.runtime.store.messages.getById({
        actor: await chat.actor(),
        id: completion.id.replace('chatcmpl-', ''),
      });
      assert.equal(reply.costUsd, (30 * 2 + 9 * 8) / 1_000_000);
      assert.deepEqual(reply.parts, [
        { type: 'tool-get_weather', toolCallId: 'call_weather', state: 'input-available', input: { city: 'Paris' } },
      ]);
    });

    test('the client’s tool results go back to the model, which answers', async () => {
      chat.fake.reset();
      chat.fake.scriptNextRequest({ reply: 'It is 18 °C in Paris.' });
      const completion = await openai.chat.completions.create({
        model: WRITER,
        tools: [WEATHER_TOOL],
        messages: [
          QUESTION,
          {
            role: 'assistant',
            content: null,
            tool_calls: [
              {
                id: 'call_weather',
                type: 'function',
                function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
              },
            ],
          },
          { role: 'tool', tool_call_id: 'call_weather', content: '18 °C, clear' },
        ],
      });
      assert.equal(completion.choices[0]!.message.content, 'It is 18 °C in Paris.');
      assert.equal(completion.choices[0]!.finish_reason, 'stop');
      const sent = chat.fake.requestsFor('writer')[0]!.messages as {
        role: string;
        content: unknown;
        tool_calls?: { id: string; function: { name: string } }[];
        tool_call_id?: string;
      }[];
      assert.deepEqual(
        sent.map((message) => message.role),
        ['user', 'assistant', 'tool'],
      );
      assert.equal(sent[1]!.tool_calls![0]!.function.name, 'get_weather');
      assert.equal(sent[2]!.tool_call_id, 'call_weather');
      assert.equal(sent[2]!.content, '18 °C, clear');
    });

    test('streamed, the tool calls arrive as tool_calls deltas, then the finish reason and the usage', async () => {
      chat.fake.reset();
      chat.fake.scriptNextRequest({ reply: 'Checking.', toolCalls: [WEATHER_CALL] });
      const stream = await openai.chat.completions.create({
        model: WRITER,
        messages: [QUESTION],
        tools: [WEATHER_TOOL],
        stream: true,
        stream_options: { include_usage: true },
      });
      let content = '';
      const calls: { id?: string; name?: string; arguments: string }[] = [];
      let finish: string | null = null;
      let usage: OpenAI.CompletionUsage | null | undefined;
      for await (const chunk of stream) {
        const [choice] = chunk.choices;
        content += choice?.delta.content ?? '';
        for (const piece of choice?.delta.tool_calls ?? []) {
          calls[piece.index] ??= { arguments: '' };
          const call = calls[piece.index]!;
          call.id ??= piece.id;
          call.name ??= piece.function?.name;
          call.arguments += piece.function?.arguments ?? '';
        }
        finish = choice?.finish_reason ?? finish;
        usage = chunk.usage ?? usage;
      }
      assert.equal(content, 'Checking.');
      assert.deepEqual(calls, [{ id: 'call_weather', name: 'get_weather', arguments: '{"city":"Paris"}' }]);
      assert.equal(finish, 'tool_calls');
      assert.ok(usage && usage.total_tokens > 0);
    });

    test('tools for a model that cannot call them, or a tool message answering no call, are a 400 naming the field', async () => {
      const refusals = [
        [{ model: 'fake:plain', messages: [QUESTION], tools: [WEATHER_TOOL] }, 'tools', /cannot call tools/],
        [
          { model: WRITER, messages: [QUESTION, { role: 'tool', tool_call_id: 'nope', content: 'x' }] },
          'messages.1.tool_call_id',
          /tool_call_id/,
        ],
        [
          {
            model: WRITER,
            messages: [QUESTION],
            tools: [WEATHER_TOOL],
            tool_choice: { type: 'function', function: { name: 'other' } },
          },
          'tool_choice',
          /other/,
        ],
      ] as const;
      for (const [body, param, pattern] of refusals) {
        await assert.rejects(
          openai.chat.completions.create(
            body as unknown as OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming,
          ),
          (error: InstanceType<typeof OpenAI.APIError>) => {
            assert.equal(error.status, 400);
            assert.equal(error.param, param);
            assert.match(error.message, pattern);
            return true;
          },
        );
      }
    });
  });
}
