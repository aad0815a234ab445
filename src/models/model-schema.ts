// The one description of a model: validates the shipped catalog, the seed, imports and the admin API,
// and gives the TypeScript type of a model's editable fields.
import { z } from 'zod';
import { modelStatus } from '../db/schema/index.ts';

/** The statuses a model can be picked in for something new; retired ones keep their old messages only. */
export const SELECTABLE_STATUSES = [
  'active',
  'beta',
] as const satisfies readonly (typeof modelStatus.enumValues)[number][];

export const isSelectableStatus = (status: string): boolean =>
  (SELECTABLE_STATUSES as readonly string[]).includes(status);

export const MODEL_CAPABILITIES = [
  'vision',
  'tools',
  'reasoning',
  'web_search',
  'json_output',
  'audio',
  'pdf',
] as const;

const usdPerMillionTokens = z.number().finite().nonnegative();

export const modelPricingSchema = z.object({
  input: usdPerMillionTokens,
  output: usdPerMillionTokens,
  cacheRead: usdPerMillionTokens.nullable().optional(),
});

/** `provider:providerModelId`; the provider part is a lower-case slug, the rest may hold `/`, `.`, `:`. */
export const modelIdSchema = z
  .string()
  .max(200)
  .regex(/^[a-z0-9][a-z0-9_-]*:[^\s]+$/, 'must look like provider:providerModelId');

/** What names a model. Fixed once created: a model under another id is a duplicate, not an edit. */
const identityFields = {
  id: modelIdSchema,
  provider: z.string().min(1).max(50),
  providerModelId: z.string().min(1).max(200),
};
const IDENTITY_FIELDS: readonly PropertyKey[] = Object.keys(identityFields);

// Without defaults on purpose: the update schema is built from these, and a default there would
// silently reset a field the update did not mention.
const editableFields = {
  name: z.string().trim().min(1).max(200),
  displayName: z.string().trim().max(200).nullable().optional(),
  family: z.string().max(100).nullable().optional(),
  avatar: z.string().max(16).nullable().optional(),
  description: z.string().max(5000).nullable().optional(),
  contextWindow: z.number().int().positive(),
  maxOutputTokens: z.number().int().positive().nullable().optional(),
  pricing: modelPricingSchema,
  capabilities: z.array(z.enum(MODEL_CAPABILITIES)),
  status: z.enum(modelStatus.enumValues),
  releaseDate: z.iso.date().nullable().optional(),
  knowledgeCutoff: z
    .string()
    .regex(/^\d{4}-\d{2}(-\d{2})?$/, 'must be YYYY-MM or YYYY-MM-DD')
    .nullable()
    .optional(),
  openWeights: z.boolean(),
  source: z.string().max(500).nullable().optional(),
  sortOrder: z.number().int(),
};

export const modelSchema = z
  .object({
    ...identityFields,
    ...editableFields,
    capabilities: editableFields.capabilities.default([]),
    status: editableFields.status.default('active'),
    openWeights: editableFields.openWeights.default(false),
    sortOrder: editableFields.sortOrder.default(0),
  })
  .refine((model) => model.id === `${model.provider}:${model.providerModelId}`, {
    message: 'id must equal provider:providerModelId',
    path: ['id'],
    // Checked whenever the three parts are themselves valid, so one pass reports every problem of an entry.
    // (A problem without a path is the entry itself not being an object.)
    when: (payload) => payload.issues.every((issue) => issue.path?.length && !IDENTITY_FIELDS.includes(issue.path[0]!)),
  });

/**
 * A partial change to a model: any editable field; `pricing` may name only the prices that change (the
 * rest are kept). Unknown fields, and the id fields, are refused rather than ignored.
 */
export const modelUpdateSchema = z
  .strictObject(
    { ...editableFields, pricing: modelPricingSchema.partial() },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `not an editable field: ${issue.keys.join(', ')} (the id fields never change: duplicate the model instead)`
          : undefined,
    },
  )
  .partial();

/** A bulk import: whole models, each id at most once. */
export const modelImportSchema = z.array(modelSchema).superRefine(
  (entries, context) => {
    const firstIndexOf = new Map<unknown, number>();
    entries.forEach((entry, index) => {
      const id = (entry as { id?: unknown } | null)?.id;
      if (typeof id !== 'string') return;
      const first = firstIndexOf.get(id);
      if (first === undefined) firstIndexOf.set(id, index);
      else context.addIssue({ code: 'custom', path: [index, 'id'], message: `${id} is already entry ${first}` });
    });
    // Checked even when some entries are invalid in other ways (each entry is looked at defensively above).
  },
  { when: (payload) => Array.isArray(payload.value) },
);

export type ModelInput = z.input<typeof modelSchema>;
export type ModelDefinition = z.output<typeof modelSchema>;
export type ModelUpdateInput = z.input<typeof modelUpdateSchema>;
export type ModelUpdate = z.output<typeof modelUpdateSchema>;

/** Every field of a model definition, in the schema's order (the order of diffs and exports). */
export const MODEL_FIELDS = Object.keys(modelSchema.shape) as (keyof ModelDefinition)[];
