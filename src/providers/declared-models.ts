// Models an operator lists in CHORUS_PROVIDER_<NAME>_MODELS become registry rows at start-up, so a local
// Ollama or vLLM model can be picked like any catalog model. Only missing rows are added: once a row
// exists it belongs to the admins (rename, reprice, retire), and a restart never undoes their edits.
import { type CustomProvider, customProviderVariable } from '../config/custom-providers.ts';
import type { Database } from '../db/client.ts';
import { type ModelDefinition, modelSchema } from '../models/model-schema.ts';
import { insertMissingModels, type SeedResult } from '../models/seed.ts';

/**
 * A server's context window cannot be asked for over the OpenAI API, so a declared model starts with
 * 8,192 tokens: small enough that history trimming never overfills a small local model, and an admin
 * raises it per model. Pricing starts at zero (self-hosted); capabilities start empty.
 */
export const DECLARED_MODEL_CONTEXT_WINDOW = 8192;

/** After the shipped catalog (sort orders 0…n), in the order the variable lists them. */
const DECLARED_MODEL_SORT_ORDER_START = 1000;

export function declaredModelDefinitions(providers: CustomProvider[]): ModelDefinition[] {
  let position = 0;
  return providers.flatMap((provider) =>
    provider.models.map((providerModelId) =>
      modelSchema.parse({
        id: `${provider.name}:${providerModelId}`,
        provider: provider.name,
        providerModelId,
        name: providerModelId,
        displayName: `${providerModelId} (${provider.name})`,
        avatar:
          providerModelId
            .replace(/[^a-z0-9]/gi, '')
            .charAt(0)
            .toUpperCase() || null,
        description: `Served by the OpenAI-compatible server configured as ${customProviderVariable(provider.name, 'BASE_URL')}.`,
        contextWindow: DECLARED_MODEL_CONTEXT_WINDOW,
        pricing: { input: 0, output: 0, cacheRead: null },
        capabilities: [],
        status: 'active',
        source: customProviderVariable(provider.name, 'MODELS'),
        sortOrder: DECLARED_MODEL_SORT_ORDER_START + position++,
      }),
    ),
  );
}

/** Inserts the declared models the `models` table lacks, each with its version-1 history row. */
export function registerDeclaredModels(
  db: Database,
  registry: { declaredModels(): ModelDefinition[] },
): Promise<SeedResult> {
  return insertMissingModels(
    db,
    registry.declaredModels(),
    'declared in the environment (CHORUS_PROVIDER_<NAME>_MODELS)',
  );
}
