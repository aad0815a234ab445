// The shipped model catalog (catalog/model-catalog.json) and the built-in offline model.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { projectPath } from '../project-root.ts';
import { type ModelDefinition, modelSchema } from './model-schema.ts';

export const CATALOG_FILE = projectPath('catalog', 'model-catalog.json');

/** Always available, needs no key: so a fresh install can chat before anyone configures a provider. */
export const OFFLINE_MODEL: ModelDefinition = modelSchema.parse({
  id: 'local:echo',
  provider: 'local',
  providerModelId: 'echo',
  name: 'Offline echo',
  displayName: 'Offline echo (no AI)',
  avatar: 'E',
  description: 'The built-in offline model. It is not an AI: it says so and echoes what you wrote.',
  contextWindow: 1_000_000,
  maxOutputTokens: 4096,
  pricing: { input: 0, output: 0, cacheRead: 0 },
  capabilities: [],
  status: 'active',
  openWeights: true,
  source: 'built-in',
  sortOrder: -1,
});

/** Reads and validates the catalog; its order becomes the models' sort order. */
export function readCatalog(file = CATALOG_FILE): ModelDefinition[] {
  const raw = JSON.parse(readFileSync(file, 'utf8'));
  const entries = z.array(modelSchema).parse(raw);
  return entries.map((entry, index) => ({ ...entry, sortOrder: index }));
}
