// What the chat use cases (chat-service.ts) are asked, and what they answer: the requests every door translates to
// (POST /api/chat and its routes, the Discord bot), and the reply stream they get back.
import type { MessagePart } from '../db/schema/index.ts';
import type { Actor } from '../store/actor.ts';
import type { Conversation } from '../store/conversations.ts';
import type { TurnListener } from './turn-events.ts';

export type WebSearchRequest = { contextSize: 'low' | 'medium' | 'high' } | null | undefined;

export type SubmitRequest = {
  actor: Actor;
  conversationId: string;
  /** The client's id for the message: a retry with the same id never doubles it. */
  clientMessageId: string;
  parts: MessagePart[];
  /**
   * Editing: the message this one replaces (it and everything after it are removed; refused when that would remove
   * other people's messages and the sender may not manage the conversation: see MessageStore.deleteFollowing).
   */
  replacesMessageId?: string;
  /** Posts in the thread on this message of the conversation (see thread-target.ts). */
  threadId?: string;
  modelIds?: string[];
  webSearch?: WebSearchRequest;
  visibility?: Conversation['visibility'];
  /**
   * The client's request: if it is given up while the turn waits to be set up, the turn is dropped unsaved; once
   * given up, its reply stream is read no further (the turn itself goes on).
   */
  signal?: AbortSignal;
  /**
   * The client holds no earlier message of the conversation (useChat sent this one alone): the conversation is then
   * created without being looked for first, which a new chat's first reply would otherwise wait for.
   */
  likelyNewConversation?: boolean;
  /**
   * Told the turn's typed events, from its first (a door that shows replies its own way: the Discord bot). A retried
   * request that only re-attaches to its turn tells them nothing.
   */
  listeners?: TurnListener[];
};

export type RegenerateRequest = {
  actor: Actor;
  conversationId: string;
  /** The reply to redo, or the person's message whose replies are redone. */
  messageId: string;
  modelIds?: string[];
  webSearch?: WebSearchRequest;
  /** As in SubmitRequest. */
  signal?: AbortSignal;
};

export type AnotherReplyRequest = {
  actor: Actor;
  conversationId: string;
  /** The person's newest message, or one of its replies. */
  messageId: string;
  /** The model that answers it, beside the replies it has. */
  modelId: string;
  /** As in SubmitRequest. */
  signal?: AbortSignal;
};

/**
 * A turn's reply stream: its UI message chunks as JSON, in batches (as they are available together), to the end.
 * `retried`: the message had been taken already (a client's retry, a redelivered Discord message), so no new turn
 * started and this is the earlier turn's stream.
 */
export type ReplyStream = { streamId: string; batches: AsyncIterable<string[]>; retried: boolean };
