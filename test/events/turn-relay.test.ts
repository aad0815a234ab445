// A turn told to a conversation's followers: each typed turn event becomes the conversation events it stands for
// (the coalescing of text over a window is in test/chat/conversation-events.test.ts).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TurnEvent } from '../../src/chat/turn-events.ts';
import type { ConversationEvent } from '../../src/events/conversation-event.ts';
import type { ConversationEvents } from '../../src/events/conversation-event-bus.ts';
import { relayTurns } from '../../src/events/turn-relay.ts';
import { finalSummary, PARENT_ID, replyEvents, STREAM_ID } from '../support/turn-events.ts';

const beta = {
  messageId: '01a25076-0000-7000-8000-00000000000b',
  modelId: 'fake:beta',
  words: ['Hi'],
  summary: { status: 'error' as const, error: 'HTTP 500', latencyMs: 9 },
};

/**
 * A relay for one turn, and what it published (as sent: JSON), to which conversation; `followed: false` stands for a
 * conversation nobody follows, whose streaming text the bus leaves out.
 */
function relayOfOneTurn({ followed = true } = {}) {
  const published: { conversationId: string; event: ConversationEvent }[] = [];
  const recorder = {
    publish: (conversationId: string, event: ConversationEvent) => void published.push({ conversationId, event }),
    leftOutUnfollowed: () => !followed,
  } as Partial<ConversationEvents> as ConversationEvents;
  const relay = relayTurns(
    recorder,
    1_000,
  )({ conversationId: 'conversation-1', parentId: PARENT_ID, threadRootId: null, streamId: STREAM_ID });
  const events = () => JSON.parse(JSON.stringify(published.map((entry) => entry.event))) as ConversationEvent[];
  return { relay, published, events };
}

describe('the conversation events of a turn', () => {
  test('a conversation nobody follows is told how each reply starts and ends, not its streaming text', () => {
    const { relay, events } = relayOfOneTurn({ followed: false });
    for (const event of replyEvents(beta)) relay(event);
    assert.deepEqual(
      events().map((event) => event.type),
      ['reply-created', 'reply-finished'],
    );
  });

  test("a reply's start, first words, sources and end are published at once, to the turn's conversation", () => {
    const { relay, published, events } = relayOfOneTurn();
    const [started, words, ended, finished] = replyEvents(beta);
    const source: TurnEvent = {
      type: 'reply-source',
      messageId: beta.messageId,
      modelId: beta.modelId,
      sourceId: 'src-1',
      url: 'https://example.test/page',
    };
    for (const event of [
      { type: 'turn-started', streamId: STREAM_ID, replyIds: [beta.messageId] },
      started!,
      words!,
      source,
      ended!,
      finished!,
    ] satisfies TurnEvent[])
      relay(event);
    const reply = { messageId: beta.messageId, modelId: beta.modelId };
    assert.deepEqual(events(), [
      { type: 'reply-created', ...reply, parentId: PARENT_ID, threadRootId: null },
      { type: 'reply-delta', ...reply, delta: 'Hi' },
      { type: 'reply-source', ...reply, url: 'https://example.test/page' },
      { type: 'reply-finished', ...reply, status: 'error', latencyMs: 9, error: 'HTTP 500' },
    ]);
    assert.ok(published.every((entry) => entry.conversationId === 'conversation-1'));
  });

  test("a reply's tool calls and their results are published at once; a tool's progress is not", () => {
    const { relay, events } = relayOfOneTurn();
    const reply = { messageId: beta.messageId, modelId: beta.modelId };
    const call = { toolCallId: 'call-1', toolName: 'weather', input: { city: 'Oslo' } };
    relay({ type: 'reply-tool-call', ...reply, ...call });
    relay({
      type: 'reply-tool-progress',
      ...reply,
      toolCallId: 'call-1',
      progress: { type: 'document-text', documentId: 'd', title: 'Notes', kind: 'text', text: 'x' },
    });
    relay({ type: 'reply-tool-result', ...reply, outcome: { ...call, output: { degrees: 3 } } });
    relay({
      type: 'reply-tool-result',
      ...reply,
      outcome: { ...call, toolCallId: 'call-2', errorText: 'no such city' },
    });
    assert.deepEqual(events(), [
      { type: 'reply-tool-call', ...reply, ...call },
      { type: 'reply-tool-result', ...reply, toolCallId: 'call-1', toolName: 'weather', output: { degrees: 3 } },
      { type: 'reply-tool-result', ...reply, toolCallId: 'call-2', toolName: 'weather', errorText: 'no such city' },
    ]);
  });

  test('a turn whose every reply failed is an error, then finished; a failed turn is an error', () => {
    const finishedBadly = relayOfOneTurn();
    finishedBadly.relay({ type: 'turn-finished', summaries: [finalSummary(beta)], errorText: 'fake:beta: HTTP 500' });
    assert.deepEqual(finishedBadly.events(), [
      { type: 'turn-error', parentId: PARENT_ID, error: 'fake:beta: HTTP 500' },
      { type: 'turn-finished', parentId: PARENT_ID },
    ]);
    const failed = relayOfOneTurn();
    failed.relay({ type: 'turn-failed', errorText: 'the server could not save the reply' });
    assert.deepEqual(failed.events(), [
      { type: 'turn-error', parentId: PARENT_ID, error: 'the server could not save the reply' },
    ]);
  });

  test('the end of a turn sends the text still waiting in the window first', () => {
    const { relay, events } = relayOfOneTurn();
    const [started, words] = replyEvents({ ...beta, words: ['one ', 'two ', 'three'] });
    relay(started!);
    relay(words!);
    relay({ type: 'reply-text', messageId: beta.messageId, modelId: beta.modelId, text: 'more ' });
    relay({ type: 'reply-text', messageId: beta.messageId, modelId: beta.modelId, text: 'words' });
    assert.equal(events().length, 2, 'the text after the first words waits for the window');
    relay({ type: 'turn-failed', errorText: 'gone' });
    assert.deepEqual(
      events().map((event) => (event.type === 'reply-delta' ? event.delta : event.type)),
      ['reply-created', 'one ', 'more words', 'turn-error'],
    );
  });
});
