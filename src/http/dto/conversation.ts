// A conversation as the API shows it: the summary a list holds, the whole of one with its models and people, and
// the generation settings a client may change. The stored fields come from the conversations table.
import { z } from '@hono/zod-openapi';
import { createSelectSchema } from 'drizzle-zod';
import { MAX_CHAR_LIMIT, REPLY_MODES } from '../../chat/turn-plan.ts';
import { conversations } from '../../db/schema/index.ts';
import { modelIdSchema } from '../../models/model-schema.ts';
import type { ConversationModel } from '../../store/conversation-models.ts';
import type { Conversation, ConversationListItem } from '../../store/conversations.ts';
import type { ModelName } from '../../store/messages.ts';
import type { ParticipantWithUser } from '../../store/participants.ts';
import { conversationModelSchema, toConversationModelDto } from './conversation-model.ts';
import { participantRoleSchema, participantSchema, toParticipantDto } from './participant.ts';
import { isoTimestamp } from './timestamps.ts';

/** The settings the turn runner sends to the models, with the ranges the API accepts. */
const parameterFields = {
  systemPrompt: z.string().max(20_000),
  temperature: z.number().min(0).max(2),
  maxOutputTokens: z.number().int().min(1).max(1_000_000),
};

type NullableFields<Fields extends Record<string, z.ZodType>> = { [Key in keyof Fields]: z.ZodNullable<Fields[Key]> };

function nullableFields<Fields extends Record<string, z.ZodType>>(fields: Fields): NullableFields<Fields> {
  return Object.fromEntries(
    Object.entries(fields).map(([key, field]) => [key, field.nullable()]),
  ) as NullableFields<Fields>;
}

/** How the conversation's models answer (see chat/turn-plan.ts). */
const settingFields = {
  replyMode: z.enum(REPLY_MODES).openapi({
    description: 'single: the first model alone; parallel: all at once; first_responder: a lead, then the others',
  }),
  firstResponderModelId: modelIdSchema.meta({
    description: 'The lead in first_responder mode (default: the first model)',
  }),
  charLimit: z.number().int().min(0).max(MAX_CHAR_LIMIT).openapi({
    description: 'Characters per reply; 0 means none. Unset: 280 in parallel and first_responder modes, none otherwise',
  }),
  mcpServerIds: z
    .array(z.uuid())
    .max(50)
    .openapi({ description: 'The MCP servers whose tools the models (those with the tools capability) are offered' }),
};

/** A change to some reply settings: each one given is set, null removes it, the others stay. */
export const settingChangesSchema = z
  .strictObject(nullableFields(settingFields))
  .partial()
  .openapi('ConversationSettingChanges');

export const conversationParametersSchema = z.looseObject(parameterFields).partial().openapi('ConversationParameters');

/** Stored reply settings: the known ones, and any other key kept from before (shown, never dropped). */
export const conversationSettingsSchema = z
  .looseObject({ ...settingFields, charLimit: settingFields.charLimit.nullable() })
  .partial()
  .openapi('ConversationSettings');

/** A change to some settings: each one given is set, null removes it, the others stay. Unknown keys are a 400. */
export const parameterChangesSchema = z
  .strictObject(nullableFields(parameterFields))
  .partial()
  .openapi('ConversationParameterChanges');

const role = participantRoleSchema;

const conversationRow = createSelectSchema(conversations, {
  createdAt: isoTimestamp,
  updatedAt: isoTimestamp,
  lastMessageAt: isoTimestamp,
});

const summaryFields = conversationRow.pick({
  id: true,
  title: true,
  visibility: true,
  origin: true,
  createdAt: true,
  updatedAt: true,
  lastMessageAt: true,
});

export const conversationSummarySchema = summaryFields
  .extend({
    role: role.openapi({ description: 'Your role in it' }),
    pinned: z.boolean().openapi({ description: 'You pinned it: it heads your list' }),
    archived: z.boolean().openapi({ description: 'You archived it: it is out of your list (still searchable)' }),
    folderId: z.uuid().nullable().openapi({ description: 'The folder of yours it is in' }),
  })
  .openapi('ConversationSummary');

// From the same fields, not extending the summary: the document would then describe it as the summary *and* these
// fields, and a role required by the one and nullable in the other would read as never null.
export const conversationSchema = summaryFields
  .extend({
    role: role.nullable().openapi({ description: 'Your role in it; null when you read it because it is public' }),
    ownerId: conversationRow.shape.ownerId,
    isActive: conversationRow.shape.isActive,
    parameters: conversationParametersSchema,
    settings: conversationSettingsSchema,
    models: z.array(conversationModelSchema).openapi({ description: 'The models taking part, in reply order' }),
    participants: z.array(participantSchema).openapi({ description: 'The people in it, earliest to join first' }),
  })
  .openapi('Conversation');

type ConversationSummaryDto = z.infer<typeof conversationSummarySchema>;
type ConversationDto = z.infer<typeof conversationSchema>;

const timesOf = (conversation: Conversation) => ({
  createdAt: conversation.createdAt.toISOString(),
  updatedAt: conversation.updatedAt.toISOString(),
  lastMessageAt: conversation.lastMessageAt.toISOString(),
});

export function toConversationSummaryDto(conversation: ConversationListItem): ConversationSummaryDto {
  return {
    id: conversation.id,
    title: conversation.title,
    visibility: conversation.visibility,
    origin: conversation.origin,
    role: conversation.role,
    pinned: conversation.pinned,
    archived: conversation.archived,
    folderId: conversation.folderId,
    ...timesOf(conversation),
  };
}

export function toConversationDto(
  conversation: Conversation,
  related: {
    viewerId: string;
    models: ConversationModel[];
    modelNames: Map<string, ModelName>;
    participants: ParticipantWithUser[];
  },
): ConversationDto {
  const viewer = related.participants.find((participant) => participant.userId === related.viewerId);
  return {
    id: conversation.id,
    title: conversation.title,
    visibility: conversation.visibility,
    origin: conversation.origin,
    role: viewer?.role ?? null,
    ...timesOf(conversation),
    ownerId: conversation.ownerId,
    isActive: conversation.isActive,
    parameters: conversation.parameters,
    settings: conversation.settings,
    models: related.models.map((model) => toConversationModelDto(model, related.modelNames.get(model.modelId))),
    participants: related.participants.map(toParticipantDto),
  };
}
