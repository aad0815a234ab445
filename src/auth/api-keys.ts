// API keys for `Authorization: Bearer <key>` (scripts, the OpenAI-compatible /v1 endpoint). A key is 32 random
// bytes behind a recognisable prefix, shown once at creation; only its SHA-256 is stored, so a leaked database
// leaks no usable key. (A fast hash is enough here: the key has 256 bits of entropy, nothing to brute-force.)
import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '../errors.ts';
import type { Actor } from '../store/actor.ts';
import type { ApiKeySummary } from '../store/api-keys.ts';
import type { Store } from '../store/index.ts';

export const API_KEY_PREFIX = 'chorus_';
/** How much of a key a list shows: the prefix and four characters of the random part. */
const DISPLAYED_PREFIX_LENGTH = API_KEY_PREFIX.length + 4;

export type CreatedApiKey = Pick<ApiKeySummary, 'id' | 'name' | 'createdAt' | 'expiresAt'> & { key: string };

export const hashApiKey = (key: string) => createHash('sha256').update(key).digest('hex');

export const looksLikeApiKey = (token: string) => token.startsWith(API_KEY_PREFIX);

export async function createApiKey(
  store: Pick<Store, 'apiKeys'>,
  { actor, name, expiresAt = null }: { actor: Actor; name?: string | null; expiresAt?: Date | null },
): Promise<CreatedApiKey> {
  // A guest is a throwaway browser session; a key would outlive it unnoticed.
  if (actor.isGuest) throw new AppError('forbidden', 'guests cannot create API keys; sign up first');
  if (expiresAt && expiresAt.getTime() <= Date.now()) {
    throw new AppError('invalid_input', 'expiresAt must be in the future');
  }
  const key = API_KEY_PREFIX + randomBytes(32).toString('base64url');
  const created = await store.apiKeys.create({
    actor,
    name: name ?? null,
    prefix: key.slice(0, DISPLAYED_PREFIX_LENGTH),
    keyHash: hashApiKey(key),
    expiresAt,
  });
  return { id: created.id, key, name: created.name, createdAt: created.createdAt, expiresAt: created.expiresAt };
}
