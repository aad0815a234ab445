// Usage analytics: replies, tokens and cost over a period, by model, by the person who asked, or by (UTC) day.
// One aggregate query over assistant messages; the period is a range on idx_messages_timestamp.
import { and, type Column, eq, gte, inArray, lt, ne, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Database } from '../db/client.ts';
import { messages } from '../db/schema/index.ts';

export const USAGE_GROUPINGS = ['model', 'user', 'day'] as const;
export type UsageGrouping = (typeof USAGE_GROUPINGS)[number];

/** `from` inclusive, `to` exclusive. */
export type UsageQuery = { from: Date; to: Date; groupBy: UsageGrouping };

/**
 * One group's totals. `key` is the model id, the user id, or the day as YYYY-MM-DD (UTC); null gathers replies
 * with no model recorded (rows older than the column) or whose question's sender is gone.
 */
export type UsageRow = {
  key: string | null;
  messages: number;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  costUsd: number;
};

/** The question a reply answers: its sender is the person the reply's usage counts for. */
const question = alias(messages, 'question');

const keyOf: Record<UsageGrouping, ReturnType<typeof sql<string | null>>> = {
  model: sql<string | null>`${messages.modelId}`,
  user: sql<string | null>`${question.senderId}::text`,
  day: sql<string | null>`to_char(${messages.createdAt} at time zone 'UTC', 'YYYY-MM-DD')`,
};

// Sums of integer columns are bigint and of numeric are numeric: both read as text, so no driver rounds them.
const total = (column: Column) => sql<string>`coalesce(sum(${column}), 0)::text`;

export class UsageStore {
  constructor(private readonly db: Database) {}

  /** The finished replies of the period, totalled per group, groups in key order (null last). */
  async report({ from, to, groupBy }: UsageQuery): Promise<UsageRow[]> {
    const key = keyOf[groupBy];
    let query = this.db
      .select({
        key,
        messages: sql<number>`count(*)::int`,
        inputTokens: total(messages.inputTokens),
        outputTokens: total(messages.outputTokens),
        cachedInputTokens: total(messages.cachedInputTokens),
        costUsd: total(messages.costUsd),
      })
      .from(messages)
      .$dynamic();
    if (groupBy === 'user') query = query.leftJoin(question, eq(question.id, messages.parentId));
    const rows = await query
      .where(
        and(
          eq(messages.role, 'assistant'),
          ne(messages.status, 'streaming'),
          gte(messages.createdAt, from),
          lt(messages.createdAt, to),
        ),
      )
      .groupBy(key)
      .orderBy(sql`${key} nulls last`);
    return rows.map(({ key, ...row }) => ({ key, ...numbersOf(row) }));
  }

  /**
   * The totals of the finished replies to one person's messages sent since `from`: what they used. Through their
   * own messages (idx_messages_sender) to the replies (idx_messages_parent), not over everyone's replies.
   */
  async totalsForUser({ userId, from }: { userId: string; from: Date }): Promise<UsageTotals> {
    const totals = await this.totalsForUsers({ userIds: [userId], from });
    return totals.get(userId) ?? { ...NO_USAGE };
  }

  /** totalsForUser for several people at once (a page of the admin's user list): one query, keyed by user id. */
  async totalsForUsers({ userIds, from }: { userIds: string[]; from: Date }): Promise<Map<string, UsageTotals>> {
    if (userIds.length === 0) return new Map();
    const rows = await this.db
      .select({
        userId: question.senderId,
        messages: sql<number>`count(*)::int`,
        inputTokens: total(messages.inputTokens),
        outputTokens: total(messages.outputTokens),
        cachedInputTokens: total(messages.cachedInputTokens),
        costUsd: total(messages.costUsd),
      })
      .from(question)
      .innerJoin(messages, eq(messages.parentId, question.id))
      .where(
        and(
          inArray(question.senderId, userIds),
          gte(question.createdAt, from),
          eq(messages.role, 'assistant'),
          ne(messages.status, 'streaming'),
        ),
      )
      .groupBy(question.senderId);
    const totals = new Map(userIds.map((id) => [id, { ...NO_USAGE }]));
    for (const { userId, ...row } of rows) {
      if (userId) totals.set(userId, numbersOf(row));
    }
    return totals;
  }
}

export type UsageTotals = Omit<UsageRow, 'key'>;

const NO_USAGE: UsageTotals = { messages: 0, inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, costUsd: 0 };

const numbersOf = (row: {
  messages: number;
  inputTokens: string;
  outputTokens: string;
  cachedInputTokens: string;
  costUsd: string;
}): UsageTotals => ({
  messages: row.messages,
  inputTokens: Number(row.inputTokens),
  outputTokens: Number(row.outputTokens),
  cachedInputTokens: Number(row.cachedInputTokens),
  costUsd: Number(row.costUsd),
});
