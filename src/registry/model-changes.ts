// What a model is, field by field, and what changed between two versions of it. Pure: the registry's writes,
// its import plan and its revert all compare models through these functions, so they agree on what a change is.
import { isDeepStrictEqual } from 'node:util';
import type { z } from 'zod';
import type { ModelFieldChange } from '../db/schema/models.ts';
import { AppError } from '../errors.ts';
import {
  MODEL_CAPABILITIES,
  MODEL_FIELDS,
  type ModelDefinition,
  type ModelUpdate,
  modelSchema,
  modelUpdateSchema,
} from '../models/model-schema.ts';
import type { ModelRow } from '../store/models.ts';

type Spelled<T> = { [Key in keyof T]-?: Exclude<T[Key], undefined> };

/**
 * A model's editable state with every optional field spelled out (`null`, never missing) and capabilities in
 * one canonical order without repeats. Two states are equal exactly when the models mean the same thing, so a
 * stored row, an import entry and a history snapshot compare without false differences. It is also what the
 * registry writes and what an export holds.
 */
export type ModelState = Omit<Spelled<ModelDefinition>, 'pricing'> & { pricing: Spelled<ModelDefinition['pricing']> };

/** The state of a validated definition or of a stored row (whose timestamps and version are left out). */
export function toModelState(model: ModelDefinition | ModelRow): ModelState {
  const state = Object.fromEntries(MODEL_FIELDS.map((field) => [field, model[field] ?? null])) as ModelState;
  const { input, output, cacheRead } = model.pricing;
  state.pricing = { input, output, cacheRead: cacheRead ?? null };
  state.capabilities = MODEL_CAPABILITIES.filter((capability) =>
    (model.capabilities as readonly string[]).includes(capability),
  );
  return state;
}

/** Parses with a schema; failure is `invalid_input` whose details list every problem by field (a dotted path). */
export function parseOrThrow<Schema extends z.ZodType>(schema: Schema, value: unknown, what: string): z.output<Schema> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues.map((issue) => ({ field: issue.path.join('.'), message: issue.message }));
  const summary = details.map((problem) => (problem.field ? `${problem.field}: ${problem.message}` : problem.message));
  throw new AppError('invalid_input', `invalid ${what}: ${summary.join('; ')}`, { details, cause: parsed.error });
}

/** A whole model from an unknown value (an admin's input, a history snapshot), as its state. */
export const parseModelState = (value: unknown, what = 'model'): ModelState =>
  toModelState(parseOrThrow(modelSchema, value, what));

/** A partial change to a model, validated. */
export const parseModelUpdate = (value: unknown): ModelUpdate => parseOrThrow(modelUpdateSchema, value, 'model update');

/** The state after a partial update: fields it names replace the current ones; prices it names replace only those. */
export function applyModelUpdate(current: ModelState, update: ModelUpdate): ModelState {
  const { pricing, ...fields } = update;
  return parseModelState({ ...current, ...fields, pricing: { ...current.pricing, ...pricing } });
}

/**
 * Field-level differences in schema order. Prices are compared one by one (`pricing.input`); every other field,
 * capabilities included, as a whole value.
 */
export function diffModelStates(before: ModelState, after: ModelState): ModelFieldChange[] {
  const changes: ModelFieldChange[] = [];
  for (const field of MODEL_FIELDS) {
    if (field === 'pricing') {
      for (const price of Object.keys(after.pricing) as (keyof ModelState['pricing'])[]) {
        const oldValue = before.pricing[price];
        const newValue = after.pricing[price];
        if (oldValue !== newValue) changes.push({ field: `pricing.${price}`, oldValue, newValue });
      }
    } else if (!isDeepStrictEqual(before[field], after[field])) {
      changes.push({ field, oldValue: before[field], newValue: after[field] });
    }
  }
  return changes;
}
