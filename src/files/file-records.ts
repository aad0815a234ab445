// The rows of uploaded files, scoped by the actor in the SQL itself: a file is its uploader's, and readable too by
// whoever can read the conversation it was sent in. Anyone else is told it does not exist.
import { and, eq, inArray, isNull, or } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { conversations, files } from '../db/schema/index.ts';
import { AppError, notFound } from '../errors.ts';
import type { Actor } from '../store/actor.ts';
import { canRead, conversationReachable } from '../store/conversation-access.ts';

export type FileRecord = typeof files.$inferSelect;
export type NewFileRecord = Omit<typeof files.$inferInsert, 'ownerId' | 'conversationId' | 'createdAt'>;

export class FileRecords {
  constructor(private readonly db: Database) {}

  async create({ actor, file }: { actor: Actor; file: NewFileRecord }): Promise<FileRecord> {
    const [created] = await this.db
      .insert(files)
      .values({ ...file, ownerId: actor.id })
      .returning();
    return created!;
  }

  /** A file the actor may download: their own, or sent in a conversation they can read. */
  async findReadable({ actor, id }: { actor: Actor; id: string }): Promise<FileRecord> {
    const [row] = await this.db
      .select({ file: files })
      .from(files)
      .leftJoin(conversations, eq(conversations.id, files.conversationId))
      .where(and(eq(files.id, id), or(eq(files.ownerId, actor.id), canRead(actor))));
    if (!row) throw notFound('file', id);
    return row.file;
  }

  /** The actor's own uploads, in the order asked; not-found names the first id that is not one of them. */
  async listOwn({ actor, ids }: { actor: Actor; ids: string[] }): Promise<FileRecord[]> {
    if (ids.length === 0) return [];
    const rows = await this.db
      .select()
      .from(files)
      .where(and(inArray(files.id, ids), eq(files.ownerId, actor.id)));
    const byId = new Map(rows.map((row) => [row.id, row]));
    const missing = ids.find((id) => !byId.has(id));
    if (missing) throw new AppError('not_found', `file ${missing} not found among your uploads`);
    return ids.map((id) => byId.get(id)!);
  }

  /**
   * Records that the files were sent in the conversation, so its readers may download them. A file already sent
   * in another conversation stays there: the caller checked, and a race ends in a conflict, not a move.
   */
  async attachToConversation({ actor, ids, conversationId }: { actor: Actor; ids: string[]; conversationId: string }) {
    if (ids.length === 0) return;
    const attached = await this.db
      .update(files)
      .set({ conversationId })
      .where(
        and(
          inArray(files.id, ids),
          eq(files.ownerId, actor.id),
          or(isNull(files.conversationId), eq(files.conversationId, conversationId)),
          conversationReachable(actor, conversationId, 'write'),
        ),
      )
      .returning({ id: files.id });
    if (attached.length !== new Set(ids).size) {
      throw new AppError('conflict', 'a file of this message was just sent in another conversation; upload it again');
    }
  }
}
