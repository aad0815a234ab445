// Counters of attempts within a time window, in better-auth's rate-limit table (auth_rate_limits), for the limits
// better-auth cannot key itself: sign-in attempts per account. better-auth keys its own rows by client address and
// route; ours carry a prefix of their own, so the two never meet.
import { eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { authRateLimits } from '../db/schema/index.ts';

export type AttemptRule = { max: number; windowMs: number };

/** Allowed, or refused until `retryAfterMs` from now. */
export type AttemptDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

export class AuthRateLimitStore {
  constructor(private readonly db: Database) {}

  /**
   * Counts an attempt under `key` unless `rule.max` were made within the window (which runs from the last counted
   * attempt, as better-auth's own windows do). Counting and checking are one statement, so concurrent attempts
   * cannot overshoot the limit.
   */
  async consume(key: string, rule: AttemptRule, now: number = Date.now()): Promise<AttemptDecision> {
    const windowStart = now - rule.windowMs;
    const counted = await this.db
      .insert(authRateLimits)
      .values({ key, count: 1, lastRequest: now })
      .onConflictDoUpdate({
        target: authRateLimits.key,
        set: {
          count: sql`case when ${authRateLimits.lastRequest} <= ${windowStart} then 1 else ${authRateLimits.count} + 1 end`,
          lastRequest: now,
        },
        setWhere: sql`${authRateLimits.lastRequest} <= ${windowStart} or ${authRateLimits.count} < ${rule.max}`,
      })
      .returning({ count: authRateLimits.count });
    if (counted.length > 0) return { allowed: true };
    const [row] = await this.db
      .select({ lastRequest: authRateLimits.lastRequest })
      .from(authRateLimits)
      .where(eq(authRateLimits.key, key));
    return { allowed: false, retryAfterMs: Math.max(0, (row?.lastRequest ?? now) + rule.windowMs - now) };
  }

  /** Counts one more under `key`, starting afresh when the last was `windowMs` or longer ago. */
  async countAfresh(key: string, { now, windowMs }: { now: number; windowMs: number }): Promise<void> {
    await this.db
      .insert(authRateLimits)
      .values({ key, count: 1, lastRequest: now })
      .onConflictDoUpdate({
        target: authRateLimits.key,
        set: {
          count: sql`case when ${authRateLimits.lastRequest} <= ${now - windowMs} then 1 else ${authRateLimits.count} + 1 end`,
          lastRequest: now,
        },
      });
  }

  /** The counters under these keys (those that exist): how many, and when the last was counted (ms). */
  async read(keys: string[]): Promise<Map<string, { count: number; lastRequest: number }>> {
    if (keys.length === 0) return new Map();
    const rows = await this.db.select().from(authRateLimits).where(inArray(authRateLimits.key, keys));
    return new Map(rows.map((row) => [row.key, { count: row.count, lastRequest: row.lastRequest }]));
  }

  /** Forgets the attempts under `key`. */
  async clear(key: string): Promise<void> {
    await this.db.delete(authRateLimits).where(eq(authRateLimits.key, key));
  }
}
