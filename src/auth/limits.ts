// Daily message limits per kind of user, from system config `limits.messagesPerDay`, so an admin's change applies
// to the next message without a restart (at once on the process that made it, within a second or two elsewhere: the
// value is reused that long rather than read for every message). A day is a UTC calendar day; null is unlimited.
// Every turn a person causes counts — a message sent, edited or regenerated, a /v1 call — whichever door it came
// through: the chat services run each turn through DailyMessageLimit.countTurn. Deleting gives nothing back.
// An admin may give one person a limit of their own (users.messages_per_day), which replaces their kind's.
import { z } from 'zod';
import { AppError } from '../errors.ts';
import { logError } from '../loggable-error.ts';
import { log } from '../logging/logger.ts';
import type { Actor } from '../store/actor.ts';
import { usageDayOf } from '../store/daily-usage.ts';
import type { Store } from '../store/index.ts';

export const DAILY_MESSAGE_LIMITS_KEY = 'limits.messagesPerDay';

/** How long a read of the limits is reused (see SystemConfigStore.getRecent). */
const LIMITS_MAX_AGE_MS = 2_000;

const DAY_MS = 24 * 60 * 60 * 1000;

const limit = z.number().int().min(0).nullable();
/** The config value's shape; kinds left out keep their default. Validate a new value with this before saving it. */
export const dailyMessageLimitsSchema = z.object({ guest: limit, user: limit, admin: limit }).partial().strict();
export type DailyMessageLimits = Required<z.infer<typeof dailyMessageLimitsSchema>>;

export const DEFAULT_DAILY_MESSAGE_LIMITS: DailyMessageLimits = { guest: 20, user: 1000, admin: null };

export type UserKind = keyof DailyMessageLimits;
export const userKind = (actor: Actor): UserKind =>
  actor.isGuest ? 'guest' : actor.role === 'admin' ? 'admin' : 'user';

/** The limits in force: the configured ones over the defaults. A value that is not valid limits is reported and ignored. */
export async function readDailyMessageLimits(store: Pick<Store, 'systemConfigs'>): Promise<DailyMessageLimits> {
  const config = await store.systemConfigs.getRecent(DAILY_MESSAGE_LIMITS_KEY, LIMITS_MAX_AGE_MS);
  if (!config) return DEFAULT_DAILY_MESSAGE_LIMITS;
  const parsed = dailyMessageLimitsSchema.safeParse(config.value);
  if (!parsed.success) {
    // Refusing every message over a bad setting would be worse than the defaults; say so and carry on.
    log.warn('a system config value is invalid: using the defaults', {
      key: DAILY_MESSAGE_LIMITS_KEY,
      problem: z.prettifyError(parsed.error),
    });
    return DEFAULT_DAILY_MESSAGE_LIMITS;
  }
  return { ...DEFAULT_DAILY_MESSAGE_LIMITS, ...parsed.data };
}

/** A message counted against a day; `giveBack` undoes the count (once, however often it is called). */
export type CountedMessage = { giveBack(): Promise<void> };

const UNCOUNTED: CountedMessage = { giveBack: async () => {} };

export class DailyMessageLimit {
  constructor(private readonly store: Pick<Store, 'systemConfigs' | 'dailyUsage' | 'users'>) {}

  /** The actor's allowance: their own limit if they have one, else their kind's (null: unlimited). */
  private async allowanceOf(actor: Actor): Promise<{ allowed: number | null; own: boolean }> {
    const own =
      actor.messagesPerDay !== undefined ? actor.messagesPerDay : await this.store.users.ownDailyLimit(actor.id);
    if (own !== null) return { allowed: own, own: true };
    return { allowed: (await readDailyMessageLimits(this.store))[userKind(actor)], own: false };
  }

  /**
   * Counts one message against the actor's day, or throws rate_limited (429) when the day's allowance is spent.
   * One statement when the actor has a limit, none when unlimited. `now` is injectable for tests.
   */
  async count(actor: Actor, now: Date = new Date()): Promise<CountedMessage> {
    const kind = userKind(actor);
    const { allowed, own } = await this.allowanceOf(actor);
    if (allowed === null) return UNCOUNTED;
    const usage = { userId: actor.id, day: usageDayOf(now) };
    if (allowed > 0 && (await this.store.dailyUsage.countIfUnder({ ...usage, limit: allowed }))) {
      let counted = true;
      return {
        giveBack: async () => {
          if (!counted) return;
          counted = false;
          await this.store.dailyUsage.giveBack(usage);
        },
      };
    }
    const sent = await this.store.dailyUsage.messagesOn(usage);
    const resetsAt = new Date(Date.parse(usage.day) + DAY_MS).toISOString();
    const who = own ? 'you' : kind === 'guest' ? 'guests' : kind === 'admin' ? 'admins' : 'users';
    const hint = kind === 'guest' && !own ? '; sign up for a higher limit' : '';
    throw new AppError(
      'rate_limited',
      `daily message limit reached: ${who} may send ${allowed} messages a day; it resets at ${resetsAt}${hint}`,
      {
        details: { limit: allowed, sent, resetsAt },
      },
    );
  }

  /**
   * Runs `start` as a turn of the actor's, counted first. The count is given back when no model was called: `start`
   * failed (the input was refused, the message could not be saved), or `startedTurn` says its result started no
   * turn (a client's retry of a message already answered).
   */
  async countTurn<Result>(
    actor: Actor,
    start: () => Promise<Result>,
    startedTurn: (result: Result) => boolean = () => true,
  ): Promise<Result> {
    const counted = await this.count(actor);
    let result: Result;
    try {
      result = await start();
    } catch (error) {
      await giveBackQuietly(counted);
      throw error;
    }
    if (!startedTurn(result)) await giveBackQuietly(counted);
    return result;
  }
}

/** A count that cannot be given back (the database is gone) costs the person one message; the turn's own outcome matters more. */
async function giveBackQuietly(counted: CountedMessage): Promise<void> {
  try {
    await counted.giveBack();
  } catch (error) {
    logError('could not give back a daily message count:', error);
  }
}
