// Seeding the registry: every catalog model (and the offline model) that the registry has never had is
// inserted with its version-1 history row. Existing rows are never touched, and a model an admin deleted (its
// history remains) is not brought back, so re-running is safe and an admin's changes survive.
import { inArray, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { announce, CHANNELS } from '../db/notifications.ts';
import { modelHistory, models } from '../db/schema/index.ts';
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
export async function insertMissingModels(db: Database, definitions: ModelDefinition[], reason: string) {
  if (definitions.length === 0) return { inserted: 0, alreadyPresent: 0 };
  return db.transaction(async (tx): Promise<SeedResult> => {
    const known = await tx
      .selectDistinct({ id: modelHistory.modelId })
      .from(modelHistory)
      .where(
        inArray(
          modelHistory.modelId,
          definitions.map((definition) => definition.id),
        ),
      );
    const deletedOrPresent = new Set(known.map((row) => row.id));
    const fresh = definitions.filter((definition) => !deletedOrPresent.has(definition.id));
    if (fresh.length === 0) return { inserted: 0, alreadyPresent: definitions.length };
    const inserted = await tx
      .insert(models)
      .values(fresh.map((definition) => ({ ...definition, version: 1 })))
      .onConflictDoNothing({ target: models.id })
      .returning();
    if (inserted.length > 0) {
      await tx.insert(modelHistory).values(
        inserted.map((model) => ({
          modelId: model.id,
          version: 1,
          kind: 'created' as const,
          changes: [],
          snapshot: snapshotOf(model),
          reason,
        })),
      );
    }
    // A server already running (say, `chorus seed` beside it) picks the new models up at once.
    if (inserted.length > 0) await announce(tx, CHANNELS.models, '*');
    return { inserted: inserted.length, alreadyPresent: definitions.length - inserted.length };
  });
}

/** True when the registry has never been seeded (first start). */
export async function registryIsEmpty(db: Database): Promise<boolean> {
  const [row] = await db.select({ any: sql<boolean>`exists (select 1 from ${models})` }).from(sql`(select 1) as one`);
  return !row?.any;
}

/** The JSON-safe full state of a model row, as stored in its history. */
export function snapshotOf(model: typeof models.$inferSelect): Record<string, unknown> {
  return JSON.parse(JSON.stringify(model));
}
