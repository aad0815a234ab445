// Event fan-out: `listeners` followers of one conversation's live events while one person sends messages to it,
// one at a time. For each message, each listener's delay from just before the POST to its `message-created`
// event and to its first `reply-delta`; the next message goes once every listener has had `turn-finished`.
import { ConversationListeners } from './event-listeners.ts';
import { type ChatTarget, sendChecked } from './turn-client.ts';

export type FanOutCounts = { listeners: number; warmup: number; messages: number; timeoutMs: number };

export type FanOutSamples = {
  listeners: number;
  /** Per message, per listener: ms from just before the POST. */
  messageCreatedMs: number[][];
  firstDeltaMs: number[][];
  /** Per message: the asker's own stream, request to its first text. */
  askerFirstDeltaMs: number[];
};

const MEASURED_TYPES = ['message-created', 'reply-delta', 'turn-finished'];

export async function measureFanOut(
  target: ChatTarget,
  conversationId: string,
  { listeners: count, warmup, messages, timeoutMs }: FanOutCounts,
): Promise<FanOutSamples> {
  const listeners = await ConversationListeners.open(
    { baseUrl: target.baseUrl, apiKey: target.apiKey, conversationId },
    { count, types: MEASURED_TYPES },
  );
  const samples: FanOutSamples = { listeners: count, messageCreatedMs: [], firstDeltaMs: [], askerFirstDeltaMs: [] };
  try {
    for (let index = 0; index < warmup + messages; index++) {
      listeners.startRound();
      const turn = await sendChecked(target, conversationId, { text: `Message ${index} to everyone.`, replies: 1 });
      await listeners.waitForAll('turn-finished', timeoutMs);
      if (listeners.problems.length > 0) throw new Error(`a listener failed: ${listeners.problems[0]}`);
      if (index < warmup) continue;
      const sinceRequest = (type: string) => Array.from(listeners.arrivals(type), (at) => at - turn.startedAt);
      samples.messageCreatedMs.push(sinceRequest('message-created'));
      samples.firstDeltaMs.push(sinceRequest('reply-delta'));
      samples.askerFirstDeltaMs.push(turn.replies[0]!.firstDeltaAt! - turn.startedAt);
    }
  } finally {
    listeners.close();
  }
  return samples;
}
