// Which models may answer: those a person's model source offers (active or beta) whose provider this server can
// call, and which are open to them (registry/model-access.ts). A model that is deprecated, disabled, unknown or
// unreachable is refused by name, before anything is saved; one closed to the person is a 403 naming it.
// The models come from the in-memory registry (registry/model-source.ts), so choosing costs no query.
import type { ConversationModelSettings } from '../db/schema/index.ts';
import { AppError } from '../errors.ts';
import { capabilityToRead, kindOfFile } from '../files/media-types.ts';
import { isSelectableStatus } from '../models/model-schema.ts';
import type { ProviderRegistry } from '../providers/index.ts';
import type { ModelRow, ModelView } from '../registry/model-cache.ts';
import type { TurnMember } from '../store/conversations.ts';

export type { ModelRow };

export const isSelectable = (model: ModelRow, providers: ProviderRegistry) =>
  isSelectableStatus(model.status) && providers.isConfigured(model.provider);

/** Every model a person may pick now, in the registry's order: not those closed to them. */
export function listSelectableModels(available: ModelView, providers: ProviderRegistry): ModelRow[] {
  return available.all.filter((model) => isSelectable(model, providers) && !available.denied?.has(model.id));
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
  const closed = unique.filter((modelId) => available.denied?.has(modelId));
  if (closed.length > 0) {
    throw new AppError('forbidden', `you may not use ${closed.join(', ')}: an admin opened it to some groups only`, {
      details: closed.map((modelId) => ({ modelId })),
    });
  }
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

/** What picks a turn's models: the conversation's members, the models the request names, what each must meet. */
export type TurnModelChoice = {
  members: TurnMember[];
  modelIds: string[] | undefined;
  requirements: ModelRequirements;
  /** Who answers when neither the request nor the conversation names anyone (a regenerated reply's own model). */
  fallbackIds?: string[];
};

/** A turn's models, in reply order, and the conversation's per-model settings. */
export type TurnModels = { models: ModelRow[]; memberSettings: Map<string, ConversationModelSettings> };

/**
 * Named models; else the conversation's own (active ones, in their order); else `fallbackIds`; else the first
 * model a person may pick (a real one if any). Each must meet the requirements (web search, reading the attached
 * files), or the request is refused naming it.
 */
export function chooseTurnModels(
  available: ModelView,
  providers: ProviderRegistry,
  { members, modelIds, requirements, fallbackIds = [] }: TurnModelChoice,
): TurnModels {
  const memberSettings = new Map(members.map((member) => [member.modelId, member.settings]));
  const active = members.filter((member) => member.isActive).map((member) => member.modelId);
  const chosen = [modelIds ?? [], active, fallbackIds].find((ids) => ids.length > 0) ?? [
    defaultModelId(available, providers),
  ];
  return { models: resolveRequestedModels(available, providers, chosen, requirements), memberSettings };
}

/** The first model a person may pick, a real one before the offline model. */
function defaultModelId(available: ModelView, providers: ProviderRegistry): string {
  const selectable = listSelectableModels(available, providers);
  const fallback = selectable.find((model) => model.provider !== 'local') ?? selectable[0];
  if (!fallback) throw new AppError('unavailable', 'no model is available on this server');
  return fallback.id;
}
