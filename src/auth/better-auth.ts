// The better-auth instance: email and password accounts and guest (anonymous) sign-in, served under /api/auth,
// stored through the Drizzle adapter in our own tables. better-auth's user is our `users` row (its field names
// mapped onto our columns below); its sessions, accounts, verifications and rate-limit counters are the auth_*
// tables. Guests keep their data when they sign up or in (guest-linking.ts); attempts to get in are limited per
// client address and per account (rate-limits.ts). Single sign-on, when configured, is single-sign-on.ts.
import { drizzleAdapter } from '@better-auth/drizzle-adapter';
import { betterAuth } from 'better-auth';
import { APIError, createAuthMiddleware } from 'better-auth/api';
import { anonymous } from 'better-auth/plugins/anonymous';
import type { Environment } from '../config/env.ts';
import { authAccounts, authRateLimits, authSessions, authVerifications, users } from '../db/schema/index.ts';
import type { Store } from '../store/index.ts';
import { FailedSignIns } from './failed-sign-ins.ts';
import { keepGuestData } from './guest-linking.ts';
import {
  applyFirstUserRule,
  type CreatedAuthUser,
  checkUserInput,
  type NewAuthUser,
  prepareNewUser,
} from './new-users.ts';
import { authRateLimitOptions, CLIENT_ADDRESS_HEADER, SignInAttempts } from './rate-limits.ts';
import { refusePasswordSignIn, singleSignOnPlugins } from './single-sign-on.ts';

export const AUTH_BASE_PATH = '/api/auth';

/** Where people reach the app: cookies and the allowed Origin of browser requests are derived from it. */
export const publicUrl = (env: Environment) => env.PUBLIC_URL ?? `http://localhost:${env.PORT}`;

/** Without PUBLIC_URL the app is local: a browser on 127.0.0.1 is as much at home as one on localhost. */
const extraTrustedOrigins = (env: Environment) => (env.PUBLIC_URL ? [] : [`http://127.0.0.1:${env.PORT}`]);

/** The origins of the app's own pages: a browser request from anywhere else may not act with the session cookie. */
export const trustedBrowserOrigins = (env: Environment) => [
  new URL(publicUrl(env)).origin,
  ...extraTrustedOrigins(env),
];

/** better-auth's cookies are named `<prefix>.<name>` (with `__Secure-` before them on https). */
export const AUTH_COOKIE_PREFIX = 'chorus';

/** `now`: the clock failed sign-ins are timed by (tests set it). */
export type AuthOptions = { env: Environment; store: Store; secret: string; now?: () => number };

export function createAuth({ env, store, secret, now }: AuthOptions) {
  const { rateLimit, ipAddress } = authRateLimitOptions(env);
  const signInAttempts = new SignInAttempts(store, env.CHORUS_SIGN_IN_ATTEMPTS_PER_ACCOUNT);
  const failedSignIns = new FailedSignIns(store, now, env.CHORUS_SIGN_IN_FREE_FAILURES);
  const sourceOf = (email: string, headers: Headers | undefined) => ({
    email,
    address: headers?.get(CLIENT_ADDRESS_HEADER) ?? null,
  });
  return betterAuth({
    appName: 'Chorus',
    baseURL: publicUrl(env),
    basePath: AUTH_BASE_PATH,
    trustedOrigins: extraTrustedOrigins(env),
    secret,
    database: drizzleAdapter(store.db, {
      provider: 'pg',
      // Keys are better-auth's model names (set below), values our tables.
      schema: { users, authSessions, authAccounts, authVerifications, authRateLimits },
      // Sign-up writes a user and its password account: both or neither.
      transaction: true,
    }),
    advanced: {
      // Our ids are UUIDs; the database makes them (gen_random_uuid()), as for every other table.
      database: { generateId: 'uuid' },
      cookiePrefix: AUTH_COOKIE_PREFIX,
      // better-auth skips its CSRF and Origin checks when NODE_ENV is "test"; tests must see what production does.
      disableOriginCheck: false,
      ipAddress,
    },
    rateLimit,
    telemetry: { enabled: false },
    emailAndPassword: { enabled: env.CHORUS_PASSWORD_LOGIN },
    user: {
      modelName: 'users',
      // Keys are better-auth's field names, values our Drizzle property names (columns display_name, avatar_url).
      fields: { name: 'displayName', image: 'avatarUrl' },
      additionalFields: {
        username: { type: 'string', required: false, input: false },
        role: { type: 'string', required: false, input: false, defaultValue: 'user' },
        // Read back with every session, so a deactivated user is recognised without another query.
        isActive: { type: 'boolean', required: false, input: false, defaultValue: true },
        // Likewise their own daily message limit (see limits.ts).
        messagesPerDay: { type: 'number', required: false, input: false },
      },
    },
    session: { modelName: 'authSessions' },
    account: {
      modelName: 'authAccounts',
      accountLinking: {
        enabled: true,
        // Chorus sends no verification emails, so a password account's email is never verified: what links a single
        // sign-on to it is the provider's word that it verified the email (no provider is trusted without it). The
        // risk this leaves (someone signing up first with another's email) is why CHORUS_PASSWORD_LOGIN exists.
        requireLocalEmailVerified: false,
      },
    },
    verification: { modelName: 'authVerifications' },
    plugins: [
      // Guests: better-auth calls them anonymous; our column is is_guest.
      anonymous({
        schema: { user: { fields: { isAnonymous: 'isGuest' } } },
        onLinkAccount: keepGuestData(store),
        // keepGuestData removes the guest in the transaction that moves its data (see guest-linking.ts).
        disableDeleteAnonymousUser: true,
      }),
      ...singleSignOnPlugins(env),
    ],
    databaseHooks: {
      user: {
        create: {
          // better-auth types a user's email as a string; a guest's is null here, on purpose (see new-users.ts).
          before: async (user) => ({ data: prepareNewUser(env, user as NewAuthUser) as Record<string, unknown> }),
          after: async (user) => applyFirstUserRule(env, store, user as CreatedAuthUser),
        },
        // POST /api/auth/update-user changes the name or the picture: the same rules apply.
        update: {
          before: async (user) => {
            checkUserInput(user as NewAuthUser);
          },
        },
      },
    },
    hooks: {
      before: createAuthMiddleware(async (context) => {
        refusePasswordSignIn(env, context.path);
        if (context.path !== '/sign-in/email') return;
        const email: unknown = context.body?.email;
        if (typeof email !== 'string') return;
        // Before the password is checked: an email or address that failed lately waits (failed-sign-ins.ts), and
        // guesses at one account from many addresses are limited too.
        await failedSignIns.check(sourceOf(email, context.headers));
        await signInAttempts.count(email);
        // A deactivated user cannot start a session (their existing ones stop counting: see actor.ts).
        const user = await store.users.findByEmail(email);
        if (user && !user.isActive) throw deactivated();
      }),
      after: createAuthMiddleware(async (context) => {
        const session = context.context.newSession;
        // Single sign-on finds its account only inside the provider's callback, so a deactivated one is caught
        // after it: the session just made is deleted before the browser can use it (and is no new session to the
        // guest hook, so a guest's data stays theirs), and the browser lands on the sign-in screen saying why (the
        // callback answers with a redirect whatever its hooks throw).
        if (context.path.startsWith('/callback/') && session?.user.isActive === false) {
          await context.context.internalAdapter.deleteSession(session.session.token);
          context.context.setNewSession(null);
          throw context.redirect('/?error=account_deactivated');
        }
        if (context.path !== '/sign-in/email') return;
        const email: unknown = context.body?.email;
        if (typeof email !== 'string') return;
        if (context.context.newSession) {
          await signInAttempts.succeeded(email);
          await failedSignIns.succeeded(email);
          return;
        }
        // A wrong email or password (401); refusals for other reasons (a wait, a deactivated account) do not count.
        const returned = context.context.returned;
        if (returned instanceof APIError && returned.statusCode === 401) {
          await failedSignIns.failed(sourceOf(email, context.headers));
        }
      }),
    },
  });
}

const deactivated = () =>
  new APIError('FORBIDDEN', { code: 'ACCOUNT_DEACTIVATED', message: 'this account is deactivated' });

export type Auth = ReturnType<typeof createAuth>;
