// /v1's wire: a one-model turn's typed events become Chat Completions chunks (or, folded, one completion), read
// in-process from a queue that holds every event of the turn from its first.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TurnEventQueue } from '../../src/chat/turn-event-queue.ts';
import type { TurnEvent } from '../../src/chat/turn-events.ts';
import { type CompletionStreamEvent, collectCompletion, toCompletionChunks } from '../../src/openai-compat/chunks.ts';
import { finalSummary, replyEvents, STREAM_ID } from '../support/turn-events.ts';

const alpha = {
  messageId: '01a25076-0000-7000-8000-00000000000a',
  modelId: 'fake:alpha',
  words: ['Hello ', 'there.'],
  summary: { inputTokens: 12, outputTokens: 7, cachedInputTokens: 4 },
};
const identity = { id: 'chatcmpl-1', model: 'fake:alpha', created: 1_700_000_000, outputTokenLimit: 100 };
const turnStarted: TurnEvent = { type: 'turn-started', streamId: STREAM_ID, replyIds: [alpha.messageId] };

async function* from(events: TurnEvent[]): AsyncGenerator<TurnEvent> {
  yield* events;
}

async function collect(events: AsyncIterable<CompletionStreamEvent>): Promise<CompletionStreamEvent[]> {
  const collected: CompletionStreamEvent[] = [];
  for await (const event of events) collected.push(event);
  return collected;
}

const choice = (delta: object, finishReason: string | null = null) => ({
  index: 0,
  delta,
  logprobs: null,
  finish_reason: finishReason,
});
const head = { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1_700_000_000, model: 'fake:alpha' };

describe('Chat Completions chunks of a turn', () => {
  test('a reply is a role delta, its text, a finish chunk and, when asked, its usage', async () => {
    const summary = finalSummary(alpha);
    const events = [turnStarted, ...replyEvents(alpha), { type: 'turn-finished', summaries: [summary] }] as TurnEvent[];
    assert.deepEqual(await collect(toCompletionChunks(from(events), identity, { includeUsage: true })), [
      { ...head, choices: [choice({ role: 'assistant', content: '' })], usage: null },
      { ...head, choices: [choice({ content: 'Hello ' })], usage: null },
      { ...head, choices: [choice({ content: 'there.' })], usage: null },
      { ...head, choices: [choice({}, 'stop')], usage: null },
      {
        ...head,
        choices: [],
        usage: {
          prompt_tokens: 12,
          completion_tokens: 7,
          total_tokens: 19,
          prompt_tokens_details: { cached_tokens: 4 },
        },
      },
    ]);
    const completion = await collectCompletion(toCompletionChunks(from(events), identity, { includeUsage: true }));
    assert.equal(completion.choices[0]?.message.content, 'Hello there.');
    assert.equal(completion.choices[0]?.finish_reason, 'stop');
  });

  test('a reply that used its whole allowance finishes with length', async () => {
    const summary = finalSummary({ ...alpha, summary: { outputTokens: 100 } });
    const events: TurnEvent[] = [
      turnStarted,
      { type: 'reply-finished', summary },
      { type: 'turn-finished', summaries: [summary] },
    ];
    const chunks = await collect(toCompletionChunks(from(events), identity, { includeUsage: false }));
    assert.deepEqual(chunks.at(-1), { ...head, choices: [choice({}, 'length')] });
  });

  test("a failed reply ends the stream with an error event giving the reply's reason, after the text so far", async () => {
    const failed = { ...alpha, words: ['Hel'], summary: { status: 'error' as const, error: 'the stream broke off' } };
    const events = [
      turnStarted,
      ...replyEvents(failed),
      { type: 'turn-finished', summaries: [finalSummary(failed)], errorText: 'fake:alpha: the stream broke off' },
    ] as TurnEvent[];
    const chunks = await collect(toCompletionChunks(from(events), identity, { includeUsage: false }));
    assert.deepEqual(chunks.slice(1, 2), [{ ...head, choices: [choice({ content: 'Hel' })] }]);
    assert.equal(chunks.length, 3);
    assert.deepEqual(chunks.at(-1), {
      error: { code: 'provider_error', message: 'the stream broke off', type: 'server_error', param: null },
    });
    await assert.rejects(
      collectCompletion(toCompletionChunks(from(events), identity, { includeUsage: true })),
      /the stream broke off/,
    );
  });

  test('a turn that failed ends the stream with its error', async () => {
    const events: TurnEvent[] = [
      turnStarted,
      { type: 'turn-failed', errorText: 'the server could not save the reply' },
    ];
    const chunks = await collect(toCompletionChunks(from(events), identity, { includeUsage: false }));
    assert.deepEqual(chunks.at(-1), {
      error: {
        code: 'provider_error',
        message: 'the server could not save the reply',
        type: 'server_error',
        param: null,
      },
    });
  });
});

describe('the queue of a turn’s events', () => {
  test('events told before the reader came are read first, then the rest live, up to the turn’s last', async () => {
    const queue = new TurnEventQueue();
    const [started, ...rest] = replyEvents(alpha);
    queue.listener(turnStarted);
    queue.listener(started!);
    const reading = (async () => {
      const read: TurnEvent[] = [];
      for await (const event of queue.events()) read.push(event);
      return read;
    })();
    await new Promise((resolve) => setImmediate(resolve));
    for (const event of rest) queue.listener(event);
    const finished: TurnEvent = { type: 'turn-finished', summaries: [finalSummary(alpha)] };
    queue.listener(finished);
    queue.listener({ type: 'turn-failed', errorText: 'after the end: never read' });
    assert.deepEqual(await reading, [turnStarted, started, ...rest, finished]);
  });

  test('a reader that gives up stops reading, though the turn goes on', async () => {
    const queue = new TurnEventQueue();
    const reader = new AbortController();
    queue.listener(turnStarted);
    const read: TurnEvent[] = [];
    const reading = (async () => {
      for await (const event of queue.events(reader.signal)) read.push(event);
    })();
    await new Promise((resolve) => setImmediate(resolve));
    reader.abort();
    await reading;
    assert.deepEqual(read, [turnStarted]);
  });
});
