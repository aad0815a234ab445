// Threads: the messages that hang on one main-conversation message (messages.thread_root_id), read apart from the
// main line. Every read is scoped to an actor who may read the conversation, in the query itself.
import { and, desc, eq, inArray, isNull, max, or, sql } from 'drizzle-orm';
import type { Keyring } from '../crypto/encryption.ts';
import type { Database } from '../db/client.ts';
import { messages } from '../db/schema/index.ts';
import { notFound } from '../errors.ts';
import type { Actor } from './actor.ts';
import { conversationReachable } from './conversation-access.ts';
import { UUID_PATTERN } from './ids.ts';
import { toMessage } from './message-encryption.ts';
import type { Message } from './message-rows.ts';

/** How far a thread has got: how many messages it holds and when the newest came. */
export type ThreadSummary = { replyCount: number; lastReplyAt: Date };

/** A thread as read: the message it hangs on and its messages, oldest first. */
export type Thread = { root: Message; messages: Message[] };

/** The most messages of one thread read at once; a thread is a side conversation, not a second main line. */
export const THREAD_MESSAGE_LIMIT = 500;

type ThreadTarget = { actor: Actor; conversationId: string };

export class ThreadStore {
  constructor(
    private readonly db: Database,
    private readonly keyring: Keyring | null = null,
  ) {}

  /**
   * The thread a message stands for, in a conversation the actor may read: a main-conversation message's own
   * thread, or for a message in a thread, that thread's root. `messageId` is the message's id or the request id its
   * client gave it (a page that sent it knows only that). Undefined when the conversation holds no such message (or
   * the actor may not read it).
   */
  async findRoot({ actor, conversationId, messageId }: ThreadTarget & { messageId: string }) {
    const byRequest = eq(messages.requestId, messageId);
    const [row] = await this.db
      .select({ id: messages.id, threadRootId: messages.threadRootId })
      .from(messages)
      .where(
        and(
          UUID_PATTERN.test(messageId) ? or(eq(messages.id, messageId), byRequest) : byRequest,
          eq(messages.conversationId, conversationId),
          conversationReachable(actor, conversationId, 'read'),
        ),
      );
    return row ? (row.threadRootId ?? row.id) : undefined;
  }

  /** The thread on `rootId` (or on the thread `rootId` is in), its newest messages oldest first; else not-found. */
  async read({ actor, conversationId, rootId }: ThreadTarget & { rootId: string }): Promise<Thread> {
    const threadRootId = await this.findRoot({ actor, conversationId, messageId: rootId });
    if (!threadRootId) throw notFound('message', rootId);
    const [rootRows, threadRows] = await Promise.all([
      this.db.select().from(messages).where(eq(messages.id, threadRootId)),
      this.db
        .select()
        .from(messages)
        .where(eq(messages.threadRootId, threadRootId))
        .orderBy(desc(messages.createdAt), desc(messages.id))
        .limit(THREAD_MESSAGE_LIMIT),
    ]);
    if (!rootRows[0]) throw notFound('message', rootId);
    return {
      root: toMessage(this.keyring, rootRows[0]),
      messages: threadRows.reverse().map((row) => toMessage(this.keyring, row)),
    };
  }

  /** The threads hanging on these messages, by root id; a message without a thread has no entry. */
  async summaries({ actor, conversationId, rootIds }: ThreadTarget & { rootIds: string[] }) {
    const summaries = new Map<string, ThreadSummary>();
    if (rootIds.length === 0) return summaries;
    const rows = await this.db
      .select({
        rootId: messages.threadRootId,
        replyCount: sql<number>`count(*)::int`,
        lastReplyAt: max(messages.createdAt),
      })
      .from(messages)
      .where(
        and(
          inArray(messages.threadRootId, rootIds),
          eq(messages.conversationId, conversationId),
          conversationReachable(actor, conversationId, 'read'),
        ),
      )
      .groupBy(messages.threadRootId);
    for (const row of rows) {
      if (row.rootId && row.lastReplyAt)
        summaries.set(row.rootId, { replyCount: Number(row.replyCount), lastReplyAt: new Date(row.lastReplyAt) });
    }
    return summaries;
  }

  /**
   * What a model answering in a thread may be shown, oldest first: the newest `limit` main-conversation messages up
   * to and including the root, and the thread's newest `limit` messages (chat/thread-history.ts chooses among them).
   */
  async contextOf({ actor, conversationId, rootId, limit }: ThreadTarget & { rootId: string; limit: number }) {
    const readable = conversationReachable(actor, conversationId, 'read');
    const root = sql`(select created_at, id from ${messages} where id = ${rootId}::uuid)`;
    const [mainLine, thread] = await Promise.all([
      this.db
        .select()
        .from(messages)
        .where(
          and(
            eq(messages.conversationId, conversationId),
            isNull(messages.threadRootId),
            sql`(${messages.createdAt}, ${messages.id}) <= ${root}`,
            readable,
          ),
        )
        .orderBy(desc(messages.createdAt), desc(messages.id))
        .limit(limit),
      this.db
        .select()
        .from(messages)
        .where(and(eq(messages.conversationId, conversationId), eq(messages.threadRootId, rootId), readable))
        .orderBy(desc(messages.createdAt), desc(messages.id))
        .limit(limit),
    ]);
    return [...mainLine.reverse(), ...thread.reverse()].map((row) => toMessage(this.keyring, row));
  }
}
