// A model as the people choosing one see it (GET /api/models): its name, what it costs and can do. The fields
// come from the models table, the prices and capabilities from the one model schema (models/model-schema.ts).
import type { z } from '@hono/zod-openapi';
import { createSelectSchema } from 'drizzle-zod';
import { models } from '../../db/schema/index.ts';
import {
  type MODEL_CAPABILITIES,
  modelPricingSchema,
  modelSchema,
  SELECTABLE_STATUSES,
} from '../../models/model-schema.ts';
import type { ModelRow } from '../../registry/registry-service.ts';

type Capability = (typeof MODEL_CAPABILITIES)[number];
type SelectableStatus = (typeof SELECTABLE_STATUSES)[number];

export const pickableModelSchema = createSelectSchema(models, {
  pricing: modelPricingSchema,
  capabilities: modelSchema.shape.capabilities.unwrap(),
})
  .pick({
    id: true,
    provider: true,
    name: true,
    displayName: true,
    avatar: true,
    description: true,
    contextWindow: true,
    maxOutputTokens: true,
    pricing: true,
    capabilities: true,
  })
  .extend({ status: modelSchema.shape.status.unwrap().extract(SELECTABLE_STATUSES) })
  .openapi('PickableModel');

/** `model` is selectable (listSelectableModels): its status is one of SELECTABLE_STATUSES. */
export function toPickableModelDto(model: ModelRow): z.infer<typeof pickableModelSchema> {
  return {
    id: model.id,
    provider: model.provider,
    name: model.name,
    displayName: model.displayName,
    avatar: model.avatar,
    description: model.description,
    contextWindow: model.contextWindow,
    maxOutputTokens: model.maxOutputTokens,
    pricing: model.pricing,
    capabilities: model.capabilities as Capability[],
    status: model.status as SelectableStatus,
  };
}
