// The model registry: models as versioned data. Reads take no actor (entry points decide who may list); every
// change is an admin's, runs in one transaction on the locked model row, leaves exactly one model_history row and is
// announced to every process's model cache on commit (store/model-versions.ts). Entry points (HTTP, CLI) call this;
// nothing else writes the `models` table after seeding.
import type { ModelFieldChange } from '../db/schema/models.ts';
import { AppError, notFound } from '../errors.ts';
import type { ModelInput, ModelUpdateInput } from '../models/model-schema.ts';
import { isSelectableStatus, SELECTABLE_STATUSES } from '../models/model-schema.ts';
import { type Actor, isAdmin } from '../store/actor.ts';
import type { Store } from '../store/index.ts';
import type { ModelChangeKind, ModelHistoryEntry, ModelVersionWriter } from '../store/model-versions.ts';
import type { ModelListQuery, ModelRow } from '../store/models.ts';
import type { Page } from '../store/pagination.ts';
import { applyModelUpdate, type ModelState, parseModelState, parseModelUpdate, toModelState } from './model-changes.ts';
import { exportModels, type ImportOptions, type ImportResult, importModels } from './model-import.ts';
import { checkExpectedVersion, deleteModel, insertModels, writeNextVersion } from './model-versioning.ts';
import { type RepricePeriod, type RepriceResult, repriceMessages } from './repricing.ts';
import { type UsageQuery, type UsageRow, usageReport } from './usage-report.ts';

export type { ModelHistoryEntry } from '../store/model-versions.ts';
export type { ModelFilter, ModelListQuery, ModelRow } from '../store/models.ts';
export type { ModelState } from './model-changes.ts';

/** What a change did: the model as it is now, and the field-level changes (none: nothing was written). */
export type ModelChangeResult = { model: ModelRow; changed: boolean; changes: ModelFieldChange[] };

type Change = { actor: Actor; id: string; reason?: string | null; expectedVersion?: number };

/** The parts of the store the registry reads and writes. */
export type RegistryStores = Pick<Store, 'models' | 'modelVersions' | 'replyCosts' | 'usage'>;

export class ModelRegistry {
  constructor(private readonly store: RegistryStores) {}

  /** Every status; filtered, searched, paged in the registry's order. */
  list(query: ModelListQuery = {}): Promise<Page<ModelRow>> {
    return this.store.models.list(query);
  }

  get(id: string): Promise<ModelRow> {
    return this.store.models.get(id);
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
    const [created] = await this.store.modelVersions.transaction(async (versions) => {
      await versions.announce([state.id]);
      return insertModels(versions, [state], 'created', { actor, reason });
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
    const [copy] = await this.store.modelVersions.transaction(async (versions) => {
      const source = await versions.lock(id);
      const state = applyModelUpdate({ ...toModelState(source), ...identity }, update);
      await versions.announce([state.id]);
      return insertModels(versions, [state], 'created', { actor, reason: reason ?? `duplicated from ${id}` });
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
    return this.change(change, 'restored', async (current, versions) => {
      const state = toModelState(current);
      if (isSelectableStatus(state.status)) return state;
      // The newest selectable status in its history; `active` when it never had one.
      const status = await versions.newestStatusAmong(current.id, SELECTABLE_STATUSES);
      return { ...state, status: status ?? 'active' };
    });
  }

  /** Only a model no message refers to; otherwise `conflict` (deprecate it instead). Its history stays. */
  async delete({ actor, id, reason, expectedVersion }: Change): Promise<{ id: string; version: number }> {
    requireAdmin(actor);
    const version = await this.store.modelVersions.transaction(async (versions) => {
      const current = await versions.lock(id);
      checkExpectedVersion(current, expectedVersion);
      await versions.announce([id]);
      return deleteModel(versions, current, { actor, reason });
    });
    return { id, version };
  }

  /** Every version of a model, newest first; a deleted model's history too. */
  async history(id: string): Promise<ModelHistoryEntry[]> {
    const entries = await this.store.modelVersions.history(id);
    if (entries.length === 0) throw notFound('model', id);
    return entries;
  }

  /** Back to the fields of an earlier version, written as a new version (kind `reverted`). */
  async revert({ toVersion, reason, ...change }: Change & { toVersion: number }): Promise<ModelChangeResult> {
    const why = reason ?? `reverted to version ${toVersion}`;
    return this.change({ ...change, reason: why }, 'reverted', async (current, versions) => {
      const snapshot = await versions.snapshotAt(current.id, toVersion);
      if (snapshot === undefined) throw notFound(`version ${toVersion} of model`, current.id);
      return parseModelState(snapshot, `snapshot of version ${toVersion}`);
    });
  }

  /** Every model in the import shape, in the registry's order. */
  async exportModels(): Promise<ModelState[]> {
    return exportModels(this.store.models);
  }

  /** Validated whole, then applied in one transaction (or only planned, with `dryRun`). */
  async importModels(options: ImportOptions): Promise<ImportResult> {
    requireAdmin(options.actor);
    return importModels(this.store, options);
  }

  /** Recomputes the stored cost of the period's replies at their models' current prices. */
  async repriceMessages({ actor, ...period }: RepricePeriod & { actor: Actor }): Promise<RepriceResult> {
    requireAdmin(actor, 'reprice messages');
    return repriceMessages(this.store.replyCosts, period);
  }

  /** Replies, tokens and cost per model, per user or per day. Admins only: it shows what each person spent. */
  async usage({ actor, ...query }: UsageQuery & { actor: Actor }): Promise<UsageRow[]> {
    requireAdmin(actor, 'see usage');
    return usageReport(this.store.usage, query);
  }

  /**
   * The shape of every single-model change: lock the row (a concurrent change of the same model waits, then
   * builds on this one's result), check the version the caller saw, compute the next state, write it as the next
   * version with its history row. A change to the same state writes nothing and says so.
   */
  private async change(
    { actor, id, reason, expectedVersion }: Change,
    kind: ModelChangeKind,
    nextState: (current: ModelRow, versions: ModelVersionWriter) => ModelState | Promise<ModelState>,
  ): Promise<ModelChangeResult> {
    requireAdmin(actor);
    const result = await this.store.modelVersions.transaction(async (versions) => {
      const current = await versions.lock(id);
      checkExpectedVersion(current, expectedVersion);
      const next = await nextState(current, versions);
      const written = await writeNextVersion(versions, current, next, kind, { actor, reason });
      if (written.changes.length > 0) await versions.announce([id]);
      return written;
    });
    return { ...result, changed: result.changes.length > 0 };
  }
}

function requireAdmin(actor: Actor, what = 'change the model registry') {
  if (!isAdmin(actor)) throw new AppError('forbidden', `only admins ${what}`);
}
