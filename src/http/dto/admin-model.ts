// The model registry as the admin API shows it: whole models (every field, with their version), field-level
// changes, history entries, and the import/export shape. The fields come from the one model schema
// (models/model-schema.ts), so the API, the import and the registry cannot disagree on what a model is.
import { z } from '@hono/zod-openapi';
import { createSelectSchema } from 'drizzle-zod';
import { modelHistory, models } from '../../db/schema/index.ts';
import { type MODEL_CAPABILITIES, modelSchema, modelUpdateSchema } from '../../models/model-schema.ts';
import type { ModelChangeResult, ModelHistoryEntry, ModelRow } from '../../registry/registry-service.ts';
import { isoTimestamp } from './timestamps.ts';

// Schemas from models/model-schema.ts are plain Zod, possibly built before @hono/zod-openapi adds `.openapi()`:
// they are named for the OpenAPI document with Zod's own `.meta({ id })`, which the generator reads too. What the
// registry adds to a model (its version, its times) and its history entries come from their tables.

const modelRow = createSelectSchema(models, { createdAt: isoTimestamp, updatedAt: isoTimestamp });

/** One model in the import shape: what POST /api/admin/models takes and what an export holds per model. */
export const modelDefinitionSchema = modelSchema.meta({ id: 'ModelDefinition' });

export const adminModelSchema = z
  .object({
    ...modelSchema.shape,
    version: modelRow.shape.version.openapi({ description: 'Bumped by every change; the newest history version' }),
    createdAt: modelRow.shape.createdAt,
    updatedAt: modelRow.shape.updatedAt,
  })
  .openapi('AdminModel');

export const modelFieldChangeSchema = z
  .object({
    field: z.string().openapi({ description: 'A dotted path, e.g. `pricing.input`', example: 'pricing.input' }),
    oldValue: z.unknown(),
    newValue: z.unknown(),
  })
  .openapi('ModelFieldChange');

export const modelChangeResultSchema = z
  .object({
    model: adminModelSchema,
    changes: z
      .array(modelFieldChangeSchema)
      .openapi({ description: 'What this change did; empty when the model already was so (no version written)' }),
  })
  .openapi('ModelChangeResult');

const modelHistoryRow = createSelectSchema(modelHistory, { createdAt: isoTimestamp });

export const modelHistoryEntrySchema = modelHistoryRow
  .pick({ modelId: true, version: true, kind: true, changedBy: true, reason: true, createdAt: true })
  .extend({
    changes: z.array(modelFieldChangeSchema),
    snapshot: z.record(z.string(), z.unknown()).openapi({ description: 'The whole model as this version left it' }),
    changedBy: modelHistoryRow.shape.changedBy.openapi({
      description: 'The admin who made the change; null for the seed and the command line',
    }),
  })
  .openapi('ModelHistoryEntry');

export const modelImportResultSchema = z
  .object({
    dryRun: z.boolean(),
    created: z.array(z.string()).openapi({ description: 'Ids of the models added (or that would be)' }),
    updated: z.array(z.object({ id: z.string(), changes: z.array(modelFieldChangeSchema) })),
    unchanged: z.array(z.string()),
  })
  .openapi('ModelImportResult');

/** Every change may say why (kept in the history) and which version the admin saw (409 when it moved on). */
export const changeFields = {
  reason: z.string().trim().min(1).max(1000).optional().openapi({ description: 'Why; kept in the history' }),
  expectedVersion: z
    .number()
    .int()
    .positive()
    .optional()
    .openapi({ description: 'The version you saw: a model changed meanwhile is refused with 409, not overwritten' }),
};

export const modelUpdateRequestSchema = z
  .object({ updates: modelUpdateSchema.meta({ id: 'ModelUpdate' }), ...changeFields })
  .openapi('ModelUpdateRequest');

export const newModelRequestSchema = modelSchema
  .safeExtend({ reason: changeFields.reason })
  .meta({ id: 'NewModelRequest', description: 'A whole model, and optionally why it is added' });

type Capability = (typeof MODEL_CAPABILITIES)[number];

export function toAdminModelDto(model: ModelRow): z.infer<typeof adminModelSchema> {
  return {
    ...model,
    capabilities: model.capabilities as Capability[],
    createdAt: model.createdAt.toISOString(),
    updatedAt: model.updatedAt.toISOString(),
  };
}

export function toModelChangeResultDto(result: ModelChangeResult): z.infer<typeof modelChangeResultSchema> {
  return { model: toAdminModelDto(result.model), changes: result.changes };
}

export function toModelHistoryEntryDto(entry: ModelHistoryEntry): z.infer<typeof modelHistoryEntrySchema> {
  return {
    modelId: entry.modelId,
    version: entry.version,
    kind: entry.kind,
    changes: entry.changes,
    snapshot: entry.snapshot,
    changedBy: entry.changedBy,
    reason: entry.reason,
    createdAt: entry.createdAt.toISOString(),
  };
}
