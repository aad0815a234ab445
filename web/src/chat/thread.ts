// A conversation's newest messages (GET /api/conversations/:id/messages) as the chat shows them, with the names
// and avatars of the models that wrote them and the reader's own votes.
import { apiRequest } from '../api.ts';
import type { ChorusMessage, Page, StoredMessage, VoteValue } from '../types.ts';
import { modelAvatarsOf, modelNamesOf, toChatMessages, votesOf } from './stored-messages.ts';

/** The newest messages shown when a conversation opens. */
const HISTORY_PAGE_SIZE = 100;

export type Thread = {
  messages: ChorusMessage[];
  names: Map<string, string>;
  avatars: Map<string, string>;
  votes: Map<string, VoteValue>;
};

export const emptyThread = (): Thread => ({ messages: [], names: new Map(), avatars: new Map(), votes: new Map() });

export async function fetchThread(conversationId: string): Promise<Thread> {
  const page = await apiRequest<Page<StoredMessage>>('GET', `/api/conversations/${conversationId}/messages?limit=${HISTORY_PAGE_SIZE}`);
  const oldestFirst = [...page.items].reverse();
  return { messages: toChatMessages(oldestFirst), names: modelNamesOf(oldestFirst), avatars: modelAvatarsOf(oldestFirst), votes: votesOf(oldestFirst) };
}

export async function castVote(conversationId: string, messageId: string, value: VoteValue | null): Promise<void> {
  const path = `/api/conversations/${conversationId}/messages/${messageId}/vote`;
  if (value) await apiRequest('PUT', path, { value });
  else await apiRequest('DELETE', path);
}
