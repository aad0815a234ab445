// One thread beside the chat: read with GET /api/conversations/:id/threads/:messageId, written to with POST /api/chat
// and `threadId`. The replies reach every follower of the conversation as its live events (the panel shows them from
// there), so the answer to a post is only read to its end: that is when the turn is over.
import { ApiError, apiRequest } from '../api.ts';
import { modelAvatarsOf, modelNamesOf, toChatMessages, votesOf } from '../chat/stored-messages.ts';
import type { ChatRequestExtras, ChorusMessage, StoredThread, VoteValue } from '../types.ts';

export type SideThread = {
  /** The message the thread hangs on (a message inside a thread opens its thread). */
  rootId: string;
  root: ChorusMessage[];
  /** The thread's messages, oldest first, as the chat shows messages. */
  messages: ChorusMessage[];
  names: Map<string, string>;
  avatars: Map<string, string>;
  votes: Map<string, VoteValue>;
};

export async function fetchSideThread(conversationId: string, messageId: string): Promise<SideThread> {
  const path = `/api/conversations/${conversationId}/threads/${encodeURIComponent(messageId)}`;
  const thread = await apiRequest<StoredThread>('GET', path);
  const all = [thread.root, ...thread.items];
  return {
    rootId: thread.root.id,
    root: toChatMessages([thread.root]),
    messages: toChatMessages(thread.items),
    names: modelNamesOf(all),
    avatars: modelAvatarsOf(all),
    votes: votesOf(all),
  };
}

type Post = {
  conversationId: string;
  threadId: string;
  parts: ChorusMessage['parts'];
  extras: ChatRequestExtras;
  signal: AbortSignal;
};

/** Posts a person's message in the thread; settles when its replies have ended (or `signal` stopped the reading). */
export async function postInThread({ conversationId, threadId, parts, extras, signal }: Post): Promise<void> {
  const message = { id: crypto.randomUUID(), role: 'user', parts };
  const response = await fetch('/api/chat', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ id: conversationId, message, threadId, ...extras }),
    signal,
  });
  if (!response.ok) {
    const body = (await response.json().catch(() => undefined)) as { error?: { code?: string; message?: string } };
    throw new ApiError(
      response.status,
      body?.error?.code ?? 'internal',
      body?.error?.message ?? `The server answered ${response.status}`,
    );
  }
  await response.text().catch(() => {
    // Stopped reading: the turn goes on (or was stopped) on the server, and its events say how it ended.
  });
}
