// Who a new account is, decided as better-auth creates it: its username (ours is required and unique, better-auth
// has none), its role (CHORUS_ADMIN_EMAIL, or else the first person to sign up, is an admin) and, for a guest,
// no email at all: the anonymous plugin invents a placeholder address, which the architecture does not want stored.
// What a person may give of themselves (name, picture) is checked here on sign-up and on every update.
import { APIError } from 'better-auth/api';
import { z } from 'zod';
import type { Environment } from '../config/env.ts';
import type { Store } from '../store/index.ts';
import { uniqueUsername } from '../store/users.ts';

/** The user fields better-auth hands to the create hook, under its own names (see better-auth.ts for the mapping). */
export type NewAuthUser = {
  email?: string | null;
  name?: string | null;
  image?: string | null;
  isAnonymous?: boolean | null;
};
export type CreatedAuthUser = NewAuthUser & { id: string };

/** The largest inline picture (a data: URL, as written): enough for a small avatar, shown beside every message. */
export const MAX_AVATAR_DATA_URL_LENGTH = 16 * 1024;
const INLINE_AVATAR = /^data:image\/(png|jpeg|webp|gif);base64,[A-Za-z0-9+/]+={0,2}$/;

/**
 * A person's picture is loaded by every browser that shows them, from wherever it points: only an https: address
 * (no plain-http mixed content, no javascript:, no internal http:// hosts) or a small inline raster image (SVG can
 * carry script). An address still tells its server who looked; that is the web's normal avatar, kept to https.
 */
export const avatarUrlSchema = z
  .string()
  .max(MAX_AVATAR_DATA_URL_LENGTH, `image must be at most ${MAX_AVATAR_DATA_URL_LENGTH} characters`)
  .refine(
    (value) => INLINE_AVATAR.test(value) || (URL.canParse(value) && new URL(value).protocol === 'https:'),
    'image must be an https: URL or a data:image/png, jpeg, webp or gif URL in base64',
  );

/** Our column sizes: better-auth knows none of them, and a value too long for a column must be a 400, not a 500. */
const userInput = z.object({
  email: z.string().max(255, 'email must be at most 255 characters').nullish(),
  name: z.string().trim().max(100, 'name must be at most 100 characters').nullish(),
  image: avatarUrlSchema.nullish(),
});

/** The user fields of a create or an update, checked against our columns. */
export function checkUserInput(user: NewAuthUser) {
  const parsed = userInput.safeParse(user);
  if (!parsed.success) {
    throw new APIError('BAD_REQUEST', { code: 'INVALID_INPUT', message: parsed.error.issues[0]!.message });
  }
  return parsed.data;
}

export function prepareNewUser(env: Environment, user: NewAuthUser) {
  const checked = checkUserInput(user);
  if (user.isAnonymous) {
    return { email: null, name: 'Guest', username: uniqueUsername('guest'), role: 'user' as const };
  }
  const email = checked.email?.toLowerCase() ?? null;
  const isAdminEmail = email !== null && email === env.CHORUS_ADMIN_EMAIL?.toLowerCase();
  return {
    email,
    name: checked.name || null,
    username: uniqueUsername(email?.split('@')[0] ?? checked.name ?? 'user'),
    role: isAdminEmail ? ('admin' as const) : ('user' as const),
  };
}

/**
 * Without CHORUS_ADMIN_EMAIL, the first person to sign up becomes the admin. Runs once the new user is committed,
 * so the check sees every earlier sign-up; the store serialises concurrent checks, so exactly one wins.
 */
export async function applyFirstUserRule(env: Environment, store: Pick<Store, 'users'>, user: CreatedAuthUser) {
  if (env.CHORUS_ADMIN_EMAIL || user.isAnonymous) return;
  await store.users.promoteIfNoAdmin(user.id);
}
