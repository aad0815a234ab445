// The web client's wire: a turn's typed events become the AI SDK UI message stream chunks useChat reads, written to
// the turn's stream log, which ends with the turn.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TurnEvent } from '../../src/chat/turn-events.ts';
import { uiChunksOf, writeUiMessageStream } from '../../src/chat/ui-message-stream.ts';
import { MemoryStreamLog } from '../../src/streams/memory-stream-log.ts';
import { finalSummary, PARENT_ID, replyEvents, STREAM_ID } from '../support/turn-events.ts';

const alpha = {
  messageId: '01a25076-0000-7000-8000-00000000000a',
  modelId: 'fake:alpha',
  words: ['Hello ', 'there.'],
  summary: { inputTokens: 12, outputTokens: 2, costUsd: 0.001, latencyMs: 40 },
};
const chorus = { chorus: { messageId: alpha.messageId, modelId: alpha.modelId } };

/** Everything a stream log holds once its stream has ended, parsed. */
async function readAll(log: MemoryStreamLog, streamId: string): Promise<unknown[]> {
  const entries = await log.read(streamId);
  assert.ok(entries, 'the stream exists');
  const chunks: unknown[] = [];
  for await (const entry of entries) chunks.push(JSON.parse(entry));
  return chunks;
}

describe('the UI message stream of a turn', () => {
  test('a reply streams as one UI message: start, its data-reply, its text and source, its final data-reply, finish', async () => {
    const log = new MemoryStreamLog();
    const write = writeUiMessageStream(log)({
      conversationId: 'c',
      parentId: PARENT_ID,
      threadRootId: null,
      streamId: STREAM_ID,
    });
    const [started, first, second, ended, finished] = replyEvents(alpha);
    const source: TurnEvent = {
      type: 'reply-source',
      messageId: alpha.messageId,
      modelId: alpha.modelId,
      sourceId: 'src-1',
      url: 'https://example.test/page',
      title: 'A page',
    };
    const summary = finalSummary(alpha);
    for (const event of [
      { type: 'turn-started', streamId: STREAM_ID, replyIds: [alpha.messageId] },
      started!,
      first!,
      source,
      second!,
      ended!,
      finished!,
      { type: 'turn-finished', summaries: [summary] },
    ] satisfies TurnEvent[])
      write(event);
    assert.equal(await log.isActive(STREAM_ID), false, 'the stream ends with the turn');
    assert.deepEqual(await readAll(log, STREAM_ID), [
      { type: 'start', messageId: alpha.messageId },
      { type: 'start-step' },
      {
        type: 'data-reply',
        id: alpha.messageId,
        data: { messageId: alpha.messageId, modelId: alpha.modelId, status: 'streaming' },
      },
      { type: 'text-start', id: alpha.messageId, providerMetadata: chorus },
      { type: 'text-delta', id: alpha.messageId, delta: 'Hello ' },
      {
        type: 'source-url',
        sourceId: 'src-1',
        url: 'https://example.test/page',
        title: 'A page',
        providerMetadata: chorus,
      },
      { type: 'text-delta', id: alpha.messageId, delta: 'there.' },
      { type: 'text-end', id: alpha.messageId },
      { type: 'data-reply', id: alpha.messageId, data: summary },
      { type: 'finish-step' },
      { type: 'finish', messageMetadata: { replies: [summary] } },
    ]);
    await log.close();
  });

  test('a turn whose every reply failed says why before it finishes; a failed turn ends with its error alone', () => {
    const failed = finalSummary({ ...alpha, summary: { status: 'error', error: 'HTTP 500' } });
    assert.deepEqual(uiChunksOf({ type: 'turn-finished', summaries: [failed], errorText: 'fake:alpha: HTTP 500' }), [
      { type: 'finish-step' },
      { type: 'error', errorText: 'fake:alpha: HTTP 500' },
      { type: 'finish', messageMetadata: { replies: [failed] } },
    ]);
    assert.deepEqual(uiChunksOf({ type: 'turn-failed', errorText: 'the server could not save the reply' }), [
      { type: 'error', errorText: 'the server could not save the reply' },
    ]);
  });

  test('a failed turn ends its stream too, so no reader waits forever', async () => {
    const log = new MemoryStreamLog();
    const write = writeUiMessageStream(log)({
      conversationId: 'c',
      parentId: PARENT_ID,
      threadRootId: null,
      streamId: STREAM_ID,
    });
    write({ type: 'turn-started', streamId: STREAM_ID, replyIds: [alpha.messageId] });
    write(replyEvents(alpha)[0]!);
    assert.equal(await log.isActive(STREAM_ID), true);
    write({ type: 'turn-failed', errorText: 'the server could not save the reply' });
    assert.equal(await log.isActive(STREAM_ID), false);
    assert.deepEqual((await readAll(log, STREAM_ID)).at(-1), {
      type: 'error',
      errorText: 'the server could not save the reply',
    });
    await log.close();
  });
});
