// How each person keeps their conversations: folders they name (theirs alone), and on their own membership of a
// conversation whether it is pinned, archived, or in one of their folders. Another member's keeping never shows.
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { conversationFolders, conversationParticipants } from '../db/schema/index.ts';
import { AppError, notFound } from '../errors.ts';
import type { Actor } from './actor.ts';
import { isUniqueViolation } from './postgres-errors.ts';

export type ConversationFolder = typeof conversationFolders.$inferSelect;

/** Each given is set; `folderId: null` takes it out of its folder. */
export type PlacementChanges = { pinned?: boolean; archived?: boolean; folderId?: string | null };

/** How the actor keeps one conversation. */
export type Placement = { conversationId: string; pinned: boolean; archived: boolean; folderId: string | null };

const folderNameTaken = (name: string, cause: unknown) =>
  new AppError('conflict', `you already have a folder named "${name}"`, { cause });

export class ConversationFolderStore {
  constructor(private readonly db: Database) {}

  /** The actor's folders, by name. */
  list({ actor }: { actor: Actor }): Promise<ConversationFolder[]> {
    return this.db
      .select()
      .from(conversationFolders)
      .where(eq(conversationFolders.userId, actor.id))
      .orderBy(asc(conversationFolders.name), asc(conversationFolders.id));
  }

  async create({ actor, name }: { actor: Actor; name: string }): Promise<ConversationFolder> {
    try {
      const [folder] = await this.db.insert(conversationFolders).values({ userId: actor.id, name }).returning();
      return folder!;
    } catch (error) {
      throw isUniqueViolation(error) ? folderNameTaken(name, error) : error;
    }
  }

  async rename({ actor, id, name }: { actor: Actor; id: string; name: string }): Promise<ConversationFolder> {
    try {
      const [folder] = await this.db
        .update(conversationFolders)
        .set({ name })
        .where(and(eq(conversationFolders.id, id), eq(conversationFolders.userId, actor.id)))
        .returning();
      if (!folder) throw notFound('folder', id);
      return folder;
    } catch (error) {
      throw isUniqueViolation(error) ? folderNameTaken(name, error) : error;
    }
  }

  /** Its conversations go back to the actor's main list (the memberships' folder is set null by the foreign key). */
  async delete({ actor, id }: { actor: Actor; id: string }): Promise<void> {
    const deleted = await this.db
      .delete(conversationFolders)
      .where(and(eq(conversationFolders.id, id), eq(conversationFolders.userId, actor.id)))
      .returning({ id: conversationFolders.id });
    if (deleted.length === 0) throw notFound('folder', id);
  }

  /**
   * Changes how the actor keeps a conversation they are in, in one statement: a folder named must be theirs
   * (otherwise nothing changes and the folder is not found), and a conversation they are not in is not found.
   */
  async place({ actor, conversationId, changes }: { actor: Actor; conversationId: string; changes: PlacementChanges }) {
    const now = new Date();
    const values = {
      ...(changes.pinned !== undefined && { pinnedAt: changes.pinned ? now : null }),
      ...(changes.archived !== undefined && { archivedAt: changes.archived ? now : null }),
      ...(changes.folderId !== undefined && { folderId: changes.folderId }),
    };
    const folderIsTheirs =
      typeof changes.folderId === 'string'
        ? sql`exists (select 1 from ${conversationFolders} where ${conversationFolders.id} = ${changes.folderId}
            and ${conversationFolders.userId} = ${actor.id})`
        : sql`true`;
    const [placed] = await this.db
      .update(conversationParticipants)
      .set(values)
      .where(
        and(
          eq(conversationParticipants.conversationId, conversationId),
          eq(conversationParticipants.userId, actor.id),
          sql`${conversationParticipants.isActive}`,
          folderIsTheirs,
        ),
      )
      .returning({
        pinnedAt: conversationParticipants.pinnedAt,
        archivedAt: conversationParticipants.archivedAt,
        folderId: conversationParticipants.folderId,
      });
    if (!placed) {
      if (typeof changes.folderId === 'string' && !(await this.isTheirs(actor, changes.folderId))) {
        throw notFound('folder', changes.folderId);
      }
      throw notFound('conversation', conversationId);
    }
    return {
      conversationId,
      pinned: placed.pinnedAt !== null,
      archived: placed.archivedAt !== null,
      folderId: placed.folderId,
    } satisfies Placement;
  }

  private async isTheirs(actor: Actor, folderId: string): Promise<boolean> {
    const [folder] = await this.db
      .select({ id: conversationFolders.id })
      .from(conversationFolders)
      .where(and(eq(conversationFolders.id, folderId), eq(conversationFolders.userId, actor.id)));
    return folder !== undefined;
  }
}
