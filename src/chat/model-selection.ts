// Which models may answer: those a person's model source offers (active or beta) whose provider this server can
// call. A model that is deprecated, disabled, unknown or unreachable is refused by name, before anything is saved.
// The models come from the in-memory registry (registry/model-source.ts), so choosing costs no query.
import { AppError } from '../errors.ts';
import { capabilityToRead, kindOfFile } from '../files/media-types.ts';
import { isSelectableStatus } from '../models/model-schema.ts';
import type { ProviderRegistry } from '../providers/index.ts';
import type { ModelRow, ModelView } from '../registry/model-cache.ts';

export type { ModelRow };

export const isSelectable = (model: ModelRow, providers: ProviderRegistry) =>
  isSelectableStatus(model.status) && providers.isConfigured(model.provider);

/** Every model a person may pick now, in the registry's order. */
export function listSelectableModels(available: ModelView, providers: ProviderRegistry): ModelRow[] {
  return available.all.filter((model) => isSelectable(model, providers));
}

/** What a request needs of every model that answers it: searching the web, reading the files it carries. */
export type ModelRequirements = { webSearch?: boolean; files?: { name: string; mediaType: string }[] };

/** Why the model cannot answer a request with these requirements, or null when it can. */
export function unmetRequirements(model: ModelRow, requirements: ModelRequirements): string | null {
  const reasons: string[] = [];
  if (requirements.webSearch && !model.capabilities.includes('web_search'))
    reasons.push('the model cannot search the web');
  for (const file of requirements.files ?? []) {
    const capability = capabilityToRead(file.mediaType);
    if (!model.capabilities.includes(capability)) {
      reasons.push(`the model cannot read the ${kindOfFile(file.mediaType)} ${file.name} (it lacks ${capability})`);
    }
  }
  return reasons.length > 0 ? reasons.join(', ') : null;
}

/** Why a model cannot be picked at all, or null when it can. */
function unavailability(model: ModelRow | undefined, providers: ProviderRegistry): string | null {
  if (!model) return 'no such model';
  if (!isSelectableStatus(model.status)) return `the model is ${model.status}`;
  if (!providers.isConfigured(model.provider)) return `provider ${model.provider} is not configured on this server`;
  return null;
}

/** The requested models, in the requested order; a 4xx naming each one that cannot be used. */
export function resolveRequestedModels(
  available: ModelView,
  providers: ProviderRegistry,
  modelIds: string[],
  requirements: ModelRequirements = {},
): ModelRow[] {
  const unique = [...new Set(modelIds)];
  const { byId } = available;
  const problems: { modelId: string; reason: string }[] = [];
  for (const modelId of unique) {
    const model = byId.get(modelId);
    const reason = unavailability(model, providers) ?? unmetRequirements(model!, requirements);
    if (reason) problems.push({ modelId, reason });
  }
  if (problems.length > 0) {
    const summary = problems.map((problem) => `${problem.modelId}: ${problem.reason}`).join('; ');
    throw new AppError('invalid_input', `cannot use ${summary}`, { details: problems });
  }
  return unique.map((modelId) => byId.get(modelId)!);
}
