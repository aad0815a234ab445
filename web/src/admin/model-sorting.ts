// Sorting the models table by a column, in the browser: the loaded rows are reordered, nothing is fetched.
import type { AdminModel } from '../types.ts';

export type SortKey =
  | 'name'
  | 'provider'
  | 'status'
  | 'inputPrice'
  | 'outputPrice'
  | 'contextWindow'
  | 'version'
  | 'updatedAt';

const sortValueOf: Record<SortKey, (model: AdminModel) => string | number> = {
  name: (model) => (model.displayName ?? model.name).toLowerCase(),
  provider: (model) => model.provider,
  status: (model) => model.status,
  inputPrice: (model) => model.pricing.input,
  outputPrice: (model) => model.pricing.output,
  contextWindow: (model) => model.contextWindow,
  version: (model) => model.version,
  updatedAt: (model) => model.updatedAt,
};

export function sortModels(models: AdminModel[], key: SortKey, descending: boolean): AdminModel[] {
  const read = sortValueOf[key];
  const direction = descending ? -1 : 1;
  // Ties keep a stable, readable order: by id.
  return [...models].sort((left, right) => {
    const [a, b] = [read(left), read(right)];
    const order = typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b));
    return order !== 0 ? order * direction : left.id.localeCompare(right.id);
  });
}
