// Documents a model writes through tools, and the edits it suggests to them. A document is its
// versions: every save adds a row with the same id and a later created_at. All of it belongs to the user who
// owns the document (documents.user_id); anyone else gets not-found.
import { and, asc, desc, eq, exists, gt, ne, sql } from 'drizzle-orm';
import type { Database, Executor } from '../db/client.ts';
import { documents, suggestions } from '../db/schema/index.ts';
import { AppError, notFound } from '../errors.ts';
import type { Actor } from './actor.ts';
import { requireConversation } from './conversation-access.ts';
import { isUniqueViolation } from './postgres-errors.ts';

export type Document = typeof documents.$inferSelect;
export type DocumentKind = Document['kind'];
export type Suggestion = typeof suggestions.$inferSelect;

export type NewDocumentVersion = {
  actor: Actor;
  /** Omitted: a new document. Given: a new version of that document. */
  id?: string;
  title: string;
  content?: string | null;
  kind?: DocumentKind;
  /** The conversation it was written in; the actor must be able to write there. */
  conversationId?: string | null;
};

export type NewSuggestion = Pick<typeof suggestions.$inferInsert, 'originalText' | 'suggestedText' | 'description'>;

/** One version of one document: the pair suggestions point at. */
type VersionRef = { actor: Actor; documentId: string; documentCreatedAt: Date };

export class DocumentStore {
  constructor(private readonly db: Database) {}

  async save({ actor, id, title, content = null, kind, conversationId = null }: NewDocumentVersion): Promise<Document> {
    try {
      return await this.db.transaction(async (tx) => {
        if (conversationId) await requireConversation(tx, actor, conversationId, 'write');
        if (id) await this.refuseForeignDocument(tx, actor, id);
        const [saved] = await tx
          .insert(documents)
          .values({
            id,
            title,
            content,
            kind,
            userId: actor.id,
            conversationId,
            // Versions are keyed by (id, created_at) at millisecond precision: a save within the same
            // millisecond as the previous version would collide, so each version is at least 1 ms later.
            createdAt: id
              ? sql`greatest(date_trunc('milliseconds', clock_timestamp()),
                  (select max(${documents.createdAt}) + interval '1 millisecond' from ${documents}
                   where ${documents.id} = ${id}))`
              : undefined,
          })
          .returning();
        return saved!;
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new AppError('conflict', `document ${id} was saved by another request at the same moment`, {
          cause: error,
        });
      }
      throw error;
    }
  }

  /** Every version, oldest first. */
  async listVersions({ actor, id }: { actor: Actor; id: string }): Promise<Document[]> {
    const versions = await this.db
      .select()
      .from(documents)
      .where(this.ownedDocument(actor, id))
      .orderBy(asc(documents.createdAt));
    if (versions.length === 0) throw notFound('document', id);
    return versions;
  }

  async getLatest({ actor, id }: { actor: Actor; id: string }): Promise<Document> {
    const [latest] = await this.db
      .select()
      .from(documents)
      .where(this.ownedDocument(actor, id))
      .orderBy(desc(documents.createdAt))
      .limit(1);
    if (!latest) throw notFound('document', id);
    return latest;
  }

  /**
   * Undo back to a version: deletes every version saved after `after` and returns them. Their suggestions go
   * with them (foreign-key cascade, in the same statement).
   */
  async deleteVersionsAfter({ actor, id, after }: { actor: Actor; id: string; after: Date }): Promise<Document[]> {
    const deleted = await this.db
      .delete(documents)
      .where(and(this.ownedDocument(actor, id), gt(documents.createdAt, after)))
      .returning();
    if (deleted.length === 0) await this.getLatest({ actor, id });
    return deleted.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  }

  /** Saves a batch of suggestions against one version of the actor's document, all or none. */
  async saveSuggestions({ suggestions: batch, ...version }: VersionRef & { suggestions: NewSuggestion[] }) {
    return this.db.transaction(async (tx): Promise<Suggestion[]> => {
      await this.requireVersion(tx, version);
      if (batch.length === 0) return [];
      return tx
        .insert(suggestions)
        .values(
          batch.map((suggestion, index) => ({
            ...suggestion,
            documentId: version.documentId,
            documentCreatedAt: version.documentCreatedAt,
            userId: version.actor.id,
            // A batch shares one transaction time; a millisecond apart, it lists in the order it was proposed.
            createdAt: sql`now() + ${`${index} milliseconds`}::interval`,
          })),
        )
        .returning();
    });
  }

  /** The suggestions on one version, oldest first, open and resolved. */
  async listSuggestions(version: VersionRef): Promise<Suggestion[]> {
    const rows = await this.db
      .select({ suggestion: suggestions })
      .from(suggestions)
      .innerJoin(
        documents,
        and(eq(documents.id, suggestions.documentId), eq(documents.createdAt, suggestions.documentCreatedAt)),
      )
      .where(
        and(
          eq(documents.id, version.documentId),
          eq(documents.createdAt, version.documentCreatedAt),
          eq(documents.userId, version.actor.id),
        ),
      )
      .orderBy(asc(suggestions.createdAt), asc(suggestions.id));
    if (rows.length === 0) await this.requireVersion(this.db, version);
    return rows.map((row) => row.suggestion);
  }

  /** Accepts or rejects an open suggestion. Applying an accepted edit is a new version, saved by the caller. */
  async resolveSuggestion({ actor, id, accepted }: { actor: Actor; id: string; accepted: boolean }) {
    const onOwnedDocument = exists(
      this.db
        .select({ id: documents.id })
        .from(documents)
        .where(
          and(
            eq(documents.id, suggestions.documentId),
            eq(documents.createdAt, suggestions.documentCreatedAt),
            eq(documents.userId, actor.id),
          ),
        ),
    );
    const [resolved] = await this.db
      .update(suggestions)
      .set({ isResolved: true, accepted, resolvedAt: sql`now()` })
      .where(and(eq(suggestions.id, id), eq(suggestions.isResolved, false), onOwnedDocument))
      .returning();
    if (resolved) return resolved;
    const [existing] = await this.db
      .select({ isResolved: suggestions.isResolved })
      .from(suggestions)
      .where(and(eq(suggestions.id, id), onOwnedDocument));
    if (!existing) throw notFound('suggestion', id);
    throw new AppError('conflict', `suggestion ${id} is already resolved`);
  }

  private ownedDocument(actor: Actor, id: string) {
    return and(eq(documents.id, id), eq(documents.userId, actor.id))!;
  }

  /** A new version of someone else's document is refused as if the document did not exist. */
  private async refuseForeignDocument(db: Executor, actor: Actor, id: string): Promise<void> {
    const [foreign] = await db
      .select({ id: documents.id })
      .from(documents)
      .where(and(eq(documents.id, id), ne(documents.userId, actor.id)))
      .limit(1);
    if (foreign) throw notFound('document', id);
  }

  private async requireVersion(db: Executor, { actor, documentId, documentCreatedAt }: VersionRef): Promise<void> {
    const [version] = await db
      .select({ id: documents.id })
      .from(documents)
      .where(and(this.ownedDocument(actor, documentId), eq(documents.createdAt, documentCreatedAt)));
    if (!version) throw notFound(`document ${documentId} version`, documentCreatedAt.toISOString());
  }
}
