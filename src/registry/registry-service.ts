// The model registry [seed 001]: models as versioned data. Reads take no actor (entry points decide who may
// list); every change is an admin's, runs in one transaction on the locked model row, leaves exactly one
// model_history row and is announced to every process's model cache on commit (see model-versions.ts).
// Entry points (HTTP, CLI) call this; nothing else writes the `models` table after seeding.
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Database, Transaction } from '../db/client.ts';
import { modelHistory, models } from '../db/schema/index.ts';
import type { ModelFieldChange } from '../db/schema/models.ts';
import { AppError, notFound } from '../errors.ts';
import type { ModelInput, ModelUpdateInput } from '../models/model-schema.ts';
import { isSelectableStatus, SELECTABLE_STATUSES } from '../models/model-schema.ts';
import { type Actor, isAdmin } from '../store/actor.ts';
import type { Page } from '../store/pagination.ts';
import {
  applyModelUpdate,
  type ModelRow,
  type ModelState,
  parseModelState,
  parseModelUpdate,
  toModelState,
} from './model-changes.ts';
import { exportModels, type ImportOptions, type ImportResult, importModels } from './model-import.ts';
import { ModelListing, type ModelListQuery } from './model-listing.ts';
import {
  announceModelChanges,
  checkExpectedVersion,
  deleteModel,
  insertModels,
  lockModel,
  type ModelChangeKind,
  writeNextVersion,
} from './model-versions.ts';
import { type RepricePeriod, type RepriceResult, repriceMessages } from './repricing.ts';
import { type UsageQuery, type UsageRow, usageReport } from './usage-report.ts';

export type { ModelRow, ModelState } from './model-changes.ts';
export type ModelHistoryEntry = typeof modelHistory.$inferSelect;

/** What a change did: the model as it is now, and the field-level changes (none: nothing was written). */
export type ModelChangeResult = { model: ModelRow; changed: boolean; changes: ModelFieldChange[] };

type Change = { actor: Actor; id: string; reason?: string | null; expectedVersion?: number };

export class ModelRegistry {
  private readonly listing: ModelListing;

  constructor(private readonly db: Database) {
    this.listing = new ModelListing(db);
  }

  /** Every status; filtered, searched, paged in the registry's order. */
  list(query: ModelListQuery = {}): Promise<Page<ModelRow>> {
    return this.listing.list(query);
  }

  async get(id: string): Promise<ModelRow> {
    const [model] = await this.db.select().from(models).where(eq(models.id, id));
    if (!model) throw notFound('model', id);
    return model;
  }

  async create({
    actor,
    model,
    reason,
  }: {
    actor: Actor;
    model: ModelInput;
    reason?: string | null;
  }): Promise<ModelRow> {
    requireAdmin(actor);
    const state = parseModelState(model);
    const [created] = await this.db.transaction(async (tx) => {
      await announceModelChanges(tx, [state.id]);
      return insertModels(tx, [state], 'created', { actor, reason });
    });
    return created!;
  }

  /** A partial update; `pricing` may name only the prices that change. */
  async update({ updates, ...change }: Change & { updates: ModelUpdateInput }): Promise<ModelChangeResult> {
    requireAdmin(change.actor);
    const update = parseModelUpdate(updates);
    return this.change(change, 'updated', (current) => applyModelUpdate(toModelState(current), update));
  }

  /** A copy under a new id (`provider:providerModelId`), with `overrides` applied like an update. */
  async duplicate({
    actor,
    id,
    newId,
    overrides = {},
    reason,
  }: {
    actor: Actor;
    id: string;
    newId: string;
    overrides?: ModelUpdateInput;
    reason?: string | null;
  }): Promise<ModelRow> {
    requireAdmin(actor);
    const update = parseModelUpdate(overrides);
    const separator = newId.indexOf(':');
    const identity = {
      id: newId,
      provider: separator < 0 ? newId : newId.slice(0, separator),
      providerModelId: separator < 0 ? '' : newId.slice(separator + 1),
    };
    const [copy] = await this.db.transaction(async (tx) => {
      const source = await lockModel(tx, id);
      const state = applyModelUpdate({ ...toModelState(source), ...identity }, update);
      await announceModelChanges(tx, [state.id]);
      return insertModels(tx, [state], 'created', { actor, reason: reason ?? `duplicated from ${id}` });
    });
    return copy!;
  }

  /** No longer selectable for new messages; old messages keep it as their author. */
  async deprecate(change: Change): Promise<ModelChangeResult> {
    return this.change(change, 'deprecated', (current) => ({ ...toModelState(current), status: 'deprecated' }));
  }

  /** Hidden and unusable, e.g. while a provider misbehaves. */
  async disable(change: Change): Promise<ModelChangeResult> {
    return this.change(change, 'disabled', (current) => ({ ...toModelState(current), status: 'disabled' }));
  }

  /** Selectable again, with the status it had before it was deprecated or disabled (active or beta). */
  async restore(change: Change): Promise<ModelChangeResult> {
    return this.change(change, 'restored', async (current, tx) => {
      const state = toModelState(current);
      if (isSelectableStatus(state.status)) return state;
      return { ...state, status: await lastSelectableStatus(tx, current.id) };
    });
  }

  /** Only a model no message refers to; otherwise `conflict` (deprecate it instead). Its history stays. */
  async delete({ actor, id, reason, expectedVersion }: Change): Promise<{ id: string; version: number }> {
    requireAdmin(actor);
    const version = await this.db.transaction(async (tx) => {
      const current = await lockModel(tx, id);
      checkExpectedVersion(current, expectedVersion);
      await announceModelChanges(tx, [id]);
      return deleteModel(tx, current, { actor, reason });
    });
    return { id, version };
  }

  /** Every version of a model, newest first; a deleted model's history too. */
  async history(id: string): Promise<ModelHistoryEntry[]> {
    const entries = await this.db
      .select()
      .from(modelHistory)
      .where(eq(modelHistory.modelId, id))
      .orderBy(desc(modelHistory.version));
    if (entries.length === 0) throw notFound('model', id);
    return entries;
  }

  /** Back to the fields of an earlier version, written as a new version (kind `reverted`). */
  async revert({ toVersion, reason, ...change }: Change & { toVersion: number }): Promise<ModelChangeResult> {
    const why = reason ?? `reverted to version ${toVersion}`;
    return this.change({ ...change, reason: why }, 'reverted', async (current, tx) => {
      const [target] = await tx
        .select({ snapshot: modelHistory.snapshot })
        .from(modelHistory)
        .where(and(eq(modelHistory.modelId, current.id), eq(modelHistory.version, toVersion)));
      if (!target) throw notFound(`version ${toVersion} of model`, current.id);
      return parseModelState(target.snapshot, `snapshot of version ${toVersion}`);
    });
  }

  /** Every model in the import shape, in the registry's order. */
  async exportModels(): Promise<ModelState[]> {
    return exportModels(this.db);
  }

  /** Validated whole, then applied in one transaction (or only planned, with `dryRun`). */
  async importModels(options: ImportOptions): Promise<ImportResult> {
    requireAdmin(options.actor);
    return importModels(this.db, options);
  }

  /** Recomputes the stored cost of the period's replies at their models' current prices. */
  async repriceMessages({ actor, ...period }: RepricePeriod & { actor: Actor }): Promise<RepriceResult> {
    requireAdmin(actor, 'reprice messages');
    return repriceMessages(this.db, period);
  }

  /** Replies, tokens and cost per model, per user or per day. Admins only: it shows what each person spent. */
  async usage({ actor, ...query }: UsageQuery & { actor: Actor }): Promise<UsageRow[]> {
    requireAdmin(actor, 'see usage');
    return usageReport(this.db, query);
  }

  /**
   * The shape of every single-model change: lock the row (a concurrent change of the same model waits, then
   * builds on this one's result), check the version the caller saw, compute the next state, write it as the next
   * version with its history row. A change to the same state writes nothing and says so.
   */
  private async change(
    { actor, id, reason, expectedVersion }: Change,
    kind: ModelChangeKind,
    nextState: (current: ModelRow, tx: Transaction) => ModelState | Promise<ModelState>,
  ): Promise<ModelChangeResult> {
    requireAdmin(actor);
    const result = await this.db.transaction(async (tx) => {
      const current = await lockModel(tx, id);
      checkExpectedVersion(current, expectedVersion);
      const written = await writeNextVersion(tx, current, await nextState(current, tx), kind, { actor, reason });
      if (written.changes.length > 0) await announceModelChanges(tx, [id]);
      return written;
    });
    return { ...result, changed: result.changes.length > 0 };
  }
}

function requireAdmin(actor: Actor, what = 'change the model registry') {
  if (!isAdmin(actor)) throw new AppError('forbidden', `only admins ${what}`);
}

/** The newest selectable status in the model's history; `active` when it never had one. */
async function lastSelectableStatus(tx: Transaction, id: string): Promise<ModelRow['status']> {
  const status = sql<ModelRow['status']>`${modelHistory.snapshot} ->> 'status'`;
  const [row] = await tx
    .select({ status })
    .from(modelHistory)
    .where(and(eq(modelHistory.modelId, id), inArray(status, [...SELECTABLE_STATUSES])))
    .orderBy(desc(modelHistory.version))
    .limit(1);
  return row?.status ?? 'active';
}
