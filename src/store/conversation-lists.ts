// The lists of a person's conversations, each newest activity first in keyset pages, as that person keeps them:
// the main list (the conversations neither archived nor in a folder of theirs, the pinned ones first), one
// folder's, and the archived ones. How a conversation is kept is the member's own (their membership row), so the same
// conversation may be pinned by one person and archived by another.
import { and, desc, eq, isNotNull, isNull, type Placeholder, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { conversationParticipants, conversations } from '../db/schema/index.ts';
import type { Actor } from './actor.ts';
import { clampLimit, decodeCursor, type Page, toPage } from './pagination.ts';

/** Which list: the main one (pinned first), one folder of the actor's, or the archived conversations. */
export type ConversationListView = { kind: 'main' } | { kind: 'folder'; folderId: string } | { kind: 'archived' };

/** A page of the actor's conversations: how many, and after which (the cursor of the page before). */
export type ConversationListRequest = {
  actor: Actor;
  limit?: number;
  cursor?: string | null;
  view?: ConversationListView;
};

const membership = {
  conversation: conversations,
  activityAt: conversationParticipants.lastMessageAt,
  role: conversationParticipants.role,
  pinnedAt: conversationParticipants.pinnedAt,
  archivedAt: conversationParticipants.archivedAt,
  folderId: conversationParticipants.folderId,
};

export type ConversationListRow = {
  conversation: typeof conversations.$inferSelect;
  activityAt: Date;
  role: (typeof conversationParticipants.$inferSelect)['role'];
  pinnedAt: Date | null;
  archivedAt: Date | null;
  folderId: string | null;
};

export function prepareConversationLists(db: Database) {
  const base = () =>
    db
      .select(membership)
      .from(conversationParticipants)
      .innerJoin(conversations, eq(conversations.id, conversationParticipants.conversationId));
  const member = (actorId: Placeholder | string) =>
    and(
      eq(conversationParticipants.userId, actorId),
      // A literal, not `= $n`: only then can the planner use the partial index (where is_active).
      sql`${conversationParticipants.isActive}`,
    );
  // The main list walks idx_participants_user_activity; the pinned, archived and foldered rows it skips are few.
  const unsorted = and(
    member(sql.placeholder('actorId')),
    isNull(conversationParticipants.pinnedAt),
    isNull(conversationParticipants.archivedAt),
    isNull(conversationParticipants.folderId),
  );
  // Ordered by the membership's copy of the activity time: one range of idx_participants_user_activity.
  const order = [desc(conversationParticipants.lastMessageAt), desc(conversationParticipants.conversationId)] as const;
  // Row comparison: one index range, exact at equal timestamps. Placeholders carry text (see keyOf).
  const before = (at: Placeholder | string, id: Placeholder | string) =>
    sql`(${conversationParticipants.lastMessageAt}, ${conversationParticipants.conversationId}) < (${at}::timestamptz, ${id}::uuid)`;
  const limit = sql.placeholder('limit');
  // The first page of the main list is the hottest read of the app: prepared once.
  const mainFirst = base()
    .where(unsorted)
    .orderBy(...order)
    .limit(limit)
    .prepare('conversations_list_first');
  const mainNext = base()
    .where(and(unsorted, before(sql.placeholder('at'), sql.placeholder('id'))))
    .orderBy(...order)
    .limit(limit)
    .prepare('conversations_list_next');
  const pinned = base()
    .where(
      and(
        member(sql.placeholder('actorId')),
        isNotNull(conversationParticipants.pinnedAt),
        isNull(conversationParticipants.archivedAt),
        isNull(conversationParticipants.folderId),
      ),
    )
    .orderBy(desc(conversationParticipants.pinnedAt), desc(conversationParticipants.conversationId))
    .prepare('conversations_list_pinned');

  /** A folder's or the archived list: rarer reads, built per request. */
  const otherView = (
    actor: Actor,
    view: Exclude<ConversationListView, { kind: 'main' }>,
    pageSize: number,
    key?: Key,
  ) =>
    base()
      .where(
        and(
          member(actor.id),
          view.kind === 'archived'
            ? isNotNull(conversationParticipants.archivedAt)
            : and(eq(conversationParticipants.folderId, view.folderId), isNull(conversationParticipants.archivedAt)),
          key ? before(key.at, key.id) : undefined,
        ),
      )
      .orderBy(...order)
      .limit(pageSize + 1);

  return {
    /** The main list's first page carries every pinned conversation above it; later pages only the others. */
    async list({ actor, limit: requested, cursor, view = { kind: 'main' } }: ConversationListRequest) {
      const pageSize = clampLimit(requested);
      const key = cursor ? keyOf(decodeCursor(cursor)) : undefined;
      let rows: ConversationListRow[];
      let top: ConversationListRow[] = [];
      if (view.kind !== 'main') {
        rows = await otherView(actor, view, pageSize, key);
      } else if (key) {
        rows = await mainNext.execute({ actorId: actor.id, limit: pageSize + 1, ...key });
      } else {
        [top, rows] = await Promise.all([
          pinned.execute({ actorId: actor.id }),
          mainFirst.execute({ actorId: actor.id, limit: pageSize + 1 }),
        ]);
      }
      const page: Page<ConversationListRow> = toPage(rows, pageSize, (row) => ({
        at: row.activityAt,
        id: row.conversation.id,
      }));
      return { items: [...top, ...page.items], nextCursor: page.nextCursor };
    },
  };
}

type Key = { at: string; id: string };

/** Placeholders are not mapped through column types on every driver, so dates go as ISO text. */
const keyOf = (key: { at: Date; id: string }): Key => ({ at: key.at.toISOString(), id: key.id });
