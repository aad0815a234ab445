// What a message is, as stored and as callers see it, and what saving one takes. Types only (and one marker), so
// the modules that read, write and seal messages all depend on this one and not on each other.
import type { messages } from '../db/schema/index.ts';

export type MessageRow = typeof messages.$inferSelect;
/** A message as callers see it: the text in the clear, however it is stored. */
export type Message = Omit<MessageRow, 'encryptedContent' | 'encryptionKeyId'>;

type MessageInsert = typeof messages.$inferInsert;
/** Some of a message's columns, each optional. */
export type Optional<Key extends keyof MessageInsert> = Partial<Pick<MessageInsert, Key>>;
/** What a finished reply records about its generation. */
export type ReplyAccounting = 'inputTokens' | 'outputTokens' | 'cachedInputTokens' | 'costUsd' | 'latencyMs';

/**
 * Metadata of the turns a client supplied as the conversation so far (the OpenAI-compatible API's earlier
 * messages): a person's were sent before, so they count against no daily limit, and an assistant's is no reply this
 * server generated.
 */
export const SUPPLIED_BY_CLIENT = { suppliedByClient: true } as const;

/** A message to save. The store sets the id (UUIDv7) unless given, the sender and, unless given, the time. */
export type NewMessage = Pick<MessageInsert, 'role'> &
  Optional<
    | 'id'
    | 'requestId'
    | 'modelId'
    | 'modelVersion'
    | 'parts'
    | 'content'
    | 'attachments'
    | 'parentId'
    | 'threadRootId'
    | 'isFirstResponder'
    | 'hasWebSearch'
    | 'webSearchContextSize'
    | 'status'
    | ReplyAccounting
    | 'metadata'
    | 'createdAt'
  >;
