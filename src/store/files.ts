// The rows of uploaded files (their bytes are in file storage, files/storage.ts), scoped by the actor in the SQL
// itself: a file is its uploader's, and readable too by whoever can read the conversation it was sent in. Anyone
// else is told it does not exist. Each person's uploads together stay within a quota; only the uploader deletes one.
import { and, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Database, Executor } from '../db/client.ts';
import { conversations, files, users } from '../db/schema/index.ts';
import { AppError, notFound } from '../errors.ts';
import type { Actor } from './actor.ts';
import { canRead, conversationReachable } from './conversation-access.ts';

export type FileRecord = typeof files.$inferSelect;
export type NewFileRecord = Omit<typeof files.$inferInsert, 'ownerId' | 'conversationId' | 'createdAt'>;

export class FileStore {
  constructor(private readonly db: Database) {}

  /** Records an upload, if it fits in what is left of the uploader's quota (else payload_too_large, naming both). */
  async create({
    actor,
    file,
    quotaBytes,
  }: {
    actor: Actor;
    file: NewFileRecord;
    quotaBytes: number;
  }): Promise<FileRecord> {
    return this.db.transaction(async (tx) => {
      // One person's uploads take turns here, so two at once cannot both take the room left for one. The lock is
      // the weakest that orders them: it does not hold up rows that merely refer to the user.
      await tx.select({ id: users.id }).from(users).where(eq(users.id, actor.id)).for('no key update');
      const usedBytes = await bytesOwnedBy(tx, actor.id);
      if (usedBytes + file.sizeBytes > quotaBytes) throw quotaExceeded(file, { usedBytes, quotaBytes });
      const [created] = await tx
        .insert(files)
        .values({ ...file, ownerId: actor.id })
        .returning();
      return created!;
    });
  }

  /** How many bytes the actor's uploads take. */
  usedBytes({ actor }: { actor: Actor }): Promise<number> {
    return bytesOwnedBy(this.db, actor.id);
  }

  /** Removes the actor's own upload; undefined when they have none with this id. */
  async deleteOwn({ actor, id }: { actor: Actor; id: string }): Promise<FileRecord | undefined> {
    const [deleted] = await this.db
      .delete(files)
      .where(and(eq(files.id, id), eq(files.ownerId, actor.id)))
      .returning();
    return deleted;
  }

  /**
   * Which of these upload ids no longer exist: their uploader deleted them. Not scoped by an actor: the ids come
   * from messages the caller may read, and all it tells is whether each file is still there.
   */
  async findDeleted(ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.db.select({ id: files.id }).from(files).where(inArray(files.id, ids));
    const existing = new Set(rows.map((row) => row.id));
    return new Set(ids.filter((id) => !existing.has(id)));
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

async function bytesOwnedBy(db: Executor, ownerId: string): Promise<number> {
  const [row] = await db
    .select({ bytes: sql<number>`coalesce(sum(${files.sizeBytes}), 0)::bigint` })
    .from(files)
    .where(eq(files.ownerId, ownerId));
  return Number(row?.bytes ?? 0);
}

/** The upload that would take its uploader past their quota: what it is, what they use, and the quota. */
export function quotaExceeded(
  file: { name: string; sizeBytes: number },
  { usedBytes, quotaBytes }: { usedBytes: number; quotaBytes: number },
) {
  return new AppError(
    'payload_too_large',
    `${file.name} (${file.sizeBytes} bytes) does not fit in your storage quota of ${quotaBytes} bytes: your uploads use ` +
      `${usedBytes} bytes, ${Math.max(0, quotaBytes - usedBytes)} are left. Delete uploads you no longer need (DELETE /api/files/{id})`,
    { details: { quotaBytes, usedBytes, sizeBytes: file.sizeBytes } },
  );
}
