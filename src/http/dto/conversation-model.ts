// A model taking part in a conversation as the API shows it: which model, its place in the reply order, and the
// settings it has there (persona, system prompt, temperature) on top of the conversation's own. Its stored fields
// come from the conversation_models table, its name from the model's row.
import { z } from '@hono/zod-openapi';
import { createSelectSchema } from 'drizzle-zod';
import { conversationModels } from '../../db/schema/index.ts';
import type { ConversationModel } from '../../store/conversation-models.ts';
import type { ModelName } from '../../store/messages.ts';
import { modelNameSchema } from './model-name.ts';

/** The per-model settings the turn runner reads, with the ranges the API accepts. */
const settingFields = {
  persona: z.string().trim().min(1).max(2_000).openapi({ description: 'Who the model plays in this conversation' }),
  systemPrompt: z.string().max(20_000),
  temperature: z.number().min(0).max(2),
};

/** Stored settings: the known ones, and any other key kept from before (shown, never dropped). */
export const conversationModelSettingsSchema = z
  .looseObject(settingFields)
  .partial()
  .openapi('ConversationModelSettings');

/** Settings for a model being added. Unknown keys are a 400. */
export const newConversationModelSettingsSchema = z
  .strictObject(settingFields)
  .partial()
  .openapi('NewConversationModelSettings');

/** A change to some settings: each one given is set, null removes it, the others stay. Unknown keys are a 400. */
export const conversationModelSettingChangesSchema = z
  .strictObject({
    persona: settingFields.persona.nullable(),
    systemPrompt: settingFields.systemPrompt.nullable(),
    temperature: settingFields.temperature.nullable(),
  })
  .partial()
  .openapi('ConversationModelSettingChanges');

const conversationModelRow = createSelectSchema(conversationModels);

export const conversationModelSchema = z
  .object({
    modelId: conversationModelRow.shape.modelId,
    // Null for a model the registry no longer holds.
    name: modelNameSchema.shape.name.nullable(),
    displayName: modelNameSchema.shape.displayName,
    avatar: modelNameSchema.shape.avatar,
    position: conversationModelRow.shape.position.openapi({ description: 'Its place in the reply order, from 0' }),
    isActive: conversationModelRow.shape.isActive.openapi({
      description: 'Inactive models stay listed but do not answer',
    }),
    settings: conversationModelSettingsSchema,
  })
  .openapi('ConversationModel');

export type ConversationModelDto = z.infer<typeof conversationModelSchema>;

export function toConversationModelDto(model: ConversationModel, name: ModelName | undefined): ConversationModelDto {
  return {
    modelId: model.modelId,
    name: name?.name ?? null,
    displayName: name?.displayName ?? null,
    avatar: name?.avatar ?? null,
    position: model.position,
    isActive: model.isActive,
    settings: model.settings,
  };
}
