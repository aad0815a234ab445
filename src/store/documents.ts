// Documents a model writes through tools, and the edits it suggests to them. A document is its versions: every
// save adds a row with the same id and a later created_at. A document made in a conversation is reached as the
// conversation is: its readers read it, its writers save versions, delete them and resolve suggestions (a reader who
// tries is told forbidden). One made outside any conversation is its author's alone. Anyone else gets not-found.
import { and, asc, desc, eq, gt, isNull, or, type SQL, sql } from 'drizzle-orm';
import type { Database, Executor } from '../db/client.ts';
import { conversations, documents, suggestions } from '../db/schema/index.ts';
import { AppError, notFound } from '../errors.ts';
import type { Actor } from './actor.ts';
import { accessCondition, requireConversation } from './conversation-access.ts';
import { isUniqueViolation } from './postgres-errors.ts';

export type Document = typeof documents.$inferSelect;
export type DocumentKind = Document['kind'];
export type Suggestion = typeof suggestions.$inferSelect;

export type NewDocument = {
  actor: Actor;
  /** Chosen by the caller when the document is shown before it is saved (a model writing it); else a new one. */
  id?: string;
  title: string;
  content?: string | null;
  kind?: DocumentKind;
  /** The conversation it is written in; the actor must be able to write there. */
  conversationId?: string | null;
};

export type NewDocumentVersion = {
  actor: Actor;
  /** Omitted: a new document. Given: a new version of that document (in the conversation of the first). */
  id?: string;
  title: string;
  content?: string | null;
  kind?: DocumentKind;
  /** The conversation a new document is written in; the actor must be able to write there. */
  conversationId?: string | null;
};

export type NewSuggestion = Pick<typeof suggestions.$inferInsert, 'originalText' | 'suggestedText' | 'description'>;

/** One version of one document: the pair suggestions point at. */
type VersionRef = { actor: Actor; documentId: string; documentCreatedAt: Date };

/** What reading a document needs, and what changing it (a version, a deletion, a suggestion resolved) needs. */
type DocumentAccess = 'read' | 'write';

/** The condition on a `documents` row: the actor reaches it at `level`. */
function documentReachable(actor: Actor, level: DocumentAccess): SQL {
  return or(
    and(isNull(documents.conversationId), eq(documents.userId, actor.id)),
    sql`exists (select 1 from ${conversations}
      where ${conversations.id} = ${documents.conversationId} and ${accessCondition(actor, level)})`,
  )!;
}

const documentWithAccess = (actor: Actor, id: string, level: DocumentAccess) =>
  and(eq(documents.id, id), documentReachable(actor, level))!;

/** Versions are keyed by (id, created_at) at millisecond precision: each version is at least 1 ms after the last. */
const nextVersionTime = (id: string) =>
  sql`greatest(date_trunc('milliseconds', clock_timestamp()),
    (select max(${documents.createdAt}) + interval '1 millisecond' from ${documents} where ${documents.id} = ${id}))`;

export class DocumentStore {
  constructor(private readonly db: Database) {}

  /** Version 1 of a new document. */
  async create({ actor, id, title, content = null, kind, conversationId = null }: NewDocument): Promise<Document> {
    try {
      return await this.db.transaction(async (tx) => {
        if (conversationId) await requireConversation(tx, actor, conversationId, 'write');
        const [saved] = await tx
          .insert(documents)
          .values({ id, title, content, kind, userId: actor.id, conversationId })
          .returning();
        return saved!;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError('conflict', `document ${id} exists already`, { cause: error });
      throw error;
    }
  }

  /** A new document (without `id`) or a new version of one. */
  async save({ actor, id, title, content = null, kind, conversationId = null }: NewDocumentVersion): Promise<Document> {
    if (!id) return this.create({ actor, title, content, kind, conversationId });
    try {
      return await this.db.transaction(async (tx) => {
        const latest = await this.latestVersion(tx, actor, id, 'write');
        return this.insertVersion(tx, actor, latest, { title, content, kind: kind ?? latest.kind });
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
      .where(documentWithAccess(actor, id, 'read'))
      .orderBy(asc(documents.createdAt));
    if (versions.length === 0) throw notFound('document', id);
    return versions;
  }

  getLatest({ actor, id }: { actor: Actor; id: string }): Promise<Document> {
    return this.latestVersion(this.db, actor, id, 'read');
  }

  /** One version, by the time it was saved. */
  async getVersion({ actor, id, createdAt }: { actor: Actor; id: string; createdAt: Date }): Promise<Document> {
    const [version] = await this.db
      .select()
      .from(documents)
      .where(and(documentWithAccess(actor, id, 'read'), eq(documents.createdAt, createdAt)));
    if (!version) throw notFound(`document ${id} version`, createdAt.toISOString());
    return version;
  }

  /**
   * Undo back to a version: deletes every version saved after `after` and returns them. Their suggestions go
   * with them (foreign-key cascade, in the same statement).
   */
  async deleteVersionsAfter({ actor, id, after }: { actor: Actor; id: string; after: Date }): Promise<Document[]> {
    const deleted = await this.db
      .delete(documents)
      .where(and(documentWithAccess(actor, id, 'write'), gt(documents.createdAt, after)))
      .returning();
    if (deleted.length === 0) await this.latestVersion(this.db, actor, id, 'write');
    return deleted.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  }

  /** Saves a batch of suggestions against one version of a document the actor may write, all or none. */
  async saveSuggestions({ suggestions: batch, ...version }: VersionRef & { suggestions: NewSuggestion[] }) {
    return this.db.transaction(async (tx): Promise<Suggestion[]> => {
      await this.requireVersion(tx, version, 'write');
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
          documentWithAccess(version.actor, version.documentId, 'read'),
          eq(documents.createdAt, version.documentCreatedAt),
        ),
      )
      .orderBy(asc(suggestions.createdAt), asc(suggestions.id));
    if (rows.length === 0) await this.requireVersion(this.db, version, 'read');
    return rows.map((row) => row.suggestion);
  }

  /** Accepts or rejects an open suggestion. Applying an accepted edit is a new version, saved by the caller. */
  resolveSuggestion({ actor, id, accepted }: { actor: Actor; id: string; accepted: boolean }) {
    return this.resolveOpen(this.db, actor, id, accepted);
  }

  /**
   * Accepts an open suggestion and saves, in the same transaction, the document's next version: `apply` turns the
   * latest version's content into the new one (and may refuse, which leaves the suggestion open).
   */
  acceptSuggestion({
    actor,
    id,
    apply,
  }: {
    actor: Actor;
    id: string;
    apply: (content: string, suggestion: Suggestion) => string;
  }) {
    return this.db.transaction(async (tx) => {
      const suggestion = await this.resolveOpen(tx, actor, id, true);
      const latest = await this.latestVersion(tx, actor, suggestion.documentId, 'write');
      const content = apply(latest.content ?? '', suggestion);
      const version = await this.insertVersion(tx, actor, latest, { title: latest.title, content, kind: latest.kind });
      return { suggestion, version };
    });
  }

  private async resolveOpen(db: Executor, actor: Actor, id: string, accepted: boolean): Promise<Suggestion> {
    const onDocument = (level: DocumentAccess) => sql`exists (select 1 from ${documents}
      where ${documents.id} = ${suggestions.documentId} and ${documents.createdAt} = ${suggestions.documentCreatedAt}
        and ${documentReachable(actor, level)})`;
    const [resolved] = await db
      .update(suggestions)
      .set({ isResolved: true, accepted, resolvedAt: sql`now()` })
      .where(and(eq(suggestions.id, id), eq(suggestions.isResolved, false), onDocument('write')))
      .returning();
    if (resolved) return resolved;
    const [existing] = await db
      .select({ id: suggestions.id })
      .from(suggestions)
      .where(and(eq(suggestions.id, id), onDocument('read')));
    if (!existing) throw notFound('suggestion', id);
    const [writable] = await db
      .select({ id: suggestions.id })
      .from(suggestions)
      .where(and(eq(suggestions.id, id), onDocument('write')));
    if (!writable) throw new AppError('forbidden', 'you may read this document but not change it');
    throw new AppError('conflict', `suggestion ${id} is already resolved`);
  }

  private async latestVersion(db: Executor, actor: Actor, id: string, level: DocumentAccess): Promise<Document> {
    const [latest] = await db
      .select()
      .from(documents)
      .where(documentWithAccess(actor, id, level))
      .orderBy(desc(documents.createdAt))
      .limit(1);
    if (!latest) throw await this.refusal(db, actor, id, level);
    return latest;
  }

  /** Why a document was out of reach at `level`: forbidden to one who may only read it, else not found. */
  private async refusal(db: Executor, actor: Actor, id: string, level: DocumentAccess): Promise<AppError> {
    if (level === 'write') {
      const [readable] = await db
        .select({ id: documents.id })
        .from(documents)
        .where(documentWithAccess(actor, id, 'read'))
        .limit(1);
      if (readable) return new AppError('forbidden', 'you may read this document but not change it');
    }
    return notFound('document', id);
  }

  private async insertVersion(
    db: Executor,
    actor: Actor,
    latest: Document,
    version: Pick<Document, 'title' | 'content' | 'kind'>,
  ): Promise<Document> {
    const [saved] = await db
      .insert(documents)
      .values({
        id: latest.id,
        ...version,
        userId: actor.id,
        conversationId: latest.conversationId,
        createdAt: nextVersionTime(latest.id),
      })
      .returning();
    return saved!;
  }

  private async requireVersion(
    db: Executor,
    { actor, documentId, documentCreatedAt }: VersionRef,
    level: DocumentAccess,
  ): Promise<void> {
    const [version] = await db
      .select({ id: documents.id })
      .from(documents)
      .where(and(documentWithAccess(actor, documentId, level), eq(documents.createdAt, documentCreatedAt)));
    if (!version) throw notFound(`document ${documentId} version`, documentCreatedAt.toISOString());
  }
}
