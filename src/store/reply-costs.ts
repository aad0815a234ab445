// The stored cost of replies, rewritten after a price change: the models' prices, the period's priced replies in
// batches (locked, in the order idx_messages_timestamp serves), and one set-based UPDATE per batch, all in one
// transaction so a reprice is all or nothing. How a reply is priced: registry/repricing.ts.
import { and, asc, eq, gte, isNotNull, lt, ne, or, sql } from 'drizzle-orm';
import type { Database, Transaction } from '../db/client.ts';
import { messages, models } from '../db/schema/index.ts';
import type { ModelPricing } from '../db/schema/models.ts';

/** A model's prices and the version they are of. */
export type ModelPrices = { id: string; pricing: ModelPricing; version: number };

/** A reply to price: its model, its token counts, and its stored cost as the exact decimal text (null: none yet). */
export type PricedReply = {
  id: string;
  createdAt: Date;
  modelId: string;
  modelVersion: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
  cachedInputTokens: number | null;
  costUsd: string | null;
};

/** A reply's new cost (decimal text, at most 10 places) and the model version it was priced at. */
export type CostWrite = { id: string; cost: string; version: number };

/** Where a batch starts: after this reply in (created_at, id) order. */
export type BatchPosition = { createdAt: Date; id: string };

export class ReplyCostStore {
  constructor(private readonly db: Database) {}

  /** Runs `work` in one transaction: the replies it reads stay locked until their costs are written. */
  transaction<T>(work: (costs: ReplyCostWriter) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) => work(new ReplyCostWriter(tx)));
  }
}

/** The reads and writes of one transaction of ReplyCostStore. */
export class ReplyCostWriter {
  constructor(private readonly tx: Transaction) {}

  /** Every model's current prices, by id. */
  async modelPrices(): Promise<Map<string, ModelPrices>> {
    const rows = await this.tx.select({ id: models.id, pricing: models.pricing, version: models.version }).from(models);
    return new Map(rows.map((model) => [model.id, { ...model, pricing: model.pricing as ModelPricing }]));
  }

  /**
   * The next `limit` priced replies created in [since, until), in (created_at, id) order after `after`, locked, so
   * the previous costs read are the ones replaced. Replies still streaming get their cost when they finish; replies
   * without token counts have nothing to price.
   */
  async nextBatch({
    since,
    until,
    after,
    limit,
  }: {
    since: Date;
    until: Date;
    after?: BatchPosition;
    limit: number;
  }): Promise<PricedReply[]> {
    const rows = await this.tx
      .select({
        id: messages.id,
        createdAt: messages.createdAt,
        modelId: messages.modelId,
        modelVersion: messages.modelVersion,
        inputTokens: messages.inputTokens,
        outputTokens: messages.outputTokens,
        cachedInputTokens: messages.cachedInputTokens,
        // As text: the stored decimal exactly, not its nearest double.
        costUsd: sql<string | null>`${messages.costUsd}::text`,
      })
      .from(messages)
      .where(
        and(
          eq(messages.role, 'assistant'),
          isNotNull(messages.modelId),
          ne(messages.status, 'streaming'),
          or(isNotNull(messages.inputTokens), isNotNull(messages.outputTokens)),
          gte(messages.createdAt, since),
          lt(messages.createdAt, until),
          after &&
            sql`(${messages.createdAt}, ${messages.id}) > (${after.createdAt.toISOString()}::timestamptz, ${after.id}::uuid)`,
        ),
      )
      .orderBy(asc(messages.createdAt), asc(messages.id))
      .limit(limit)
      .for('update');
    // The where clause leaves out replies without a model.
    return rows as PricedReply[];
  }

  /** One UPDATE for the whole batch: the new costs travel as one JSON parameter. */
  async writeCosts(writes: readonly CostWrite[]): Promise<void> {
    if (writes.length === 0) return;
    await this.tx.execute(sql`
      update messages
      set cost_usd = priced.cost, model_version = priced.version, updated_at = now()
      from jsonb_to_recordset(${JSON.stringify(writes)}::jsonb) as priced(id uuid, cost numeric, version integer)
      where messages.id = priced.id`);
  }
}
