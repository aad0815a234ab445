// How often people may try to get in, however the server is started: better-auth counts requests per client
// address and route (sign-ins per minute, sign-ups and guests per hour), and Chorus counts sign-in attempts per
// account, so many addresses guessing one person's password are stopped too. Both keep their counters in the
// database (auth_rate_limits), so every server process counts against the same limits. The client's address is
// the one Chorus worked out itself (see http/client-address.ts), never a header a client chose.
import type { BetterAuthOptions } from 'better-auth';
import { APIError } from 'better-auth/api';
import type { Environment } from '../config/env.ts';
import type { Store } from '../store/index.ts';

/**
 * The header better-auth reads the client's address from. The HTTP layer sets it on every auth request from the
 * socket (or trusted proxies), replacing whatever a client sent under that name.
 */
export const CLIENT_ADDRESS_HEADER = 'x-chorus-client-address';

const MINUTE_S = 60;
const HOUR_S = 60 * MINUTE_S;
/** How long the attempts on one account are remembered: the window of CHORUS_SIGN_IN_ATTEMPTS_PER_ACCOUNT. */
export const ACCOUNT_ATTEMPTS_WINDOW_MS = 15 * MINUTE_S * 1000;

/** better-auth's `rateLimit` and `advanced.ipAddress` options. */
export function authRateLimitOptions(env: Environment): Pick<BetterAuthOptions, 'rateLimit'> & {
  ipAddress: NonNullable<BetterAuthOptions['advanced']>['ipAddress'];
} {
  return {
    rateLimit: {
      // better-auth turns it on only when NODE_ENV is production; `npm start` sets no NODE_ENV.
      enabled: true,
      storage: 'database',
      // The model's name in the Drizzle adapter's schema (better-auth.ts): our auth_rate_limits table.
      modelName: 'authRateLimits',
      // Every other auth route: better-auth's own default.
      window: 10,
      max: 100,
      // The first rule that matches a path applies.
      customRules: {
        '/sign-in/anonymous': { window: HOUR_S, max: env.CHORUS_GUESTS_PER_ADDRESS },
        '/sign-in/*': { window: MINUTE_S, max: env.CHORUS_SIGN_IN_ATTEMPTS_PER_ADDRESS },
        '/sign-up/*': { window: HOUR_S, max: env.CHORUS_SIGN_UPS_PER_ADDRESS },
      },
    },
    // Only our own header: better-auth would otherwise believe X-Forwarded-For from anyone.
    ipAddress: { ipAddressHeaders: [CLIENT_ADDRESS_HEADER] },
  };
}

const accountKey = (email: string) => `account:${email.trim().toLowerCase()}|/sign-in/email`;

/** Sign-in attempts per account: counted before the password is checked, forgotten once one succeeds. */
export class SignInAttempts {
  constructor(
    private readonly store: Pick<Store, 'authRateLimits'>,
    private readonly maxPerAccount: number,
  ) {}

  /** Counts an attempt on the account, or refuses it with 429 when too many were made lately. */
  async count(email: string): Promise<void> {
    const decision = await this.store.authRateLimits.consume(accountKey(email), {
      max: this.maxPerAccount,
      windowMs: ACCOUNT_ATTEMPTS_WINDOW_MS,
    });
    if (decision.allowed) return;
    const retryAfterSeconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
    throw new APIError(
      'TOO_MANY_REQUESTS',
      {
        code: 'TOO_MANY_SIGN_IN_ATTEMPTS',
        message: `too many sign-in attempts for this account; try again in ${inWords(retryAfterSeconds)}`,
      },
      { 'retry-after': String(retryAfterSeconds) },
    );
  }

  /** A successful sign-in starts the account's count afresh. */
  succeeded(email: string): Promise<void> {
    return this.store.authRateLimits.clear(accountKey(email));
  }
}

const inWords = (seconds: number) => (seconds < 90 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`);
