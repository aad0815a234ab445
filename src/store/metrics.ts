// Metrics reported by the Discord bots and the server itself, under a client_bot_id. Internal:
// written by the processes that measure, read by operators, so no actor.
import { and, asc, desc, eq, gte, lt, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { metrics } from '../db/schema/index.ts';

export type Metric = typeof metrics.$inferSelect;
export type NewMetric = Pick<typeof metrics.$inferInsert, 'clientBotId' | 'metricType' | 'metricData' | 'timestamp'>;

export type MetricQuery = {
  metricType?: string;
  clientBotId?: string;
  /** Inclusive. */
  from?: Date;
  /** Exclusive, so consecutive windows never count a metric twice. */
  to?: Date;
  limit?: number;
};

export const DEFAULT_METRIC_LIMIT = 100;
export const MAX_METRIC_LIMIT = 1000;

export class MetricStore {
  constructor(private readonly db: Database) {}

  async record(metric: NewMetric): Promise<Metric> {
    const [recorded] = await this.db.insert(metrics).values(metric).returning();
    return recorded!;
  }

  /**
   * Every metric of one type in [from, to), oldest first: a chart's window, bounded by its range rather than a count
   * (the admin API bounds the range).
   */
  async inRange({ metricType, from, to }: { metricType: string; from: Date; to: Date }): Promise<Metric[]> {
    return this.db
      .select()
      .from(metrics)
      .where(and(eq(metrics.metricType, metricType), gte(metrics.timestamp, from), lt(metrics.timestamp, to)))
      .orderBy(asc(metrics.timestamp));
  }

  /** Newest first. Each filter narrows; none given means the latest metrics of every kind. */
  async query(filter: MetricQuery = {}): Promise<Metric[]> {
    const { metricType, clientBotId, from, to, limit = DEFAULT_METRIC_LIMIT } = filter;
    const filters: SQL[] = [];
    if (metricType !== undefined) filters.push(eq(metrics.metricType, metricType));
    if (clientBotId !== undefined) filters.push(eq(metrics.clientBotId, clientBotId));
    if (from !== undefined) filters.push(gte(metrics.timestamp, from));
    if (to !== undefined) filters.push(lt(metrics.timestamp, to));
    return this.db
      .select()
      .from(metrics)
      .where(and(...filters))
      .orderBy(desc(metrics.timestamp), desc(metrics.id))
      .limit(Math.max(1, Math.min(MAX_METRIC_LIMIT, Math.trunc(limit))));
  }
}
