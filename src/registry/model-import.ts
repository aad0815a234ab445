// Bulk import and export of the registry as a JSON array of whole models (the shape of modelSchema's input).
// An import is validated whole before anything is written, then applied in one transaction: new models are
// created, changed ones get a new version, identical ones are left alone, so re-importing an export changes nothing.
import type { ModelFieldChange } from '../db/schema/models.ts';
import { AppError } from '../errors.ts';
import { modelImportSchema } from '../models/model-schema.ts';
import type { ChangeAuthor, ModelVersionStore, WrittenVersion } from '../store/model-versions.ts';
import type { ModelRow, ModelStore } from '../store/models.ts';
import { diffModelStates, type ModelState, toModelState } from './model-changes.ts';
import { insertModels, nextVersionOf } from './model-versioning.ts';

/** One thing wrong with an import: which entry (null: the document as a whole), which field (a dotted path), what. */
export type ImportProblem = { index: number | null; field: string; message: string };

export type ImportResult = {
  dryRun: boolean;
  created: string[];
  updated: { id: string; changes: ModelFieldChange[] }[];
  unchanged: string[];
};

export type ImportOptions = ChangeAuthor & {
  entries: unknown;
  dryRun?: boolean;
  /** Called as models are written (for a progress bar): how many of how many. */
  onProgress?: (done: number, total: number) => void;
};

type ImportPlan = {
  create: ModelState[];
  update: { current: ModelRow; next: ModelState; changes: ModelFieldChange[] }[];
  unchanged: string[];
};

/** The entries as model states, or `invalid_input` whose details list every problem of every entry. */
export function validateImport(entries: unknown): ModelState[] {
  const parsed = modelImportSchema.safeParse(entries);
  if (parsed.success) return parsed.data.map(toModelState);
  const problems: ImportProblem[] = parsed.error.issues.map((issue) => {
    const [first, ...rest] = issue.path;
    return typeof first === 'number'
      ? { index: first, field: rest.join('.'), message: issue.message }
      : { index: null, field: issue.path.join('.'), message: issue.message };
  });
  const entryCount = new Set(problems.map((problem) => problem.index)).size;
  const counted = `${plural(problems.length, 'problem', 'problems')} in ${plural(entryCount, 'entry', 'entries')}`;
  throw new AppError('invalid_input', `the import has ${counted}; nothing was imported`, {
    details: problems,
    cause: parsed.error,
  });
}

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

/** What an import would do to the models it names, given those that exist now. Pure. */
export function planImport(existing: ModelRow[], incoming: ModelState[]): ImportPlan {
  const byId = new Map(existing.map((row) => [row.id, row]));
  const plan: ImportPlan = { create: [], update: [], unchanged: [] };
  for (const next of incoming) {
    const current = byId.get(next.id);
    if (!current) {
      plan.create.push(next);
      continue;
    }
    const changes = diffModelStates(toModelState(current), next);
    if (changes.length === 0) plan.unchanged.push(next.id);
    else plan.update.push({ current, next, changes });
  }
  return plan;
}

const resultOf = (plan: ImportPlan, dryRun: boolean): ImportResult => ({
  dryRun,
  created: plan.create.map((state) => state.id),
  updated: plan.update.map(({ next, changes }) => ({ id: next.id, changes })),
  unchanged: plan.unchanged,
});

/** Where an import reads and writes: the models as they are, and their versions. */
export type ImportStores = { models: ModelStore; modelVersions: ModelVersionStore };

export async function importModels(store: ImportStores, options: ImportOptions): Promise<ImportResult> {
  const incoming = validateImport(options.entries);
  const ids = incoming.map((state) => state.id);
  if (options.dryRun) return resultOf(planImport(await store.models.withIds(ids), incoming), true);

  const author = { actor: options.actor, reason: options.reason };
  return store.modelVersions.transaction(async (versions) => {
    // Locked before planning: a concurrent edit of one of these models lands wholly before or after the import.
    const plan = planImport(await versions.lockAll(ids), incoming);
    const total = plan.create.length + plan.update.length;
    await insertModels(versions, plan.create, 'imported', author, (done) => options.onProgress?.(done, total));
    const written: WrittenVersion[] = [];
    for (const { current, next, changes } of plan.update) {
      written.push({ model: await versions.update(nextVersionOf(current, next)), changes });
      if (written.length % 100 === 0) options.onProgress?.(plan.create.length + written.length, total);
    }
    // The history of every changed model at once, rather than a statement per model.
    await versions.recordHistory(written, 'imported', author);
    const result = resultOf(plan, false);
    await versions.announce([...result.created, ...result.updated.map((entry) => entry.id)]);
    options.onProgress?.(total, total);
    return result;
  });
}

/** Every model in the import shape, in the registry's order; no timestamps or versions, which an import ignores. */
export async function exportModels(models: ModelStore): Promise<ModelState[]> {
  return (await models.inRegistryOrder()).map(toModelState);
}
