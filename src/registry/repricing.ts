// Recomputing the stored cost of past replies after a price change [seed 001 "Update pricing → cost recalculated"].
// Each reply is priced with priceUsage (the one pricing function) at its model's current prices; the rows are read
// and written in batches — one set-based UPDATE per batch — inside one transaction, so a reprice is all or nothing.
// Totals are summed exactly, in units of 1e-10 USD (the scale of messages.cost_usd), never in floating point.
import { and, asc, eq, gte, isNotNull, lt, ne, or, sql } from 'drizzle-orm';
import type { Database, Transaction } from '../db/client.ts';
import { messages, models } from '../db/schema/index.ts';
import type { ModelPricing } from '../db/schema/models.ts';
import { AppError } from '../errors.ts';
import { priceUsage } from '../models/pricing.ts';

/** `since` inclusive, `until` (default: now) exclusive. */
export type RepricePeriod = { since: Date; until?: Date };

type Totals = { messages: number; previousTotalUsd: number; newTotalUsd: number; differenceUsd: number };

export type RepriceResult = Totals & {
  since: Date;
  until: Date;
  /** Replies whose stored cost or priced-at version actually changed. */
  changedMessages: number;
  byModel: (Totals & { modelId: string; modelVersion: number })[];
};

const BATCH_SIZE = 5_000;
const COST_SCALE = 10;

/** A decimal USD amount (numeric text, or a number already rounded to 10 places) in exact units of 1e-10 USD. */
export function usdToUnits(amount: string | number): bigint {
  const text = typeof amount === 'number' ? amount.toFixed(COST_SCALE) : amount;
  const [whole = '0', fraction = ''] = text.split('.');
  return BigInt(whole + fraction.padEnd(COST_SCALE, '0').slice(0, COST_SCALE));
}

/** Back to USD, through the decimal text so the number is the nearest double to the exact amount. */
export function unitsToUsd(units: bigint): number {
  const sign = units < 0n ? '-' : '';
  const digits = (units < 0n ? -units : units).toString().padStart(COST_SCALE + 1, '0');
  return Number(`${sign}${digits.slice(0, -COST_SCALE)}.${digits.slice(-COST_SCALE)}`);
}

type Sums = { messages: number; previous: bigint; next: bigint };

const totalsOf = (sums: Sums): Totals => ({
  messages: sums.messages,
  previousTotalUsd: unitsToUsd(sums.previous),
  newTotalUsd: unitsToUsd(sums.next),
  differenceUsd: unitsToUsd(sums.next - sums.previous),
});

export async function repriceMessages(db: Database, period: RepricePeriod): Promise<RepriceResult> {
  const since = period.since;
  const until = period.until ?? new Date();
  if (!(since < until)) throw new AppError('invalid_input', 'the period to reprice must start before it ends');

  return db.transaction(async (tx) => {
    // Prices read once: every reply of the period is priced against the same registry state.
    const pricingOf = new Map(
      (await tx.select({ id: models.id, pricing: models.pricing, version: models.version }).from(models)).map(
        (model) => [model.id, model],
      ),
    );
    const byModel = new Map<string, Sums>();
    let changedMessages = 0;
    let after: { createdAt: Date; id: string } | undefined;
    for (;;) {
      const batch = await readBatch(tx, since, until, after);
      if (batch.length === 0) break;
      const writes: { id: string; cost: string; version: number }[] = [];
      for (const reply of batch) {
        const model = pricingOf.get(reply.modelId!)!;
        const cost = priceUsage(model.pricing as ModelPricing, {
          inputTokens: reply.inputTokens ?? 0,
          outputTokens: reply.outputTokens ?? 0,
          cachedInputTokens: reply.cachedInputTokens ?? 0,
        });
        const previous = reply.costUsd === null ? 0n : usdToUnits(reply.costUsd);
        const next = usdToUnits(cost);
        const sums = byModel.get(reply.modelId!) ?? { messages: 0, previous: 0n, next: 0n };
        sums.messages += 1;
        sums.previous += previous;
        sums.next += next;
        byModel.set(reply.modelId!, sums);
        if (reply.costUsd === null || previous !== next || reply.modelVersion !== model.version) {
          writes.push({ id: reply.id, cost: cost.toFixed(COST_SCALE), version: model.version });
        }
      }
      await writeCosts(tx, writes);
      changedMessages += writes.length;
      after = batch.at(-1)!;
    }
    const all: Sums = { messages: 0, previous: 0n, next: 0n };
    for (const sums of byModel.values()) {
      all.messages += sums.messages;
      all.previous += sums.previous;
      all.next += sums.next;
    }
    return {
      since,
      until,
      ...totalsOf(all),
      changedMessages,
      byModel: [...byModel]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([modelId, sums]) => ({ modelId, modelVersion: pricingOf.get(modelId)!.version, ...totalsOf(sums) })),
    };
  });
}

/**
 * The next batch of priced replies of the period, in (created_at, id) order — the keyset idx_messages_timestamp
 * serves — locked, so the previous costs summed are the ones replaced. Replies still streaming get their cost when
 * they finish; replies without token counts have nothing to price.
 */
function readBatch(tx: Transaction, since: Date, until: Date, after?: { createdAt: Date; id: string }) {
  return tx
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
    .limit(BATCH_SIZE)
    .for('update');
}

/** One UPDATE for the whole batch: the new costs travel as one JSON parameter. */
async function writeCosts(tx: Transaction, writes: { id: string; cost: string; version: number }[]) {
  if (writes.length === 0) return;
  await tx.execute(sql`
    update messages
    set cost_usd = priced.cost, model_version = priced.version, updated_at = now()
    from jsonb_to_recordset(${JSON.stringify(writes)}::jsonb) as priced(id uuid, cost numeric, version integer)
    where messages.id = priced.id`);
}
