// The model registry as data: one row per model, one history row per change.
import { boolean, index, integer, jsonb, pgTable, text, uniqueIndex, uuid, varchar } from 'drizzle-orm/pg-core';
import { createdAt, updatedAt } from './columns.ts';
import { modelChangeKind, modelStatus } from './enums.ts';
import { users } from './users.ts';

/** USD per 1M tokens. */
export type ModelPricing = { input: number; output: number; cacheRead?: number | null };

/** One field-level difference between two versions; `field` is a dotted path such as `pricing.input`. */
export type ModelFieldChange = { field: string; oldValue: unknown; newValue: unknown };

export const models = pgTable(
  'models',
  {
    /** `provider:providerModelId`, e.g. `openai:gpt-4o` or `openrouter:google/gemini-flash-1.5`. */
    id: varchar('id', { length: 200 }).primaryKey(),
    provider: varchar('provider', { length: 50 }).notNull(),
    providerModelId: varchar('provider_model_id', { length: 200 }).notNull(),
    name: varchar('name', { length: 200 }).notNull(),
    displayName: varchar('display_name', { length: 200 }),
    family: varchar('family', { length: 100 }),
    /** A short label for group chat bubbles, e.g. "G". */
    avatar: varchar('avatar', { length: 16 }),
    description: text('description'),
    contextWindow: integer('context_window').notNull(),
    maxOutputTokens: integer('max_output_tokens'),
    pricing: jsonb('pricing').$type<ModelPricing>().notNull(),
    capabilities: jsonb('capabilities').$type<string[]>().notNull().default([]),
    status: modelStatus('status').notNull().default('active'),
    releaseDate: varchar('release_date', { length: 10 }),
    knowledgeCutoff: varchar('knowledge_cutoff', { length: 10 }),
    openWeights: boolean('open_weights').notNull().default(false),
    /** Where the facts came from (catalog file, admin, import). */
    source: text('source'),
    /** Bumped on every change; equals the newest model_history.version. */
    version: integer('version').notNull().default(1),
    sortOrder: integer('sort_order').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    index('idx_models_provider').on(table.provider),
    index('idx_models_status').on(table.status),
    index('idx_models_sort').on(table.sortOrder, table.id),
    // Capability filters use jsonb containment (`capabilities @> '["vision"]'`).
    index('idx_models_capabilities').using('gin', table.capabilities),
    uniqueIndex('idx_models_provider_model').on(table.provider, table.providerModelId),
  ],
);

export const modelHistory = pgTable(
  'model_history',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    // No foreign key on purpose: the audit trail outlives a deleted model.
    modelId: varchar('model_id', { length: 200 }).notNull(),
    version: integer('version').notNull(),
    kind: modelChangeKind('kind').notNull(),
    changes: jsonb('changes').$type<ModelFieldChange[]>().notNull().default([]),
    snapshot: jsonb('snapshot').$type<Record<string, unknown>>().notNull(),
    changedBy: uuid('changed_by').references(() => users.id, { onDelete: 'set null' }),
    reason: text('reason'),
    createdAt: createdAt(),
  },
  (table) => [
    uniqueIndex('idx_model_history_model_version').on(table.modelId, table.version),
    index('idx_model_history_created_at').on(table.createdAt),
  ],
);
