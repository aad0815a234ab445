// A conversation's messages (GET /api/conversations/:id/messages) a page at a time, as the chat shows them, with
// the names and avatars of the models that wrote them and the reader's own votes. The first page is the newest;
// `olderCursor` fetches the page before it.
import { apiRequest } from '../api.ts';
import type { ChorusMessage, Page, StoredMessage, VoteValue } from '../types.ts';
import { modelAvatarsOf, modelNamesOf, toChatMessages, votesOf } from './stored-messages.ts';

/** Messages per page: the newest page when a conversation opens, and each older page after it. */
export const THREAD_PAGE_SIZE = 50;

export type Thread = {
  messages: ChorusMessage[];
  names: Map<string, string>;
  avatars: Map<string, string>;
  votes: Map<string, VoteValue>;
  /** Where the older messages start; null when this page reaches the first message. */
  olderCursor: string | null;
};

export const emptyThread = (): Thread => ({
  messages: [],
  names: new Map(),
  avatars: new Map(),
  votes: new Map(),
  olderCursor: null,
});

/** The newest page, or with `before` the page of messages older than that cursor. */
export async function fetchThread(conversationId: string, before?: string): Promise<Thread> {
  const query = new URLSearchParams({ limit: String(THREAD_PAGE_SIZE), ...(before ? { before } : {}) });
  const page = await apiRequest<Page<StoredMessage>>('GET', `/api/conversations/${conversationId}/messages?${query}`);
  const oldestFirst = [...page.items].reverse();
  return {
    messages: toChatMessages(oldestFirst),
    names: modelNamesOf(oldestFirst),
    avatars: modelAvatarsOf(oldestFirst),
    votes: votesOf(oldestFirst),
    olderCursor: page.nextCursor,
  };
}

export async function castVote(conversationId: string, messageId: string, value: VoteValue | null): Promise<void> {
  const path = `/api/conversations/${conversationId}/messages/${messageId}/vote`;
  if (value) await apiRequest('PUT', path, { value });
  else await apiRequest('DELETE', path);
}
