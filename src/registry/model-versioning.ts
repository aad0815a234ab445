// Which version a write of a model becomes: a new model continues the history of a deleted one under its id, a
// change is the current version plus one, a change that means nothing writes nothing, and a write based on an
// outdated read is refused. The rows themselves are written through the store (store/model-versions.ts), inside the
// caller's transaction, each version with its history row.
import type { ModelFieldChange } from '../db/schema/models.ts';
import { AppError } from '../errors.ts';
import type {
  ChangeAuthor,
  ModelChangeKind,
  ModelVersionRow,
  ModelVersionWriter,
  WrittenVersion,
} from '../store/model-versions.ts';
import type { ModelRow } from '../store/models.ts';
import { diffModelStates, type ModelState, toModelState } from './model-changes.ts';

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

/** The row of the version after `current`, holding `next`. */
export const nextVersionOf = (current: ModelRow, next: ModelState): ModelVersionRow => ({
  ...next,
  version: current.version + 1,
});

/**
 * Inserts new models with their first history row each. A model deleted before keeps its history, so a new one
 * under the same id continues that history's numbering instead of colliding with it.
 */
export async function insertModels(
  versions: ModelVersionWriter,
  states: ModelState[],
  kind: ModelChangeKind,
  author: ChangeAuthor,
  onInserted?: (count: number) => void,
): Promise<ModelRow[]> {
  if (states.length === 0) return [];
  const previous = await versions.latestVersions(states.map((state) => state.id));
  const rows = states.map((state) => ({ ...state, version: (previous.get(state.id) ?? 0) + 1 }));
  const inserted = await versions.insert(rows, onInserted);
  await versions.recordHistory(
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
  versions: ModelVersionWriter,
  current: ModelRow,
  next: ModelState,
  kind: ModelChangeKind,
  author: ChangeAuthor,
): Promise<WrittenVersion> {
  const changes: ModelFieldChange[] = diffModelStates(toModelState(current), next);
  if (changes.length === 0) return { model: current, changes };
  const model = await versions.update(nextVersionOf(current, next));
  await versions.recordHistory([{ model, changes }], kind, author);
  return { model, changes };
}

/** Deletes the locked model, recording a last history row: its final state, one version on. Returns that version. */
export async function deleteModel(versions: ModelVersionWriter, current: ModelRow, author: ChangeAuthor) {
  await versions.delete(current);
  const version = current.version + 1;
  await versions.recordHistory([{ model: { ...current, version }, changes: [] }], 'deleted', author);
  return version;
}
