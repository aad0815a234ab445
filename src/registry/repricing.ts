// Recomputing the stored cost of past replies after a price change. Each reply is priced with priceUsage (the one
// pricing function) at its model's current prices; the store reads and writes the replies in batches inside one
// transaction, so a reprice is all or nothing (store/reply-costs.ts). Totals are summed exactly, in units of
// 1e-10 USD (the scale of messages.cost_usd), never in floating point.
import { AppError } from '../errors.ts';
import { priceUsage } from '../models/pricing.ts';
import type { BatchPosition, CostWrite, ReplyCostStore } from '../store/reply-costs.ts';

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

export async function repriceMessages(costs: ReplyCostStore, period: RepricePeriod): Promise<RepriceResult> {
  const since = period.since;
  const until = period.until ?? new Date();
  if (!(since < until)) throw new AppError('invalid_input', 'the period to reprice must start before it ends');

  return costs.transaction(async (replies) => {
    // Prices read once: every reply of the period is priced against the same registry state.
    const pricingOf = await replies.modelPrices();
    const byModel = new Map<string, Sums>();
    let changedMessages = 0;
    let after: BatchPosition | undefined;
    for (;;) {
      const batch = await replies.nextBatch({ since, until, after, limit: BATCH_SIZE });
      if (batch.length === 0) break;
      const writes: CostWrite[] = [];
      for (const reply of batch) {
        const model = pricingOf.get(reply.modelId)!;
        const cost = priceUsage(model.pricing, {
          inputTokens: reply.inputTokens ?? 0,
          outputTokens: reply.outputTokens ?? 0,
          cachedInputTokens: reply.cachedInputTokens ?? 0,
        });
        const previous = reply.costUsd === null ? 0n : usdToUnits(reply.costUsd);
        const next = usdToUnits(cost);
        const sums = byModel.get(reply.modelId) ?? { messages: 0, previous: 0n, next: 0n };
        sums.messages += 1;
        sums.previous += previous;
        sums.next += next;
        byModel.set(reply.modelId, sums);
        if (reply.costUsd === null || previous !== next || reply.modelVersion !== model.version) {
          writes.push({ id: reply.id, cost: cost.toFixed(COST_SCALE), version: model.version });
        }
      }
      await replies.writeCosts(writes);
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
