// Documents, their versions and the suggestions on them as the API shows them, from the tables with drizzle-zod.
import { createSelectSchema } from 'drizzle-zod';
import { z } from 'zod';
import { documents, suggestions } from '../../db/schema/index.ts';
import type { DocumentWithVersions } from '../../documents/document-service.ts';
import type { Document, Suggestion } from '../../store/documents.ts';
import { isoTimestamp } from './timestamps.ts';

export const documentVersionSchema = createSelectSchema(documents, { createdAt: isoTimestamp })
  .omit({ userId: true })
  .extend({ savedBy: z.uuid().meta({ description: 'Who saved this version' }) })
  .meta({ id: 'DocumentVersion' });

export const documentSchema = z
  .object({
    document: documentVersionSchema.meta({ description: 'The latest version' }),
    versions: z
      .array(z.object({ createdAt: z.iso.datetime(), title: z.string() }))
      .meta({ description: 'Every version, oldest first; `createdAt` names one in the version routes' }),
  })
  .meta({ id: 'Document' });

export const suggestionSchema = createSelectSchema(suggestions, {
  documentCreatedAt: isoTimestamp,
  createdAt: isoTimestamp,
  resolvedAt: (schema) => schema.nullable(),
})
  .omit({ userId: true })
  .extend({ resolvedAt: z.iso.datetime().nullable() })
  .meta({ id: 'Suggestion' });

export function toDocumentVersionDto(version: Document): z.infer<typeof documentVersionSchema> {
  const { userId, createdAt, ...rest } = version;
  return { ...rest, createdAt: createdAt.toISOString(), savedBy: userId };
}

export function toDocumentDto({ latest, versions }: DocumentWithVersions): z.infer<typeof documentSchema> {
  return {
    document: toDocumentVersionDto(latest),
    versions: versions.map(({ createdAt, title }) => ({ createdAt: createdAt.toISOString(), title })),
  };
}

export function toSuggestionDto(suggestion: Suggestion): z.infer<typeof suggestionSchema> {
  const { userId: _userId, documentCreatedAt, createdAt, resolvedAt, ...rest } = suggestion;
  return {
    ...rest,
    documentCreatedAt: documentCreatedAt.toISOString(),
    createdAt: createdAt.toISOString(),
    resolvedAt: resolvedAt?.toISOString() ?? null,
  };
}
