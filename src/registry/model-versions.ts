// Writing versions of models: each write changes the `models` row and adds its one `model_history` row, inside the
// caller's transaction, so a model and its history never disagree. The caller locks the rows it changes first.
import { asc, eq, inArray, sql } from 'drizzle-orm';
import type { Executor, Transaction } from '../db/client.ts';
import { announce, CHANNELS } from '../db/notifications.ts';
import { messages, modelHistory, models } from '../db/schema/index.ts';
import type { ModelFieldChange } from '../db/schema/models.ts';
import { AppError, notFound } from '../errors.ts';
import { snapshotOf } from '../models/seed.ts';
import { type Actor, isSystemActor } from '../store/actor.ts';
import { isForeignKeyViolation, isUniqueViolation } from '../store/postgres-errors.ts';
import { diffModelStates, type ModelRow, type ModelState, toModelState } from './model-changes.ts';

export type ModelChangeKind = (typeof modelHistory.$inferSelect)['kind'];

/** Who changed it and why, as the history row records it. */
export type ChangeAuthor = { actor: Actor; reason?: string | null };

/** Postgres allows 65,535 parameters per statement; a model row takes about 20. */
const ROWS_PER_STATEMENT = 1_000;

function chunks<T>(items: T[], size = ROWS_PER_STATEMENT): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, index) =>
    items.slice(index * size, (index + 1) * size),
  );
}

/**
 * The model's row, locked until the transaction ends: a second writer of the same model waits here and then
 * reads the first one's result, so no update is lost and versions follow each other (n+1, n+2).
 */
export async function lockModel(tx: Transaction, id: string): Promise<ModelRow> {
  const [row] = await tx.select().from(models).where(eq(models.id, id)).for('update');
  if (!row) throw notFound('model', id);
  return row;
}

/**
 * The rows among `ids` that exist, locked unless `lock` is false (a dry run reads without a transaction). Always
 * locked in id order, so two bulk writers cannot deadlock.
 */
export async function lockModels(tx: Executor, ids: string[], lock = true): Promise<ModelRow[]> {
  const rows: ModelRow[] = [];
  for (const part of chunks([...ids].sort())) {
    const query = tx.select().from(models).where(inArray(models.id, part)).orderBy(asc(models.id));
    rows.push(...(lock ? await query.for('update') : await query));
  }
  return rows;
}

/** Refuses a write based on an outdated read: the caller saw `expectedVersion`, the model is at another. */
export function checkExpectedVersion(model: ModelRow, expectedVersion: number | undefined) {
  if (expectedVersion !== undefined && model.version !== expectedVersion) {
    throw new AppError(
      'conflict',
      `model ${model.id} is at version ${model.version}, not ${expectedVersion}: it changed meanwhile; reload and retry`,
      { details: { id: model.id, expectedVersion, currentVersion: model.version } },
    );
  }
}

/**
 * Inserts new models with their first history row each. A model deleted before keeps its history, so a new one
 * under the same id continues that history's numbering instead of colliding with it.
 */
export async function insertModels(
  tx: Transaction,
  states: ModelState[],
  kind: ModelChangeKind,
  author: ChangeAuthor,
  onInserted?: (count: number) => void,
): Promise<ModelRow[]> {
  const inserted: ModelRow[] = [];
  for (const part of chunks(states)) {
    const previous = await latestHistoryVersions(
      tx,
      part.map((state) => state.id),
    );
    const rows = part.map((state) => ({ ...state, version: (previous.get(state.id) ?? 0) + 1 }));
    try {
      inserted.push(...(await tx.insert(models).values(rows).returning()));
      onInserted?.(inserted.length);
    } catch (error) {
      if (isUniqueViolation(error)) {
        const ids = part.map((state) => state.id).join(', ');
        throw new AppError('conflict', `a model with this id already exists (${ids})`, { cause: error });
      }
      throw error;
    }
  }
  await recordHistory(
    tx,
    inserted.map((model) => ({ model, changes: [] })),
    kind,
    author,
  );
  return inserted;
}

/**
 * Writes `next` as the locked model's next version, with the field-level changes. Writes nothing and returns no
 * changes when `next` means the same as the current state.
 */
export async function writeNextVersion(
  tx: Transaction,
  current: ModelRow,
  next: ModelState,
  kind: ModelChangeKind,
  author: ChangeAuthor,
): Promise<{ model: ModelRow; changes: ModelFieldChange[] }> {
  const changes = diffModelStates(toModelState(current), next);
  if (changes.length === 0) return { model: current, changes };
  const model = await updateModelRow(tx, current, next);
  await recordHistory(tx, [{ model, changes }], kind, author);
  return { model, changes };
}

/** The row part of a new version; the caller records its history (bulk writers do so in batches). */
export async function updateModelRow(tx: Transaction, current: ModelRow, next: ModelState): Promise<ModelRow> {
  const [model] = await tx
    .update(models)
    .set({ ...next, version: current.version + 1 })
    .where(eq(models.id, current.id))
    .returning();
  return model!;
}

/**
 * Deletes the locked model, recording a last history row (its final state, one version on). A message that
 * names the model forbids it (messages.model_id is ON DELETE RESTRICT): old replies keep their attribution.
 */
export async function deleteModel(tx: Transaction, current: ModelRow, author: ChangeAuthor): Promise<number> {
  const [used] = await tx
    .select({ count: sql<number>`count(*)::int` })
    .from(messages)
    .where(eq(messages.modelId, current.id));
  if (used!.count > 0) throw stillReferenced(current.id, used!.count);
  try {
    await tx.delete(models).where(eq(models.id, current.id));
  } catch (error) {
    // A reply saved between the count and the delete: the foreign key catches it.
    if (isForeignKeyViolation(error)) throw stillReferenced(current.id, undefined, error);
    throw error;
  }
  const version = current.version + 1;
  await recordHistory(tx, [{ model: { ...current, version }, changes: [] }], 'deleted', author);
  return version;
}

function stillReferenced(id: string, count?: number, cause?: unknown) {
  const replies = count === undefined ? 'messages' : `${count} message${count === 1 ? '' : 's'}`;
  return new AppError('conflict', `model ${id} wrote ${replies} and cannot be deleted; deprecate it instead`, {
    details: { id, messages: count },
    cause,
  });
}

/**
 * Tells every server process (their model caches) which models changed. Inside the writing transaction: Postgres
 * delivers it only once, and only if, the change commits. Several models are announced as `*`.
 */
export async function announceModelChanges(tx: Transaction, ids: string[]) {
  if (ids.length === 0) return;
  await announce(tx, CHANNELS.models, ids.length === 1 ? ids[0]! : '*');
}

/** One history row per written version: its number, kind, field-level changes, full snapshot, author and reason. */
export async function recordHistory(
  tx: Transaction,
  entries: { model: ModelRow; changes: ModelFieldChange[] }[],
  kind: ModelChangeKind,
  { actor, reason }: ChangeAuthor,
) {
  for (const part of chunks(entries)) {
    await tx.insert(modelHistory).values(
      part.map(({ model, changes }) => ({
        modelId: model.id,
        version: model.version,
        kind,
        changes,
        snapshot: snapshotOf(model),
        changedBy: isSystemActor(actor) ? null : actor.id,
        reason: reason ?? null,
      })),
    );
  }
}

async function latestHistoryVersions(tx: Transaction, ids: string[]): Promise<Map<string, number>> {
  const rows = await tx
    .select({ modelId: modelHistory.modelId, version: sql<number>`max(${modelHistory.version})::int` })
    .from(modelHistory)
    .where(inArray(modelHistory.modelId, ids))
    .groupBy(modelHistory.modelId);
  return new Map(rows.map((row) => [row.modelId, row.version]));
}
