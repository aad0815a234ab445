// Versions of models: every write of a model is a version, its `models` row and its `model_history` row written in
// one transaction, so a model and its history never disagree, and announced to every server process's model cache
// when it commits. What a change is, whether it is allowed and which version it becomes: the registry
// (src/registry). Rows are locked before they are changed.
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Database, Transaction } from '../db/client.ts';
import { announce, CHANNELS } from '../db/notifications.ts';
import { messages, modelHistory, models } from '../db/schema/index.ts';
import type { ModelFieldChange } from '../db/schema/models.ts';
import { AppError, notFound } from '../errors.ts';
import { type Actor, isSystemActor } from './actor.ts';
import type { ModelRow } from './models.ts';
import { isForeignKeyViolation, isUniqueViolation } from './postgres-errors.ts';
import { inParts } from './statement-parts.ts';

export type ModelHistoryEntry = typeof modelHistory.$inferSelect;
export type ModelChangeKind = ModelHistoryEntry['kind'];

/** Who changed it and why, as the history row records it. */
export type ChangeAuthor = { actor: Actor; reason?: string | null };

/** A model's row as written: every field of the model, and its version. */
export type ModelVersionRow = Omit<typeof models.$inferInsert, 'createdAt' | 'updatedAt'> & { version: number };

/** A written version and its field-level changes (none for a model's first version). */
export type WrittenVersion = { model: ModelRow; changes: ModelFieldChange[] };

/** The JSON-safe full state of a model row, as its history stores it. */
export function snapshotOf(model: ModelRow): Record<string, unknown> {
  return JSON.parse(JSON.stringify(model));
}

export class ModelVersionStore {
  constructor(private readonly db: Database) {}

  /** Every version of a model, newest first; a deleted model's too. Empty when there never was such a model. */
  history(id: string): Promise<ModelHistoryEntry[]> {
    return this.db.select().from(modelHistory).where(eq(modelHistory.modelId, id)).orderBy(desc(modelHistory.version));
  }

  /** Runs `work` in one transaction: all its writes commit together or not at all, their announcement with them. */
  transaction<T>(work: (versions: ModelVersionWriter) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) => work(new ModelVersionWriter(tx)));
  }
}

/** The reads and writes of one transaction of ModelVersionStore. */
export class ModelVersionWriter {
  constructor(private readonly tx: Transaction) {}

  /**
   * The model's row, locked until the transaction ends: a second writer of the same model waits here and then
   * reads the first one's result, so no update is lost and versions follow each other (n+1, n+2).
   */
  async lock(id: string): Promise<ModelRow> {
    const [row] = await this.tx.select().from(models).where(eq(models.id, id)).for('update');
    if (!row) throw notFound('model', id);
    return row;
  }

  /** The rows among `ids` that exist, locked, always in id order, so two bulk writers cannot deadlock. */
  async lockAll(ids: readonly string[]): Promise<ModelRow[]> {
    const rows: ModelRow[] = [];
    for (const part of inParts([...ids].sort())) {
      rows.push(
        ...(await this.tx.select().from(models).where(inArray(models.id, part)).orderBy(asc(models.id)).for('update')),
      );
    }
    return rows;
  }

  /** The newest version in the history of each of `ids` that has one: models there are now, and deleted ones. */
  async latestVersions(ids: readonly string[]): Promise<Map<string, number>> {
    const latest = new Map<string, number>();
    for (const part of inParts(ids)) {
      const rows = await this.tx
        .select({ modelId: modelHistory.modelId, version: sql<number>`max(${modelHistory.version})::int` })
        .from(modelHistory)
        .where(inArray(modelHistory.modelId, part))
        .groupBy(modelHistory.modelId);
      for (const row of rows) latest.set(row.modelId, row.version);
    }
    return latest;
  }

  /** The full state a model had at a version, as its history stores it; undefined when there is no such version. */
  async snapshotAt(id: string, version: number): Promise<unknown> {
    const [row] = await this.tx
      .select({ snapshot: modelHistory.snapshot })
      .from(modelHistory)
      .where(and(eq(modelHistory.modelId, id), eq(modelHistory.version, version)));
    return row?.snapshot;
  }

  /** The status of the newest version of a model whose status is one of `statuses`; undefined when none was. */
  async newestStatusAmong<Status extends ModelRow['status']>(
    id: string,
    statuses: readonly Status[],
  ): Promise<Status | undefined> {
    const status = sql<Status>`${modelHistory.snapshot} ->> 'status'`;
    const [row] = await this.tx
      .select({ status })
      .from(modelHistory)
      .where(and(eq(modelHistory.modelId, id), inArray(status, [...statuses])))
      .orderBy(desc(modelHistory.version))
      .limit(1);
    return row?.status;
  }

  /** Inserts new models (their history is the caller's to record); an id already taken is a conflict. */
  async insert(rows: readonly ModelVersionRow[], onInserted?: (count: number) => void): Promise<ModelRow[]> {
    const inserted: ModelRow[] = [];
    for (const part of inParts(rows)) {
      try {
        inserted.push(...(await this.tx.insert(models).values(part).returning()));
      } catch (error) {
        if (isUniqueViolation(error)) {
          const ids = part.map((row) => row.id).join(', ');
          throw new AppError('conflict', `a model with this id already exists (${ids})`, { cause: error });
        }
        throw error;
      }
      onInserted?.(inserted.length);
    }
    return inserted;
  }

  /** Inserts the models whose id is free and returns them; the others are left as they are. */
  async insertAbsent(rows: readonly ModelVersionRow[]): Promise<ModelRow[]> {
    const inserted: ModelRow[] = [];
    for (const part of inParts(rows)) {
      inserted.push(
        ...(await this.tx.insert(models).values(part).onConflictDoNothing({ target: models.id }).returning()),
      );
    }
    return inserted;
  }

  /** Replaces a model's row with `row` (its next version); the caller records its history. */
  async update(row: ModelVersionRow): Promise<ModelRow> {
    const [model] = await this.tx.update(models).set(row).where(eq(models.id, row.id)).returning();
    if (!model) throw notFound('model', row.id);
    return model;
  }

  /**
   * Deletes a locked model's row (the caller records its last history row). A message that names the model forbids
   * it (messages.model_id is ON DELETE RESTRICT): old replies keep their attribution.
   */
  async delete(model: ModelRow): Promise<void> {
    const [used] = await this.tx
      .select({ count: sql<number>`count(*)::int` })
      .from(messages)
      .where(eq(messages.modelId, model.id));
    if (used!.count > 0) throw stillReferenced(model.id, used!.count);
    try {
      await this.tx.delete(models).where(eq(models.id, model.id));
    } catch (error) {
      // A reply saved between the count and the delete: the foreign key catches it.
      if (isForeignKeyViolation(error)) throw stillReferenced(model.id, undefined, error);
      throw error;
    }
  }

  /** One history row per written version: its number, kind, field-level changes, full snapshot, author and reason. */
  async recordHistory(versions: readonly WrittenVersion[], kind: ModelChangeKind, { actor, reason }: ChangeAuthor) {
    for (const part of inParts(versions)) {
      await this.tx.insert(modelHistory).values(
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

  /**
   * Tells every server process (their model caches) which models changed. Postgres delivers it only once, and only
   * if, the transaction commits. Several models are announced as `*`.
   */
  async announce(ids: readonly string[]) {
    if (ids.length === 0) return;
    await announce(this.tx, CHANNELS.models, ids.length === 1 ? ids[0]! : '*');
  }
}

function stillReferenced(id: string, count?: number, cause?: unknown) {
  const replies = count === undefined ? 'messages' : `${count} message${count === 1 ? '' : 's'}`;
  return new AppError('conflict', `model ${id} wrote ${replies} and cannot be deleted; deprecate it instead`, {
    details: { id, messages: count },
    cause,
  });
}
