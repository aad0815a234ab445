// A message as the API shows it, in one place for every route that returns messages and for the conversation
// events that carry one: the stored message (its columns' types, nullability and enum values from the messages
// table) plus what it takes to show it (the name of the model that wrote it, the caller's own vote on it).
// Plain Zod, named for the OpenAPI document with `.meta`: the events reuse this shape and know nothing of HTTP.
import { createSelectSchema } from 'drizzle-zod';
import { z } from 'zod';
import { messages } from '../../db/schema/index.ts';
import { withDeletedFilesMarked } from '../../files/message-files.ts';
import type { Message, ModelName } from '../../store/messages.ts';
import type { ThreadSummary } from '../../store/threads.ts';
import type { Vote } from '../../store/votes.ts';
import { modelNameSchema } from './model-name.ts';
import { isoTimestamp } from './timestamps.ts';
import { voteValueOf, voteValueSchema } from './vote.ts';

const messageRow = createSelectSchema(messages, {
  parts: z.array(z.looseObject({ type: z.string() })).meta({
    description: 'AI SDK UI message parts; a file part whose upload its uploader deleted carries `removed: true`',
  }),
  attachments: z.array(
    z.object({
      key: z.string(),
      name: z.string(),
      mediaType: z.string(),
      sizeBytes: z.number(),
      url: z.string().optional(),
    }),
  ),
  createdAt: isoTimestamp,
});

const threadSummarySchema = z.object({ replyCount: z.int().nonnegative(), lastReplyAt: isoTimestamp() });

export const messageSchema = messageRow
  .pick({
    id: true,
    conversationId: true,
    role: true,
    parentId: true,
    threadRootId: true,
    senderId: true,
    modelId: true,
    content: true,
    parts: true,
    attachments: true,
    status: true,
    costUsd: true,
    latencyMs: true,
    isFirstResponder: true,
    hasWebSearch: true,
    webSearchContextSize: true,
    createdAt: true,
  })
  .extend({
    parentId: messageRow.shape.parentId.meta({ description: 'The message this one answers' }),
    threadRootId: messageRow.shape.threadRootId.meta({
      description: 'The message whose thread this one is in; null in the main conversation',
    }),
    senderId: messageRow.shape.senderId.meta({ description: 'The person who wrote it; null for model replies' }),
    modelId: messageRow.shape.modelId.meta({ description: 'The model that wrote it; null for people' }),
    model: modelNameSchema.nullable().meta({ description: "The model's name, also once the model is retired" }),
    error: z.string().nullable().meta({ description: 'Why the reply failed, when it did' }),
    usage: messageRow.pick({ inputTokens: true, outputTokens: true, cachedInputTokens: true }),
    isFirstResponder: messageRow.shape.isFirstResponder.meta({
      description: 'The lead reply of a first-responder turn',
    }),
    myVote: voteValueSchema.nullable().meta({ description: 'Your vote on it, if you voted' }),
    thread: threadSummarySchema
      .nullable()
      .meta({ description: 'The thread hanging on it: how many messages, and when the newest came' }),
  })
  .meta({ id: 'Message' });

export type MessageDto = z.infer<typeof messageSchema>;

export function toMessageDto(
  message: Message,
  context: { model?: ModelName; vote?: Vote; thread?: ThreadSummary; deletedFileIds?: ReadonlySet<string> },
): MessageDto {
  const error = message.metadata.error;
  return {
    id: message.id,
    conversationId: message.conversationId,
    role: message.role,
    parentId: message.parentId,
    threadRootId: message.threadRootId,
    senderId: message.senderId,
    modelId: message.modelId,
    model: context.model
      ? { name: context.model.name, displayName: context.model.displayName, avatar: context.model.avatar }
      : null,
    content: message.content,
    parts: context.deletedFileIds ? withDeletedFilesMarked(message.parts, context.deletedFileIds) : message.parts,
    attachments: message.attachments,
    status: message.status,
    error: typeof error === 'string' ? error : null,
    usage: {
      inputTokens: message.inputTokens,
      outputTokens: message.outputTokens,
      cachedInputTokens: message.cachedInputTokens,
    },
    costUsd: message.costUsd,
    latencyMs: message.latencyMs,
    isFirstResponder: message.isFirstResponder,
    hasWebSearch: message.hasWebSearch,
    webSearchContextSize: message.webSearchContextSize,
    createdAt: message.createdAt.toISOString(),
    myVote: context.vote ? voteValueOf(context.vote) : null,
    thread: context.thread
      ? { replyCount: context.thread.replyCount, lastReplyAt: context.thread.lastReplyAt.toISOString() }
      : null,
  };
}
