// Who is making a request: the user of an API key (`Authorization: Bearer <key>`) or of the session cookie.
// Anything else (no credentials, a wrong key, an expired session, a deactivated user) is nobody: null.
import { z } from 'zod';
import { userRole } from '../db/schema/index.ts';
import { callBetterAuth } from '../performance/async-context-switch.ts';
import type { Actor } from '../store/actor.ts';
import type { ApiKeyActors } from './api-key-actors.ts';
import type { Auth } from './better-auth.ts';

/** The fields of better-auth's session user that make an actor (see the field mapping in better-auth.ts). */
const sessionUser = z.object({
  id: z.string(),
  role: z.enum(userRole.enumValues),
  isAnonymous: z.boolean().nullish(),
  isActive: z.boolean(),
  messagesPerDay: z.number().int().nullish(),
  name: z.string().nullish(),
  image: z.string().nullish(),
  username: z.string().optional(),
});

export type ResolvedActor = {
  actor: Actor | null;
  /** Headers better-auth wants on the response (a refreshed session cookie), to pass on. */
  responseHeaders?: Headers;
};

const BEARER = /^Bearer\s+(\S+)\s*$/i;

export async function resolveActor(
  { auth, apiKeyActors }: { auth: Auth; apiKeyActors: Pick<ApiKeyActors, 'find'> },
  headers: Headers,
): Promise<ResolvedActor> {
  const authorization = headers.get('authorization');
  // A request that names a key stands or falls by that key, whatever cookie the browser also sent.
  if (authorization !== null) {
    const token = BEARER.exec(authorization)?.[1];
    return { actor: token ? await apiKeyActors.find(token) : null };
  }
  if (!headers.has('cookie')) return { actor: null };
  const { headers: responseHeaders, response } = await callBetterAuth(() =>
    auth.api.getSession({ headers, returnHeaders: true }),
  );
  const parsed = sessionUser.safeParse(response?.user);
  if (!parsed.success || !parsed.data.isActive) return { actor: null, responseHeaders };
  const user = parsed.data;
  const actor: Actor = {
    id: user.id,
    role: user.role,
    isGuest: user.isAnonymous === true,
    messagesPerDay: user.messagesPerDay ?? null,
  };
  if (user.username)
    actor.card = { displayName: user.name ?? null, username: user.username, avatarUrl: user.image ?? null };
  return { actor, responseHeaders };
}
