// Daily message limits per kind of user, from system config `limits.messagesPerDay`, so an admin's change applies
// to the next message without a restart (at once on the process that made it, within a second or two elsewhere: the
// value is reused that long rather than read for every message). A day is a UTC calendar day; null is unlimited.
// The chat engine calls assertWithinDailyMessageLimit before it stores a person's message.
import { z } from 'zod';
import { AppError } from '../errors.ts';
import type { Actor } from '../store/actor.ts';
import type { Store } from '../store/index.ts';

export const DAILY_MESSAGE_LIMITS_KEY = 'limits.messagesPerDay';

/** How long a read of the limits is reused (see SystemConfigStore.getRecent). */
const LIMITS_MAX_AGE_MS = 2_000;

const limit = z.number().int().min(0).nullable();
/** The config value's shape; kinds left out keep their default. Validate a new value with this before saving it. */
export const dailyMessageLimitsSchema = z.object({ guest: limit, user: limit, admin: limit }).partial().strict();
export type DailyMessageLimits = Required<z.infer<typeof dailyMessageLimitsSchema>>;

export const DEFAULT_DAILY_MESSAGE_LIMITS: DailyMessageLimits = { guest: 20, user: 1000, admin: null };

export type UserKind = keyof DailyMessageLimits;
export const userKind = (actor: Actor): UserKind => (actor.isGuest ? 'guest' : actor.role === 'admin' ? 'admin' : 'user');

/** The limits in force: the configured ones over the defaults. A value that is not valid limits is reported and ignored. */
export async function readDailyMessageLimits(store: Pick<Store, 'systemConfigs'>): Promise<DailyMessageLimits> {
  const config = await store.systemConfigs.getRecent(DAILY_MESSAGE_LIMITS_KEY, LIMITS_MAX_AGE_MS);
  if (!config) return DEFAULT_DAILY_MESSAGE_LIMITS;
  const parsed = dailyMessageLimitsSchema.safeParse(config.value);
  if (!parsed.success) {
    // Refusing every message over a bad setting would be worse than the defaults; say so and carry on.
    console.warn(`system config ${DAILY_MESSAGE_LIMITS_KEY} is invalid, using the defaults:`, z.prettifyError(parsed.error));
    return DEFAULT_DAILY_MESSAGE_LIMITS;
  }
  return { ...DEFAULT_DAILY_MESSAGE_LIMITS, ...parsed.data };
}

const startOfUtcDay = (at: Date) => new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));

/** Throws rate_limited (429) when the actor has already sent today's allowance; `now` is injectable for tests. */
export async function assertWithinDailyMessageLimit(
  store: Pick<Store, 'systemConfigs' | 'messages'>,
  actor: Actor,
  now: Date = new Date(),
): Promise<void> {
  const kind = userKind(actor);
  const allowed = (await readDailyMessageLimits(store))[kind];
  if (allowed === null) return;
  const since = startOfUtcDay(now);
  const sent = await store.messages.countBySenderSince({ userId: actor.id, since });
  if (sent < allowed) return;
  const resetsAt = new Date(since.getTime() + 24 * 60 * 60 * 1000);
  const who = kind === 'guest' ? 'guests' : kind === 'admin' ? 'admins' : 'users';
  const hint = kind === 'guest' ? '; sign up for a higher limit' : '';
  throw new AppError(
    'rate_limited',
    `daily message limit reached: ${who} may send ${allowed} messages a day; it resets at ${resetsAt.toISOString()}${hint}`,
    { details: { limit: allowed, sent, resetsAt: resetsAt.toISOString() } },
  );
}
