// Which models may answer: those the registry offers (active or beta) whose provider this server can call.
// A model that is deprecated, disabled, unknown or unreachable is refused by name, before anything is saved.
import { asc, inArray } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { models } from '../db/schema/index.ts';
import { AppError } from '../errors.ts';
import type { ProviderRegistry } from '../providers/index.ts';

export type ModelRow = typeof models.$inferSelect;

const SELECTABLE_STATUSES = new Set<ModelRow['status']>(['active', 'beta']);

export const isSelectable = (model: ModelRow, providers: ProviderRegistry) =>
  SELECTABLE_STATUSES.has(model.status) && providers.isConfigured(model.provider);

/** Every model a person may pick now, in the registry's order. */
export async function listSelectableModels(db: Database, providers: ProviderRegistry): Promise<ModelRow[]> {
  const rows = await db
    .select()
    .from(models)
    .where(inArray(models.status, [...SELECTABLE_STATUSES]))
    .orderBy(asc(models.sortOrder), asc(models.id));
  return rows.filter((model) => providers.isConfigured(model.provider));
}

/** The requested models, in the requested order; a 4xx naming each one that cannot be used. */
export async function resolveRequestedModels(
  db: Database,
  providers: ProviderRegistry,
  modelIds: string[],
  options: { webSearch?: boolean } = {},
): Promise<ModelRow[]> {
  const unique = [...new Set(modelIds)];
  const rows = await db.select().from(models).where(inArray(models.id, unique));
  const byId = new Map(rows.map((model) => [model.id, model]));
  const problems: { modelId: string; reason: string }[] = [];
  for (const modelId of unique) {
    const model = byId.get(modelId);
    if (!model) problems.push({ modelId, reason: 'no such model' });
    else if (!SELECTABLE_STATUSES.has(model.status)) problems.push({ modelId, reason: `the model is ${model.status}` });
    else if (!providers.isConfigured(model.provider)) {
      problems.push({ modelId, reason: `provider ${model.provider} is not configured on this server` });
    } else if (options.webSearch && !model.capabilities.includes('web_search')) {
      problems.push({ modelId, reason: 'the model cannot search the web' });
    }
  }
  if (problems.length > 0) {
    const summary = problems.map((problem) => `${problem.modelId}: ${problem.reason}`).join('; ');
    throw new AppError('invalid_input', `cannot use ${summary}`, { details: problems });
  }
  return unique.map((modelId) => byId.get(modelId)!);
}
