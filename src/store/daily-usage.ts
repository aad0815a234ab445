// What each person used each UTC day (daily_usage): the turns they started, counted against their daily message
// limit (see auth/limits.ts). Counting and checking are one statement, so concurrent requests cannot overshoot the
// limit; a count is kept apart from the messages, so deleting a conversation gives nothing back.
import { and, eq, gt, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { dailyUsage } from '../db/schema/index.ts';

/** A UTC calendar day, `YYYY-MM-DD`. */
export type UsageDay = string;

export const usageDayOf = (at: Date): UsageDay => at.toISOString().slice(0, 10);

export type UsageKey = { userId: string; day: UsageDay };

/** Built once: every limited turn runs it (see replies.ts for what building a statement costs). */
function countStatement(db: Database) {
  return db
    .insert(dailyUsage)
    .values({ userId: sql.placeholder('userId'), day: sql.placeholder('day'), messages: 1 })
    .onConflictDoUpdate({
      target: [dailyUsage.userId, dailyUsage.day],
      set: { messages: sql`${dailyUsage.messages} + 1`, updatedAt: sql`now()` },
      setWhere: sql`${dailyUsage.messages} < ${sql.placeholder('limit')}`,
    })
    .returning({ messages: dailyUsage.messages })
    .prepare('daily_usage_count_message');
}

export class DailyUsageStore {
  private readonly countMessage: ReturnType<typeof countStatement>;

  constructor(private readonly db: Database) {
    this.countMessage = countStatement(db);
  }

  /**
   * Counts one message on the day unless `limit` are counted already (limit ≥ 1). Returns whether it was counted.
   */
  async countIfUnder({ userId, day, limit }: UsageKey & { limit: number }): Promise<boolean> {
    const counted = await this.countMessage.execute({ userId, day, limit });
    return counted.length > 0;
  }

  /** Takes back one message counted on the day (a turn that never reached a model). */
  async giveBack({ userId, day }: UsageKey): Promise<void> {
    await this.db
      .update(dailyUsage)
      .set({ messages: sql`${dailyUsage.messages} - 1`, updatedAt: sql`now()` })
      .where(and(eq(dailyUsage.userId, userId), eq(dailyUsage.day, day), gt(dailyUsage.messages, 0)));
  }

  /** Messages counted on the day. */
  async messagesOn({ userId, day }: UsageKey): Promise<number> {
    const [row] = await this.db
      .select({ messages: dailyUsage.messages })
      .from(dailyUsage)
      .where(and(eq(dailyUsage.userId, userId), eq(dailyUsage.day, day)));
    return row?.messages ?? 0;
  }
}
