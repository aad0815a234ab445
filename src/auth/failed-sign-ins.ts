// Failed sign-ins slow down, then lock, further attempts: per email (guesses at one person's password, from
// anywhere) and per client address (one machine guessing at many people's). The first few failures cost nothing;
// each one after makes the next attempt wait twice as long; past the lock threshold attempts are refused until
// LOCK_MS after the last failure. A success clears its email's count (never its address's: one account of one's own
// must not reset a guesser's count). Waits are refused, not slept, so a guesser holds no connection open; the
// counters are in auth_rate_limits, so every server process counts together. The clock is injectable for tests.
import { APIError } from 'better-auth/api';
import type { Store } from '../store/index.ts';

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;

/** Failures that cost nothing, by default (CHORUS_SIGN_IN_FREE_FAILURES). */
export const FREE_FAILURES = 3;
/** The wait after the first failure past the free ones; it doubles with each further failure. */
export const FIRST_WAIT_MS = 5 * SECOND_MS;
/** Slowed failures after the free ones, before attempts are refused for LOCK_MS. */
export const SLOWED_FAILURES = 7;
export const LOCK_MS = 15 * MINUTE_MS;

/** How long after the last failure the next attempt must wait, given how many failures there were. */
export function waitAfterFailures(failures: number, freeFailures = FREE_FAILURES): number {
  if (failures < freeFailures) return 0;
  if (failures >= freeFailures + SLOWED_FAILURES) return LOCK_MS;
  return FIRST_WAIT_MS * 2 ** (failures - freeFailures);
}

export type SignInSource = { email: string; address: string | null };

const emailKey = (email: string) => `failed-email:${email.trim().toLowerCase()}`;
const addressKey = (address: string) => `failed-address:${address}`;

const inWords = (ms: number) => {
  const seconds = Math.max(1, Math.ceil(ms / SECOND_MS));
  return seconds < 90 ? `${seconds} second${seconds === 1 ? '' : 's'}` : `${Math.ceil(seconds / 60)} minutes`;
};

export class FailedSignIns {
  constructor(
    private readonly store: Pick<Store, 'authRateLimits'>,
    private readonly now: () => number = Date.now,
    private readonly freeFailures = FREE_FAILURES,
  ) {}

  /** Refuses the attempt (429, with Retry-After and a message saying when) while its email or address must wait. */
  async check({ email, address }: SignInSource): Promise<void> {
    const keys = [emailKey(email), ...(address ? [addressKey(address)] : [])];
    const counters = await this.store.authRateLimits.read(keys);
    const now = this.now();
    for (const [index, key] of keys.entries()) {
      const counter = counters.get(key);
      if (!counter) continue;
      const remaining = counter.lastRequest + waitAfterFailures(counter.count, this.freeFailures) - now;
      const locked = counter.count >= this.freeFailures + SLOWED_FAILURES;
      if (remaining <= 0) continue;
      const what = index === 0 ? 'this email' : 'this address';
      const message = locked
        ? `sign-in is locked for ${what} after ${counter.count} failed attempts; try again in ${inWords(remaining)}`
        : `too many failed sign-ins for ${what}; wait ${inWords(remaining)} before trying again`;
      throw new APIError(
        'TOO_MANY_REQUESTS',
        { code: locked ? 'SIGN_IN_LOCKED' : 'SIGN_IN_SLOWED', message },
        { 'retry-after': String(Math.ceil(remaining / SECOND_MS)) },
      );
    }
  }

  /** Counts a failed attempt against its email and its address; a quiet LOCK_MS starts a count afresh. */
  async failed({ email, address }: SignInSource): Promise<void> {
    const counted = { now: this.now(), windowMs: LOCK_MS };
    await this.store.authRateLimits.countAfresh(emailKey(email), counted);
    if (address) await this.store.authRateLimits.countAfresh(addressKey(address), counted);
  }

  /** A successful sign-in forgets its email's failures. */
  succeeded(email: string): Promise<void> {
    return this.store.authRateLimits.clear(emailKey(email));
  }
}
