// Typed turn events for the adapters' tests: a turn of one or more replies, said as the engine says it.
import type { ReplySummary } from '../../src/chat/reply-summary.ts';
import type { TurnEvent } from '../../src/chat/turn-events.ts';

export const PARENT_ID = '01a25076-0000-7000-8000-000000000001';
export const STREAM_ID = 'stream-1';

export type ReplyScript = { messageId: string; modelId: string; words: string[]; summary: Partial<ReplySummary> };

/** A reply told from start to end: started, its words, its end (finished as `summary` says). */
export function replyEvents({ messageId, modelId, words, summary }: ReplyScript): TurnEvent[] {
  return [
    { type: 'reply-started', messageId, modelId, parentId: PARENT_ID, isFirstResponder: false },
    ...words.map((text): TurnEvent => ({ type: 'reply-text', messageId, modelId, text })),
    { type: 'reply-text-ended', messageId, modelId },
    { type: 'reply-finished', summary: finalSummary({ messageId, modelId, words, summary }) },
  ];
}

export function finalSummary({ messageId, modelId, summary }: ReplyScript): ReplySummary {
  return { messageId, modelId, status: 'complete', ...summary };
}
