// Transcripts: exports of a conversation (JSON, CSV or Markdown) kept in file storage. This records where
// each export lives; the file itself is written by the export service. Anyone who may read the conversation
// may export it and see its exports.
import { and, desc, eq } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { conversations, transcripts } from '../db/schema/index.ts';
import { notFound } from '../errors.ts';
import type { Actor } from './actor.ts';
import { accessCondition, conversationWithAccess, requireConversation } from './conversation-access.ts';
import { clampLimit } from './pagination.ts';

export type Transcript = typeof transcripts.$inferSelect;
export type NewTranscript = Pick<
  typeof transcripts.$inferInsert,
  'conversationId' | 'storageKey' | 'format' | 'fileSizeBytes' | 'messageCount' | 'checksum'
>;

export class TranscriptStore {
  constructor(private readonly db: Database) {}

  async record({ actor, ...transcript }: NewTranscript & { actor: Actor }): Promise<Transcript> {
    return this.db.transaction(async (tx) => {
      await requireConversation(tx, actor, transcript.conversationId, 'read');
      const [recorded] = await tx
        .insert(transcripts)
        .values({ ...transcript, createdBy: actor.id })
        .returning();
      return recorded!;
    });
  }

  /** Newest first. */
  async listForConversation({
    actor,
    conversationId,
    limit,
  }: {
    actor: Actor;
    conversationId: string;
    limit?: number;
  }): Promise<Transcript[]> {
    const rows = await this.db
      .select({ transcript: transcripts })
      .from(transcripts)
      .innerJoin(conversations, eq(conversations.id, transcripts.conversationId))
      .where(conversationWithAccess(actor, conversationId, 'read'))
      .orderBy(desc(transcripts.createdAt), desc(transcripts.id))
      .limit(clampLimit(limit));
    if (rows.length === 0) await requireConversation(this.db, actor, conversationId, 'read');
    return rows.map((row) => row.transcript);
  }

  /** One transcript, e.g. to download it, if its conversation is readable by the actor. */
  async get({ actor, id }: { actor: Actor; id: string }): Promise<Transcript> {
    const [row] = await this.db
      .select({ transcript: transcripts })
      .from(transcripts)
      .innerJoin(conversations, eq(conversations.id, transcripts.conversationId))
      .where(and(eq(transcripts.id, id), accessCondition(actor, 'read')));
    if (!row) throw notFound('transcript', id);
    return row.transcript;
  }
}
