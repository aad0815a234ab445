// The shapes the app reads from the API, as far as it uses them. The server's Zod schemas (src/http/dto/, the
// OpenAPI document at /api/openapi.json) are the reference; these are the client's view of them.
import type { UIMessage } from 'ai';

export type Profile = {
  id: string;
  email: string | null;
  username: string;
  displayName: string | null;
  role: 'user' | 'admin';
  isGuest: boolean;
};

export type Page<Item> = { items: Item[]; nextCursor: string | null };

export type ConversationSummary = {
  id: string;
  title: string | null;
  visibility: 'private' | 'public';
  role: 'owner' | 'admin' | 'member';
  lastMessageAt: string;
};

export type PickableModel = {
  id: string;
  provider: string;
  name: string;
  displayName: string | null;
  avatar: string | null;
  description: string | null;
  contextWindow: number;
  pricing: { input: number; output: number; cacheRead?: number | null };
  capabilities: string[];
  status: 'active' | 'beta';
};

export type StoredMessage = {
  id: string;
  role: 'user' | 'assistant' | 'system' | 'tool';
  parentId: string | null;
  /** The person who wrote it; null for model replies. */
  senderId: string | null;
  modelId: string | null;
  model: { name: string; displayName: string | null; avatar: string | null } | null;
  content: string | null;
  parts: Array<{ type: string; [key: string]: unknown }>;
  status: 'streaming' | 'complete' | 'stopped' | 'error';
  error: string | null;
  usage: { inputTokens: number | null; outputTokens: number | null; cachedInputTokens: number | null };
  costUsd: number | null;
  latencyMs: number | null;
  createdAt: string;
  myVote: VoteValue | null;
  /** The lead's reply in first-responder mode, when the API reports it (the messages DTO does not yet). */
  isFirstResponder?: boolean;
};

export type VoteValue = 'up' | 'down';

/** What the server reports about each model's reply, in a `data-reply` part (src/chat/reply.ts, ReplySummary). */
export type ReplySummary = {
  messageId: string;
  modelId: string;
  status: 'streaming' | 'complete' | 'stopped' | 'error';
  inputTokens?: number | null;
  outputTokens?: number | null;
  cachedInputTokens?: number | null;
  costUsd?: number | null;
  latencyMs?: number | null;
  error?: string;
  truncated?: boolean;
  isFirstResponder?: boolean;
};

/**
 * What the app keeps with a message: who wrote it (null: a model; absent: sent from this page), and for a stored
 * assistant turn the message it answers (to join a turn split between two pages of the thread).
 */
export type ChorusMetadata = { senderId?: string | null; parentId?: string | null };

/** A chat message in the app: the AI SDK's, with Chorus's `data-reply` parts. */
export type ChorusMessage = UIMessage<ChorusMetadata, { reply: ReplySummary }>;

/** Names of models by id, from GET /api/models and from the messages (which also name retired models). */
export type ModelNames = ReadonlyMap<string, string>;
