// Which models will answer the next message, and what all of them can do. The API refuses a whole request when one
// of its models cannot read an attached file or search the web (naming it), so the composer offers a kind of file,
// or web search, only when every answering model can, and otherwise says which model stands in the way.
import type { ConversationDetails, PickableModel } from '../types.ts';
import { modelLabel } from './ModelPicker.tsx';

export type AnsweringModel = { id: string; name: string; capabilities: readonly string[] };

/** A group's active models answer (its panel sets them); a one-person chat's are the ones picked in the toolbar. */
export function answeringModels(options: {
  group: boolean;
  details: ConversationDetails | null;
  selected: string[];
  models: PickableModel[];
}): AnsweringModel[] {
  const { group, details, selected, models } = options;
  const ids =
    group && details ? details.models.filter((member) => member.isActive).map((member) => member.modelId) : selected;
  return ids.map((id) => {
    const model = models.find((candidate) => candidate.id === id);
    if (model) return { id, name: modelLabel(model), capabilities: model.capabilities };
    // No longer pickable (retired meanwhile): it can do nothing new.
    const member = details?.models.find((candidate) => candidate.modelId === id);
    return { id, name: member?.displayName ?? member?.name ?? id, capabilities: [] };
  });
}

export type FileKind = 'image' | 'pdf';

/** What POST /api/files takes (src/files/media-types.ts decides by the bytes; this is the browser's view). */
export const MEDIA_TYPES_OF: Record<FileKind, readonly string[]> = {
  image: ['image/png', 'image/jpeg', 'image/webp', 'image/gif'],
  pdf: ['application/pdf'],
};

const CAPABILITY_TO_READ: Record<FileKind, string> = { image: 'vision', pdf: 'pdf' };
export const KIND_NAMES: Record<FileKind, string> = { image: 'images', pdf: 'PDFs' };

export function kindOfMediaType(mediaType: string): FileKind | null {
  if (MEDIA_TYPES_OF.image.includes(mediaType)) return 'image';
  if (MEDIA_TYPES_OF.pdf.includes(mediaType)) return 'pdf';
  return null;
}

export const unableToRead = (models: AnsweringModel[], kind: FileKind) =>
  models.filter((model) => !model.capabilities.includes(CAPABILITY_TO_READ[kind]));

/** The kinds of file every answering model reads. */
export function readableKinds(models: AnsweringModel[]): FileKind[] {
  if (models.length === 0) return [];
  return (['image', 'pdf'] as const).filter((kind) => unableToRead(models, kind).length === 0);
}

export const unableToSearch = (models: AnsweringModel[]) =>
  models.filter((model) => !model.capabilities.includes('web_search'));

/** "alpha", "alpha and beta", "alpha, beta and gamma". */
export function namesOf(models: AnsweringModel[]): string {
  const names = models.map((model) => model.name);
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}
