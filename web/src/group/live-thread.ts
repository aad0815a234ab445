// Another person's turn, as the events stream tells it, patched into the thread this page shows: a reply's new
// text, and the tools it calls as they are called and end, are added where that reply already is; anything else is
// refetched (see ChatView's live wiring).
import type { ChorusMessage, ConversationEvent } from '../types.ts';

type Part = ChorusMessage['parts'][number];
type ToolCallEvent = Extract<ConversationEvent, { type: 'reply-tool-call' }>;
type ToolResultEvent = Extract<ConversationEvent, { type: 'reply-tool-result' }>;
export type ToolEvent = ToolCallEvent | ToolResultEvent;

/** The thread with a tool call or its result patched in; null when its reply (or call) is not shown. */
export const withToolEvent = (messages: ChorusMessage[], event: ToolEvent) =>
  event.type === 'reply-tool-call' ? withToolCall(messages, event) : withToolResult(messages, event);

const isToolPartOf = (toolCallId: string) => (part: Part) =>
  part.type.startsWith('tool-') && (part as { toolCallId?: string }).toolCallId === toolCallId;

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

/**
 * The thread with the call added to the reply `messageId`, as the reply stream would show it (once: a call shown
 * already is left as it is); null when that reply is not shown.
 */
function withToolCall(messages: ChorusMessage[], event: ToolCallEvent): ChorusMessage[] | null {
  const { messageId, modelId, toolCallId, toolName, input } = event;
  const part = {
    type: `tool-${toolName}`,
    toolCallId,
    state: 'input-available',
    input,
    callProviderMetadata: { chorus: { messageId, modelId } },
  } as unknown as Part;
  if (messages.some((message) => message.parts.some(isToolPartOf(toolCallId)))) return messages;
  let found = false;
  const next = messages.map((message) => {
    const holdsReply = message.parts.some(
      (candidate) => candidate.type === 'text' && chorusMessageIdOf(candidate) === messageId,
    );
    if (message.role !== 'assistant' || !holdsReply) return message;
    found = true;
    return { ...message, parts: [...message.parts, part] };
  });
  return found ? next : null;
}

/** The thread with the call's output (or error) set; null when the call is not shown. */
function withToolResult(messages: ChorusMessage[], event: ToolResultEvent): ChorusMessage[] | null {
  const ending =
    event.errorText === undefined
      ? { state: 'output-available', output: event.output }
      : { state: 'output-error', errorText: event.errorText };
  let found = false;
  const next = messages.map((message) => {
    const index = message.parts.findIndex(isToolPartOf(event.toolCallId));
    if (message.role !== 'assistant' || index < 0) return message;
    found = true;
    const parts = [...message.parts];
    parts[index] = { ...parts[index], ...ending } as Part;
    return { ...message, parts };
  });
  return found ? next : null;
}

function chorusMessageIdOf(part: { providerMetadata?: unknown }): string | undefined {
  const chorus = (part.providerMetadata as { chorus?: { messageId?: unknown } } | undefined)?.chorus;
  return typeof chorus?.messageId === 'string' ? chorus.messageId : undefined;
}
