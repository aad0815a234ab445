// `/usage`: what a person has used — tokens and cost of the replies to their messages today (UTC) and in all,
// and the day's messages against their daily limit — from the same records the admin usage view and the limits read.
import { readDailyMessageLimits, userKind } from '../auth/limits.ts';
import type { Actor } from '../store/actor.ts';
import { usageDayOf } from '../store/daily-usage.ts';
import type { Store } from '../store/index.ts';
import type { UsageRow } from '../store/usage.ts';

export type UsageTotals = Omit<UsageRow, 'key'>;

export type PersonalUsage = {
  today: UsageTotals;
  allTime: UsageTotals;
  /** Messages counted against today's limit (sent, edited, regenerated, through any door). */
  messagesToday: number;
  /** null: unlimited. */
  dailyMessageLimit: number | null;
};

export async function usageOf(
  store: Pick<Store, 'usage' | 'dailyUsage' | 'systemConfigs'>,
  actor: Actor,
  now = new Date(),
): Promise<PersonalUsage> {
  const day = usageDayOf(now);
  const [today, allTime, messagesToday, limits] = await Promise.all([
    store.usage.totalsForUser({ userId: actor.id, from: new Date(`${day}T00:00:00Z`) }),
    store.usage.totalsForUser({ userId: actor.id, from: new Date(0) }),
    store.dailyUsage.messagesOn({ userId: actor.id, day }),
    readDailyMessageLimits(store),
  ]);
  return { today, allTime, messagesToday, dailyMessageLimit: limits[userKind(actor)] };
}
