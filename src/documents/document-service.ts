// The document use cases behind /api/documents and /api/suggestions: read a document with its versions, one version,
// a person's edit saved as a new version, undo back to a version, the open and resolved suggestions on the latest
// version, and accepting (applied as a new version) or rejecting one. Access is the store's: a document is reached
// as its conversation is (see store/documents.ts).
import type { Actor } from '../store/actor.ts';
import type { Document, DocumentStore, Suggestion } from '../store/documents.ts';
import { applySuggestion } from './suggestion-edits.ts';

/** A document as a reader sees it: its latest version, and when each version was saved, oldest first. */
export type DocumentWithVersions = { latest: Document; versions: Pick<Document, 'createdAt' | 'title'>[] };

export class DocumentService {
  constructor(private readonly documents: DocumentStore) {}

  async get({ actor, id }: { actor: Actor; id: string }): Promise<DocumentWithVersions> {
    const versions = await this.documents.listVersions({ actor, id });
    return { latest: versions.at(-1)!, versions: versions.map(({ createdAt, title }) => ({ createdAt, title })) };
  }

  getVersion(request: { actor: Actor; id: string; createdAt: Date }): Promise<Document> {
    return this.documents.getVersion(request);
  }

  /** A person's edit: the next version, with the title kept unless a new one is given. */
  async edit({ actor, id, content, title }: { actor: Actor; id: string; content: string; title?: string }) {
    const latest = await this.documents.getLatest({ actor, id });
    return this.documents.save({ actor, id, title: title ?? latest.title, kind: latest.kind, content });
  }

  /** Drops every version saved after `after` (and their suggestions); the document as it now stands. */
  async deleteVersionsAfter(request: { actor: Actor; id: string; after: Date }) {
    const deleted = await this.documents.deleteVersionsAfter(request);
    return { deleted: deleted.length, document: await this.get(request) };
  }

  /** The suggestions on the latest version, oldest first. */
  async listSuggestions({ actor, id }: { actor: Actor; id: string }): Promise<Suggestion[]> {
    const latest = await this.documents.getLatest({ actor, id });
    return this.documents.listSuggestions({ actor, documentId: id, documentCreatedAt: latest.createdAt });
  }

  /** Applies the suggestion to the latest version, saved as the next version. */
  accept({ actor, id }: { actor: Actor; id: string }) {
    return this.documents.acceptSuggestion({ actor, id, apply: applySuggestion });
  }

  reject({ actor, id }: { actor: Actor; id: string }): Promise<Suggestion> {
    return this.documents.resolveSuggestion({ actor, id, accepted: false });
  }
}
