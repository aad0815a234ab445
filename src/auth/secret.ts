// The secret that signs session cookies. BETTER_AUTH_SECRET when set; otherwise one generated on first start and
// kept in the database, so every process on one database (and every restart) signs and checks with the same one.
// It is never logged and lives under an internal config key, which no configuration API reads or writes.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Environment } from '../config/env.ts';
import type { Store } from '../store/index.ts';

export const AUTH_SECRET_KEY = 'internal.auth.secret';

const storedSecret = z.string().min(32);

export async function resolveAuthSecret(env: Environment, store: Pick<Store, 'systemConfigs'>): Promise<string> {
  if (env.BETTER_AUTH_SECRET) return env.BETTER_AUTH_SECRET;
  const value = await store.systemConfigs.readOrCreateInternal(AUTH_SECRET_KEY, () =>
    randomBytes(32).toString('base64url'),
  );
  const parsed = storedSecret.safeParse(value);
  // Do not echo the value: even a malformed secret is a secret.
  if (!parsed.success) throw new Error(`the stored ${AUTH_SECRET_KEY} is not a string of 32+ characters`);
  return parsed.data;
}
