// The model form's values (text, as typed) and how they become what the API takes: a whole model to create, or
// only the changed fields to edit. Nothing is checked here beyond turning text into numbers: the API validates,
// and its 400 details are shown beside the fields they name.
import type { AdminModel, FieldChange, ModelCapability, ModelDefinition, ModelStatus } from '../types.ts';
import type { FieldProblem } from './admin-api.ts';

export type ModelFormValues = {
  provider: string;
  providerModelId: string;
  name: string;
  displayName: string;
  family: string;
  avatar: string;
  description: string;
  contextWindow: string;
  maxOutputTokens: string;
  pricingInput: string;
  pricingOutput: string;
  pricingCacheRead: string;
  capabilities: ModelCapability[];
  status: ModelStatus;
  releaseDate: string;
  knowledgeCutoff: string;
  openWeights: boolean;
  source: string;
  sortOrder: string;
};

export const EMPTY_FORM: ModelFormValues = {
  provider: '',
  providerModelId: '',
  name: '',
  displayName: '',
  family: '',
  avatar: '',
  description: '',
  contextWindow: '128000',
  maxOutputTokens: '',
  pricingInput: '0',
  pricingOutput: '0',
  pricingCacheRead: '',
  capabilities: [],
  status: 'active',
  releaseDate: '',
  knowledgeCutoff: '',
  openWeights: false,
  source: '',
  sortOrder: '0',
};

const text = (value: string | null | undefined) => value ?? '';
const numberText = (value: number | null | undefined) => (value === null || value === undefined ? '' : String(value));

export function formValuesOf(model: ModelDefinition): ModelFormValues {
  return {
    provider: model.provider,
    providerModelId: model.providerModelId,
    name: model.name,
    displayName: text(model.displayName),
    family: text(model.family),
    avatar: text(model.avatar),
    description: text(model.description),
    contextWindow: numberText(model.contextWindow),
    maxOutputTokens: numberText(model.maxOutputTokens),
    pricingInput: numberText(model.pricing.input),
    pricingOutput: numberText(model.pricing.output),
    pricingCacheRead: numberText(model.pricing.cacheRead),
    capabilities: [...model.capabilities],
    status: model.status,
    releaseDate: text(model.releaseDate),
    knowledgeCutoff: text(model.knowledgeCutoff),
    openWeights: model.openWeights,
    source: text(model.source),
    sortOrder: numberText(model.sortOrder),
  };
}

/** A number when the text is one; otherwise the text itself, so the API names the field and says why. */
function numberOrText(value: string): number | string {
  const trimmed = value.trim();
  return trimmed !== '' && Number.isFinite(Number(trimmed)) ? Number(trimmed) : trimmed;
}
const optionalNumber = (value: string) => (value.trim() === '' ? null : numberOrText(value));
const optionalText = (value: string) => (value.trim() === '' ? null : value.trim());

/** The whole model the form describes, in the API's import shape. */
export function definitionOf(values: ModelFormValues): ModelDefinition {
  return {
    id: `${values.provider.trim()}:${values.providerModelId.trim()}`,
    provider: values.provider.trim(),
    providerModelId: values.providerModelId.trim(),
    name: values.name.trim(),
    displayName: optionalText(values.displayName),
    family: optionalText(values.family),
    avatar: optionalText(values.avatar),
    description: optionalText(values.description),
    contextWindow: numberOrText(values.contextWindow) as number,
    maxOutputTokens: optionalNumber(values.maxOutputTokens) as number | null,
    pricing: {
      input: numberOrText(values.pricingInput) as number,
      output: numberOrText(values.pricingOutput) as number,
      cacheRead: optionalNumber(values.pricingCacheRead) as number | null,
    },
    capabilities: values.capabilities,
    status: values.status,
    releaseDate: optionalText(values.releaseDate),
    knowledgeCutoff: optionalText(values.knowledgeCutoff),
    openWeights: values.openWeights,
    source: optionalText(values.source),
    sortOrder: numberOrText(values.sortOrder) as number,
  };
}

const EDITABLE_FIELDS = [
  'name',
  'displayName',
  'family',
  'avatar',
  'description',
  'contextWindow',
  'maxOutputTokens',
  'capabilities',
  'status',
  'releaseDate',
  'knowledgeCutoff',
  'openWeights',
  'source',
  'sortOrder',
] as const;

const same = (left: unknown, right: unknown) => JSON.stringify(left ?? null) === JSON.stringify(right ?? null);

/** Only what the form changed of the model: a PATCH's `updates` (`pricing` naming only the prices that change). */
export function updatesOf(model: AdminModel, values: ModelFormValues): Record<string, unknown> {
  const next = definitionOf(values);
  const updates: Record<string, unknown> = {};
  for (const field of EDITABLE_FIELDS) {
    if (!same(model[field], next[field])) updates[field] = next[field];
  }
  const pricing: Record<string, unknown> = {};
  for (const price of ['input', 'output', 'cacheRead'] as const) {
    if (!same(model.pricing[price], next.pricing[price])) pricing[price] = next.pricing[price];
  }
  if (Object.keys(pricing).length > 0) updates.pricing = pricing;
  return updates;
}

/** The API's problems by form field: `pricing.input` and `updates.pricing.input` both belong to pricingInput. */
export function problemsByField(problems: FieldProblem[]): Map<string, string[]> {
  const byField = new Map<string, string[]>();
  for (const problem of problems) {
    const path = problem.path.replace(/^updates\.?/, '');
    const field = FIELD_OF_PATH[path] ?? (path.split('.')[0] || '');
    byField.set(field, [...(byField.get(field) ?? []), problem.message]);
  }
  return byField;
}

const FIELD_OF_PATH: Record<string, string> = {
  'pricing.input': 'pricingInput',
  'pricing.output': 'pricingOutput',
  'pricing.cacheRead': 'pricingCacheRead',
  pricing: 'pricingInput',
};

/** A change as people read it: `pricing.input: 1 → 2`. */
export function describeChange(change: FieldChange): string {
  return `${change.field}: ${describeValue(change.oldValue)} → ${describeValue(change.newValue)}`;
}

export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value === '' ? '""' : value;
  if (Array.isArray(value)) return value.length === 0 ? '[]' : value.map(describeValue).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
