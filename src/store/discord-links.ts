// Linking a Discord identity to a web account: the one-time codes `/link` gives (kept hashed), and redeeming one,
// which merges the Discord user into the account (every message kept: see guest-merge.ts) and gives the account
// the Discord id, in one transaction.
import { and, eq, lt } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { announce, CHANNELS } from '../db/notifications.ts';
import { discordLinkCodes, users } from '../db/schema/index.ts';
import { moveUserInto } from './guest-merge.ts';

/** How redeeming a code ended; everything but `linked` and `already-linked` changed nothing. */
export type LinkOutcome =
  | 'linked'
  | 'already-linked'
  | 'unknown-code'
  | 'used-code'
  | 'expired-code'
  | 'guest-account'
  | 'account-linked-elsewhere'
  | 'discord-linked-elsewhere';

export class DiscordLinkStore {
  constructor(private readonly db: Database) {}

  /** Keeps a new code of the Discord user's; their codes that have expired go. */
  async saveCode({ codeHash, userId, expiresAt }: { codeHash: string; userId: string; expiresAt: Date }) {
    await this.db.transaction(async (tx) => {
      await tx
        .delete(discordLinkCodes)
        .where(and(eq(discordLinkCodes.userId, userId), lt(discordLinkCodes.expiresAt, new Date())));
      await tx.insert(discordLinkCodes).values({ codeHash, userId, expiresAt });
    });
  }

  /**
   * Redeems the code for the account: the code's Discord user (a Discord-only user: no email) is merged into the
   * account, which takes their Discord id, and the code is marked used. The code's row is locked first, so the same
   * code entered twice at once links once; the other is told it was used.
   */
  async redeem({ codeHash, accountId, now }: { codeHash: string; accountId: string; now: Date }) {
    return this.db.transaction(async (tx): Promise<LinkOutcome> => {
      const [code] = await tx
        .select()
        .from(discordLinkCodes)
        .where(eq(discordLinkCodes.codeHash, codeHash))
        .for('update');
      if (!code) return 'unknown-code';
      if (code.usedAt) return 'used-code';
      if (code.expiresAt <= now) return 'expired-code';
      const person = { id: users.id, email: users.email, isGuest: users.isGuest, discordId: users.discordId };
      const [discordUser] = await tx.select(person).from(users).where(eq(users.id, code.userId)).for('update');
      const [account] = await tx.select(person).from(users).where(eq(users.id, accountId)).for('update');
      if (!discordUser?.discordId || !account) return 'unknown-code';
      if (account.isGuest) return 'guest-account';
      const markUsed = () =>
        tx.update(discordLinkCodes).set({ usedAt: now }).where(eq(discordLinkCodes.codeHash, codeHash));
      if (discordUser.id === account.id) {
        await markUsed();
        return 'already-linked';
      }
      if (account.discordId) return 'account-linked-elsewhere';
      if (discordUser.email !== null) return 'discord-linked-elsewhere';
      await markUsed();
      // The codes stay, now the account's, so entering this one again is told it was used.
      await tx.update(discordLinkCodes).set({ userId: account.id }).where(eq(discordLinkCodes.userId, discordUser.id));
      await moveUserInto(tx, { fromId: discordUser.id, intoId: account.id });
      // After the Discord user is gone: the Discord id is unique.
      await tx.update(users).set({ discordId: discordUser.discordId }).where(eq(users.id, account.id));
      await announce(tx, CHANNELS.credentials, `user:${account.id}`);
      return 'linked';
    });
  }
}
