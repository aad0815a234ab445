// The documents API as the document panel uses it.
import { apiRequest } from '../api.ts';
import type { DocumentVersion, DocumentWithVersions, Suggestion } from '../types.ts';

const documentPath = (id: string) => `/api/documents/${id}`;

export const fetchDocument = (id: string) => apiRequest<DocumentWithVersions>('GET', documentPath(id));

export const fetchVersion = (id: string, createdAt: string) =>
  apiRequest<DocumentVersion>('GET', `${documentPath(id)}/versions/${encodeURIComponent(createdAt)}`);

export const fetchSuggestions = async (id: string) =>
  (await apiRequest<{ suggestions: Suggestion[] }>('GET', `${documentPath(id)}/suggestions`)).suggestions;

/** A person's edit (or a restored version's content): the next version. */
export const saveDocument = (id: string, content: string) =>
  apiRequest<DocumentVersion>('PUT', documentPath(id), { content });

export const resolveSuggestion = (id: string, decision: 'accept' | 'reject') =>
  apiRequest<unknown>('POST', `/api/suggestions/${id}/${decision}`);
