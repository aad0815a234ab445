// The models /v1 offers: those a person may pick in Chorus (see chat/model-selection.ts), in OpenAI's shape.
// A model that cannot answer is "not found" here, as OpenAI says of a model the caller cannot use.

import { listSelectableModels, type ModelRow, resolveRequestedModels } from '../chat/model-selection.ts';
import { AppError } from '../errors.ts';
import type { ProviderRegistry } from '../providers/index.ts';
import type { ModelView } from '../registry/model-cache.ts';
import type { OpenAiModel } from './wire.ts';

export function toOpenAiModel(model: ModelRow): OpenAiModel {
  return {
    id: model.id,
    object: 'model',
    created: Math.floor(model.createdAt.getTime() / 1000),
    owned_by: model.provider,
  };
}

export function listOpenAiModels(available: ModelView, providers: ProviderRegistry): OpenAiModel[] {
  return listSelectableModels(available, providers).map(toOpenAiModel);
}

/** The model if it can answer now; else 404 saying why (unknown, deprecated, provider not configured). */
export function findUsableModel(available: ModelView, providers: ProviderRegistry, id: string): ModelRow {
  try {
    const [model] = resolveRequestedModels(available, providers, [id]);
    return model!;
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== 'invalid_input') throw error;
    const [problem] = (error.details ?? []) as { reason?: string }[];
    const reason = problem?.reason ?? error.message;
    throw new AppError('not_found', `the model ${id} does not exist or cannot be used: ${reason}`, {
      details: { param: 'model', model: id, reason },
      cause: error,
    });
  }
}
