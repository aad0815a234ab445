// Seeding the registry: every catalog model (and the offline model) that the registry has never had is
// inserted with its version-1 history row. Existing rows are never touched, and a model an admin deleted (its
// history remains) is not brought back, so re-running is safe and an admin's changes survive. Like the migrations,
// it runs on the database handle before the rest of the store is built.
import type { Database } from '../db/client.ts';
import { SYSTEM_ACTOR } from '../store/actor.ts';
import { ModelVersionStore } from '../store/model-versions.ts';
import { ModelStore } from '../store/models.ts';
import { OFFLINE_MODEL, readCatalog } from './catalog.ts';
import type { ModelDefinition } from './model-schema.ts';

export type SeedResult = { inserted: number; alreadyPresent: number };

export function seedModels(db: Database, definitions: ModelDefinition[] = [OFFLINE_MODEL, ...readCatalog()]) {
  return insertMissingModels(db, definitions, 'seeded from the shipped catalog');
}

/**
 * Inserts the models the registry never had, each with its version-1 `created` history row (`reason` says where
 * it came from), in one transaction; models present, or deleted by an admin, are left as they are.
 */
export async function insertMissingModels(
  db: Database,
  definitions: ModelDefinition[],
  reason: string,
): Promise<SeedResult> {
  if (definitions.length === 0) return { inserted: 0, alreadyPresent: 0 };
  return new ModelVersionStore(db).transaction(async (versions) => {
    const deletedOrPresent = await versions.latestVersions(definitions.map((definition) => definition.id));
    const fresh = definitions.filter((definition) => !deletedOrPresent.has(definition.id));
    if (fresh.length === 0) return { inserted: 0, alreadyPresent: definitions.length };
    const inserted = await versions.insertAbsent(fresh.map((definition) => ({ ...definition, version: 1 })));
    await versions.recordHistory(
      inserted.map((model) => ({ model, changes: [] })),
      'created',
      { actor: SYSTEM_ACTOR, reason },
    );
    // A server already running (say, `chorus seed` beside it) picks the new models up at once.
    await versions.announce(inserted.map((model) => model.id));
    return { inserted: inserted.length, alreadyPresent: definitions.length - inserted.length };
  });
}

/** True when the registry has never been seeded (first start). */
export function registryIsEmpty(db: Database): Promise<boolean> {
  return new ModelStore(db).isEmpty();
}
