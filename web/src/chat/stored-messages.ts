// Stored messages (GET /api/conversations/:id/messages) as the chat shows them: every model's reply to one prompt
// joins one assistant message, shaped exactly like a live stream leaves it (see replies.ts), so one view renders
// both.
import type { ChorusMessage, ReplyData, StoredMessage, VoteValue } from '../types.ts';

/** `stored` oldest first. */
export function toChatMessages(stored: StoredMessage[]): ChorusMessage[] {
  const chat: ChorusMessage[] = [];
  let turn: { parentId: string | null; message: ChorusMessage } | undefined;
  for (const message of stored) {
    if (message.role === 'user') {
      turn = undefined;
      chat.push({
        id: message.id,
        role: 'user',
        metadata: { senderId: message.senderId, thread: message.thread },
        parts: userPartsOf(message),
      });
    } else if (message.role === 'assistant') {
      if (!turn || turn.parentId !== message.parentId) {
        turn = {
          parentId: message.parentId,
          message: { id: message.id, role: 'assistant', metadata: { parentId: message.parentId }, parts: [] },
        };
        chat.push(turn.message);
      }
      turn.message.parts.push(...replyPartsOf(message));
    }
  }
  return chat;
}

function userPartsOf(message: StoredMessage): ChorusMessage['parts'] {
  const parts = message.parts.flatMap((part): ChorusMessage['parts'] => {
    if (part.type === 'text' && typeof part.text === 'string') return [{ type: 'text', text: part.text }];
    if (part.type === 'file' && typeof part.url === 'string' && typeof part.mediaType === 'string') {
      const filename = typeof part.filename === 'string' ? part.filename : undefined;
      // Deleted by its uploader: the part stays, so the message can say what was there.
      const removed = part.removed === true ? { providerMetadata: { chorus: { removed: true } } } : {};
      return [{ type: 'file', url: part.url, mediaType: part.mediaType, filename, ...removed }];
    }
    return [];
  });
  return parts.length > 0 ? parts : [{ type: 'text', text: message.content ?? '' }];
}

function replyPartsOf(message: StoredMessage): ChorusMessage['parts'] {
  const chorus = { chorus: { messageId: message.id, ...(message.modelId ? { modelId: message.modelId } : {}) } };
  // Unknown figures are absent, as in the stream's summaries, rather than null.
  const summary: ReplyData = {
    messageId: message.id,
    modelId: message.modelId ?? '',
    status: message.status,
    inputTokens: message.usage.inputTokens ?? undefined,
    outputTokens: message.usage.outputTokens ?? undefined,
    cachedInputTokens: message.usage.cachedInputTokens ?? undefined,
    costUsd: message.costUsd ?? undefined,
    latencyMs: message.latencyMs ?? undefined,
    ...(message.error ? { error: message.error } : {}),
    ...(message.isFirstResponder ? { isFirstResponder: true } : {}),
    ...(message.thread ? { thread: message.thread } : {}),
  };
  const parts: ChorusMessage['parts'] = [];
  // A reply of a model nobody recorded (older rows) has no data-reply, so it shows as "unknown model".
  if (message.modelId) parts.push({ type: 'data-reply', id: message.id, data: summary });
  parts.push({ type: 'text', text: message.content ?? '', state: 'done', providerMetadata: chorus });
  for (const part of message.parts) {
    if (part.type === 'source-url' && typeof part.url === 'string') {
      parts.push({
        type: 'source-url',
        sourceId: typeof part.sourceId === 'string' ? part.sourceId : part.url,
        url: part.url,
        title: typeof part.title === 'string' ? part.title : undefined,
        providerMetadata: chorus,
      });
    } else if (part.type.startsWith('tool-') && typeof part.toolCallId === 'string') {
      // A tool call is stored as the AI SDK UI part it streamed as; the metadata places it in its reply.
      parts.push({ ...part, callProviderMetadata: chorus } as unknown as ChorusMessage['parts'][number]);
    }
  }
  return parts;
}

/** Display names of the models that wrote these messages (retired ones included). */
export function modelNamesOf(stored: StoredMessage[]): Map<string, string> {
  return new Map(
    stored.flatMap((message) =>
      message.modelId && message.model
        ? [[message.modelId, message.model.displayName ?? message.model.name] as const]
        : [],
    ),
  );
}

/** Short labels of the models that wrote these messages, for their avatars. */
export function modelAvatarsOf(stored: StoredMessage[]): Map<string, string> {
  return new Map(
    stored.flatMap((message) =>
      message.modelId && message.model?.avatar ? [[message.modelId, message.model.avatar] as const] : [],
    ),
  );
}

/** The caller's own votes on these messages. */
export function votesOf(stored: StoredMessage[]): Map<string, VoteValue> {
  return new Map(stored.flatMap((message) => (message.myVote ? [[message.id, message.myVote] as const] : [])));
}
