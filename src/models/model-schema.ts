// The one description of a model: validates the shipped catalog, the seed, imports and the admin API,
// and gives the TypeScript type of a model's editable fields.
import { z } from 'zod';
import { modelStatus } from '../db/schema/index.ts';

export const MODEL_CAPABILITIES = ['vision', 'tools', 'reasoning', 'web_search', 'json_output', 'audio', 'pdf'] as const;

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

export const modelSchema = z
  .object({
    id: modelIdSchema,
    provider: z.string().min(1).max(50),
    providerModelId: z.string().min(1).max(200),
    name: z.string().trim().min(1).max(200),
    displayName: z.string().trim().max(200).nullable().optional(),
    family: z.string().max(100).nullable().optional(),
    avatar: z.string().max(16).nullable().optional(),
    description: z.string().max(5000).nullable().optional(),
    contextWindow: z.number().int().positive(),
    maxOutputTokens: z.number().int().positive().nullable().optional(),
    pricing: modelPricingSchema,
    capabilities: z.array(z.enum(MODEL_CAPABILITIES)).default([]),
    status: z.enum(modelStatus.enumValues).default('active'),
    releaseDate: z.iso.date().nullable().optional(),
    knowledgeCutoff: z
      .string()
      .regex(/^\d{4}-\d{2}(-\d{2})?$/, 'must be YYYY-MM or YYYY-MM-DD')
      .nullable()
      .optional(),
    openWeights: z.boolean().default(false),
    source: z.string().max(500).nullable().optional(),
    sortOrder: z.number().int().default(0),
  })
  .refine((model) => model.id === `${model.provider}:${model.providerModelId}`, {
    message: 'id must equal provider:providerModelId',
    path: ['id'],
  });

export type ModelInput = z.input<typeof modelSchema>;
export type ModelDefinition = z.output<typeof modelSchema>;
