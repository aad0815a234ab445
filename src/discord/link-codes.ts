// Linking a Discord identity to a web account: `/link` in Discord gives a one-time code (short-lived, kept only
// hashed), and entering it on the web merges the Discord user into the web account, keeping every message, after
// which the Discord id is the account's (store/discord-links.ts does the merge in one transaction).
import { createHash, randomInt } from 'node:crypto';
import { AppError } from '../errors.ts';
import type { Actor } from '../store/actor.ts';
import type { LinkOutcome } from '../store/discord-links.ts';
import type { Store } from '../store/index.ts';
import { isDiscordOnly } from './discord-accounts.ts';

/** How long a code can be entered: long enough to open the web app and sign in. */
export const LINK_CODE_TTL_MS = 10 * 60 * 1000;

/** No 0/O or 1/I/L: a code is read off one screen and typed on another. */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 10;

/** A fresh code, e.g. `K7QM2-XW9PA` (about 49 bits: not guessed within its few minutes). */
export function newLinkCode(): string {
  const characters = Array.from({ length: CODE_LENGTH }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]);
  return `${characters.slice(0, 5).join('')}-${characters.slice(5).join('')}`;
}

/** A code as typed (any case, with or without the dash and spaces), in the one form it is hashed in. */
export const normalizedLinkCode = (typed: string) => typed.toUpperCase().replace(/[\s-]+/g, '');

export const hashLinkCode = (typed: string) => createHash('sha256').update(normalizedLinkCode(typed)).digest('hex');

const NEW_CODE = 'run /link in Discord for a new one';

/** What the person entering a code is told when redeeming it changed nothing; null when it linked. */
export function linkRefusal(outcome: LinkOutcome): AppError | null {
  switch (outcome) {
    case 'linked':
    case 'already-linked':
      return null;
    case 'unknown-code':
      return new AppError('invalid_input', `unknown link code: check it, or ${NEW_CODE}`);
    case 'used-code':
      return new AppError('invalid_input', `this link code was already used; ${NEW_CODE}`);
    case 'expired-code':
      return new AppError(
        'invalid_input',
        `this link code has expired (codes last ${LINK_CODE_TTL_MS / 60_000} minutes); ${NEW_CODE}`,
      );
    case 'guest-account':
      return new AppError('invalid_input', 'a guest cannot link a Discord account: sign up or sign in first');
    case 'account-linked-elsewhere':
      return new AppError('conflict', 'your account is already linked to another Discord account');
    case 'discord-linked-elsewhere':
      return new AppError('conflict', 'this Discord account is already linked to another web account');
  }
}

export class DiscordLinks {
  constructor(private readonly store: Pick<Store, 'users' | 'discordLinks'>) {}

  /** `/link`: a one-time code for the Discord user to enter on the web. */
  async createLinkCode(actor: Actor, now = new Date()): Promise<{ code: string; expiresAt: Date }> {
    const user = await this.store.users.getById(actor.id);
    if (!user.discordId) throw new AppError('invalid_input', 'only a Discord user can ask for a link code');
    if (!isDiscordOnly(user)) {
      throw new AppError('conflict', `this Discord account is already linked to the web account ${user.username}`);
    }
    const code = newLinkCode();
    const expiresAt = new Date(now.getTime() + LINK_CODE_TTL_MS);
    await this.store.discordLinks.saveCode({ codeHash: hashLinkCode(code), userId: user.id, expiresAt });
    return { code, expiresAt };
  }

  /**
   * A code entered on the web: the Discord user it was given to becomes the web account, with every message,
   * conversation and membership of theirs. Refused (changing nothing) for a code unknown, used or expired.
   */
  async linkAccount(webActor: Actor, code: string, now = new Date()): Promise<void> {
    if (!normalizedLinkCode(code)) throw new AppError('invalid_input', 'enter the code /link gave you in Discord');
    const outcome = await this.store.discordLinks.redeem({ codeHash: hashLinkCode(code), accountId: webActor.id, now });
    const refusal = linkRefusal(outcome);
    if (refusal) throw refusal;
  }
}
