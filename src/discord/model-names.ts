// The models a person names in a Discord command (`/use gpt-4o claude`, `/ask … models:`), to registry ids. People
// type what they see: an id (`openai:gpt-4o`), the provider's model id (`gpt-4o`), the name or the display name, in
// any case. A name fits one model or it is refused, naming what it could be.
import { AppError } from '../errors.ts';
import type { ModelRow } from '../registry/model-cache.ts';

type Named = Pick<ModelRow, 'id' | 'providerModelId' | 'name' | 'displayName'>;

/** The ways of naming a model, most exact first: a name is matched at the first way any model fits. */
const WAYS: ((model: Named) => string | null)[] = [
  (model) => model.id,
  (model) => model.providerModelId,
  (model) => model.name,
  (model) => model.displayName,
];

const normalized = (text: string) => text.trim().toLowerCase();

/** The models that fit a name, at the most exact way any fits. */
export function modelsNamed<Model extends Named>(models: readonly Model[], name: string): Model[] {
  const wanted = normalized(name);
  for (const way of WAYS) {
    const fits = models.filter((model) => {
      const value = way(model);
      return value !== null && normalized(value) === wanted;
    });
    if (fits.length > 0) return fits;
  }
  return [];
}

/** Splits what a person typed into names: by commas or spaces. */
export function splitModelNames(typed: string): string[] {
  return typed
    .split(/[\s,]+/)
    .map((name) => name.trim())
    .filter((name) => name.length > 0);
}

/**
 * The ids of the named models, in the order named, each once; an invalid_input naming every name that fits no model
 * or several. Whether a model may be picked (retired, disabled) is the conversation services' to say.
 */
export function resolveModelNames(models: readonly Named[], names: string[]): string[] {
  if (names.length === 0) throw new AppError('invalid_input', 'name at least one model');
  const ids: string[] = [];
  const problems: { name: string; reason: string }[] = [];
  for (const name of names) {
    const fits = modelsNamed(models, name);
    if (fits.length === 1) ids.push(fits[0]!.id);
    else if (fits.length === 0) problems.push({ name, reason: 'no such model' });
    else problems.push({ name, reason: `could be ${fits.map((model) => model.id).join(', ')}` });
  }
  if (problems.length > 0) {
    const summary = problems.map((problem) => `${problem.name}: ${problem.reason}`).join('; ');
    throw new AppError('invalid_input', `cannot use ${summary}`, { details: problems });
  }
  return [...new Set(ids)];
}
