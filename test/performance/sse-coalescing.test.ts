// Text events that arrive in one read reach the AI SDK as one, and everything else exactly as sent.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { streamText } from 'ai';
import { readEnvironment } from '../../src/config/env.ts';
import {
  anthropicTextEvents,
  chatCompletionsTextEvents,
  createSseCoalescer,
  fetchWithCoalescedText,
  type TextEventFormat,
} from '../../src/performance/sse-coalescing.ts';
import { createProviderRegistry } from '../../src/providers/provider-registry.ts';

(globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;

const chunk = (choice: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, ...choice }], ...extra })}\n\n`;
const text = (content: string) => chunk({ delta: { content }, logprobs: null, finish_reason: null });
const finish = chunk({ delta: {}, finish_reason: 'stop' });
const usage = `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [], usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 } })}\n\n`;
const done = 'data: [DONE]\n\n';

/** The data of each event in a rewritten body, parsed. */
const events = (body: string) =>
  body
    .split('\n\n')
    .filter(Boolean)
    .map((block) => {
      const data = block
        .split('\n')
        .find((line) => line.startsWith('data: '))!
        .slice(6);
      return data === '[DONE]' ? data : JSON.parse(data);
    });

const rewrite = (format: TextEventFormat, ...reads: string[]) => {
  const coalescer = createSseCoalescer(format);
  return reads.map((read) => coalescer.push(read)).join('') + coalescer.end();
};

describe('Chat Completions text events', () => {
  test('a run of text events in one read becomes one event with their text, keeping the first one’s fields', () => {
    const body = rewrite(chatCompletionsTextEvents, text('Hel') + text('lo, ') + text('world') + finish + usage + done);
    const [merged, ...rest] = events(body);
    assert.deepEqual(merged, {
      id: 'c1',
      object: 'chat.completion.chunk',
      created: 1,
      model: 'm',
      choices: [{ index: 0, delta: { content: 'Hello, world' }, logprobs: null, finish_reason: null }],
    });
    assert.deepEqual(rest, events(finish + usage + done), 'the finish, the usage and the end pass through as sent');
  });

  test('text is never held back for a later read: each read is merged on its own', () => {
    const body = rewrite(chatCompletionsTextEvents, text('a') + text('b'), text('c') + text('d'));
    assert.deepEqual(
      events(body).map((event) => event.choices[0].delta.content),
      ['ab', 'cd'],
    );
  });

  test('an event cut between two reads is completed by the next one', () => {
    const whole = text('one') + text('two') + text('three');
    const cut = whole.length - 10;
    const body = rewrite(chatCompletionsTextEvents, whole.slice(0, cut), whole.slice(cut));
    assert.equal(
      events(body)
        .map((event) => event.choices[0].delta.content)
        .join(''),
      'onetwothree',
    );
  });

  test('events that say more than text are never merged: role, tool calls, reasoning, usage, another choice', () => {
    const said = [
      chunk({ delta: { role: 'assistant', content: '' } }),
      chunk({ delta: { tool_calls: [{ index: 0, id: 't', function: { name: 'f', arguments: '{}' } }] } }),
      chunk({ delta: { reasoning_content: 'hm', content: 'x' } }),
      text('y').replace('"choices"', '"usage":{"prompt_tokens":1},"choices"'),
      chunk({ index: 1, delta: { content: 'other choice' } }),
    ];
    const body = rewrite(chatCompletionsTextEvents, text('a') + said.join('') + text('b'));
    assert.equal(events(body).length, said.length + 2);
    assert.deepEqual(events(body).slice(1, -1), events(said.join('')));
  });

  test('comments and non-JSON data pass through untouched, and break a run', () => {
    const read = `${text('a')}: keep-alive\n\n${text('b')}${text('c')}data: not json\n\n${text('d')}`;
    const body = rewrite(chatCompletionsTextEvents, read);
    assert.equal(body.split('\n\n').filter(Boolean).length, 5);
    assert.ok(body.includes(': keep-alive\n\n') && body.includes('data: not json\n\n'));
    assert.ok(body.includes('"content":"bc"'));
  });

  test('a stream with CRLF line endings is passed through as it is', () => {
    const read = (text('a') + text('b')).replaceAll('\n', '\r\n');
    assert.equal(rewrite(chatCompletionsTextEvents, read), read);
  });
});

describe('reads of one whole event', () => {
  /** The reads a caller of the wrapped fetch gets, for a provider whose body arrives in these reads. */
  async function readsThrough(reads: Uint8Array[]): Promise<Uint8Array[]> {
    const provider = async () =>
      new Response(
        new ReadableStream<Uint8Array>({
          start(controller) {
            for (const read of reads) controller.enqueue(read);
            controller.close();
          },
        }),
        { headers: { 'content-type': 'text/event-stream' } },
      );
    const response = await fetchWithCoalescedText(chatCompletionsTextEvents, provider)('http://provider.test/');
    const got: Uint8Array[] = [];
    for await (const read of response.body!) got.push(read);
    return got;
  }
  const bytes = (body: string) => new TextEncoder().encode(body);
  const decoded = (reads: Uint8Array[]) => reads.map((read) => new TextDecoder().decode(read)).join('');

  test('a read holding a single whole event goes on as the very bytes read, untouched', async () => {
    const reads = [bytes(text('one')), bytes(text('two')), bytes(finish)];
    const got = await readsThrough(reads);
    assert.equal(got.length, 3);
    for (const [index, read] of got.entries()) assert.equal(read, reads[index], `read ${index} is passed on as read`);
  });

  test('a read that completes an event cut by the previous one is not passed on raw, and no text is lost', async () => {
    const whole = text('one') + text('two');
    const cut = text('one').length + 5;
    const reads = [bytes(whole.slice(0, cut)), bytes(whole.slice(cut)), bytes(text('three'))];
    const got = await readsThrough(reads);
    assert.ok(!got.includes(reads[1]!), 'the rest of a cut event is not taken for a whole one');
    assert.equal(got.at(-1), reads[2], 'after it, whole events go on as read again');
    assert.deepEqual(
      events(decoded(got)).map((event) => event.choices[0].delta.content),
      ['one', 'two', 'three'],
    );
  });
});

describe('Anthropic text events', () => {
  const delta = (index: number, deltaText: string) =>
    `event: content_block_delta\ndata: ${JSON.stringify({ type: 'content_block_delta', index, delta: { type: 'text_delta', text: deltaText } })}\n\n`;

  test('text deltas of one content block merge; another block, or another kind of event, does not', () => {
    const stop = `event: content_block_stop\ndata: ${JSON.stringify({ type: 'content_block_stop', index: 0 })}\n\n`;
    const thinking = `event: content_block_delta\ndata: ${JSON.stringify({ type: 'content_block_delta', index: 1, delta: { type: 'thinking_delta', thinking: 'hm' } })}\n\n`;
    const body = rewrite(
      anthropicTextEvents,
      delta(0, 'Bon') + delta(0, 'jour') + stop + thinking + delta(2, 'x') + delta(3, 'y'),
    );
    const blocks = body.split('\n\n').filter(Boolean);
    assert.equal(blocks.length, 5);
    assert.equal(blocks[0], delta(0, 'Bonjour').trimEnd());
    assert.equal(blocks[1], stop.trimEnd());
    assert.equal(blocks[2], thinking.trimEnd());
  });
});

describe('through the AI SDK', () => {
  let server: Server;
  let baseURL: string;
  const pieces = Array.from({ length: 500 }, (_, index) => `w${index} `);

  before(async () => {
    // A provider that sends its whole answer in one write, as a fast one does.
    server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.end(
          chunk({ delta: { role: 'assistant', content: '' } }) + pieces.map(text).join('') + finish + usage + done,
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('a burst of 500 text events arrives as a few text parts with all the text, the usage and the finish', async () => {
    const registry = createProviderRegistry(
      readEnvironment({ CHORUS_PROVIDER_BURST_BASE_URL: baseURL, CHORUS_PROVIDER_BURST_MODELS: 'm' }),
    );
    const result = streamText({
      model: registry.languageModel({ id: 'burst:m', provider: 'burst', providerModelId: 'm' }),
      messages: [{ role: 'user', content: 'go' }],
    });
    const parts: string[] = [];
    for await (const part of result.fullStream) if (part.type === 'text-delta') parts.push(part.text);
    assert.equal(parts.join(''), pieces.join(''));
    assert.ok(parts.length < 50, `${parts.length} text parts for 500 events`);
    assert.equal((await result.usage).outputTokens, 4);
    assert.equal(await result.finishReason, 'stop');
  });
});
