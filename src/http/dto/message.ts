// A message as the API shows it, in one place for every route that returns messages: the stored message plus what
// it takes to show it (the name of the model that wrote it, the caller's own vote on it).
import { z } from '@hono/zod-openapi';
import { messageRole, messageStatus, webSearchContextSize } from '../../db/schema/index.ts';
import { withDeletedFilesMarked } from '../../files/message-files.ts';
import type { Message, ModelName } from '../../store/messages.ts';
import type { Vote } from '../../store/votes.ts';
import { voteValueOf, voteValueSchema } from './vote.ts';

const tokenCount = z.number().int().nullable();

export const messageSchema = z
  .object({
    id: z.uuid(),
    conversationId: z.uuid(),
    role: z.enum(messageRole.enumValues),
    parentId: z.uuid().nullable().openapi({ description: 'The message this one answers' }),
    senderId: z.uuid().nullable().openapi({ description: 'The person who wrote it; null for model replies' }),
    modelId: z.string().nullable().openapi({ description: 'The model that wrote it; null for people' }),
    model: z
      .object({
        name: z.string(),
        displayName: z.string().nullable(),
        avatar: z.string().nullable().openapi({ description: 'A short label for the chat bubble, e.g. "G"' }),
      })
      .nullable()
      .openapi({ description: "The model's name, also once the model is retired" }),
    content: z.string().nullable(),
    parts: z.array(z.looseObject({ type: z.string() })).openapi({
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
    status: z.enum(messageStatus.enumValues),
    error: z.string().nullable().openapi({ description: 'Why the reply failed, when it did' }),
    usage: z.object({ inputTokens: tokenCount, outputTokens: tokenCount, cachedInputTokens: tokenCount }),
    costUsd: z.number().nullable(),
    latencyMs: z.number().int().nullable(),
    isFirstResponder: z.boolean().openapi({ description: 'The lead reply of a first-responder turn' }),
    hasWebSearch: z.boolean(),
    webSearchContextSize: z.enum(webSearchContextSize.enumValues).nullable(),
    createdAt: z.iso.datetime(),
    myVote: voteValueSchema.nullable().openapi({ description: 'Your vote on it, if you voted' }),
  })
  .openapi('Message');

export type MessageDto = z.infer<typeof messageSchema>;

export function toMessageDto(
  message: Message,
  context: { model?: ModelName; vote?: Vote; deletedFileIds?: ReadonlySet<string> },
): MessageDto {
  const error = message.metadata.error;
  return {
    id: message.id,
    conversationId: message.conversationId,
    role: message.role,
    parentId: message.parentId,
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
  };
}
