// Another person's turn, as the events stream tells it, patched into the thread this page shows: a reply's new
// text is added where that reply already is; anything else is refetched (see ChatView's live wiring).
import type { ChorusMessage } from '../types.ts';

/** The thread with `delta` added to the reply `messageId`; null when that reply is not shown yet (refetch). */
export function withReplyDelta(messages: ChorusMessage[], messageId: string, delta: string): ChorusMessage[] | null {
  let found = false;
  const next = messages.map((message) => {
    if (message.role !== 'assistant') return message;
    const index = message.parts.findIndex((part) => part.type === 'text' && chorusMessageIdOf(part) === messageId);
    if (index < 0) return message;
    found = true;
    const parts = [...message.parts];
    const part = parts[index] as Extract<ChorusMessage['parts'][number], { type: 'text' }>;
    parts[index] = { ...part, text: part.text + delta, state: 'streaming' };
    return { ...message, parts };
  });
  return found ? next : null;
}

function chorusMessageIdOf(part: { providerMetadata?: unknown }): string | undefined {
  const chorus = (part.providerMetadata as { chorus?: { messageId?: unknown } } | undefined)?.chorus;
  return typeof chorus?.messageId === 'string' ? chorus.messageId : undefined;
}
