// A guest who signs up, or signs in to an existing account, from their guest session keeps their chats: the
// anonymous plugin reports the link once the new session exists, and everything of the guest moves to the account
// in one transaction that also removes the guest (see store/guest-merge.ts).
//
// better-auth runs this hook once the new session exists (the account, for a sign-up, is already committed), in
// no transaction, and then deletes the guest by itself unless told not to (disableDeleteAnonymousUser): the move
// deletes it instead, in the same transaction, so the guest is never gone while its data is not moved. Should the
// move fail, nothing is lost: the new session is revoked and the browser gets its guest cookie back, so the person
// is still the guest with every conversation, and signing in to the account again retries the move.
import type { GenericEndpointContext } from '@better-auth/core';
import { APIError } from 'better-auth/api';
import { setSessionCookie } from 'better-auth/cookies';
import type { AnonymousOptions } from 'better-auth/plugins/anonymous';
import { logError } from '../loggable-error.ts';
import type { Store } from '../store/index.ts';

type LinkAccount = NonNullable<AnonymousOptions['onLinkAccount']>;
type LinkedSessions = Parameters<LinkAccount>[0];

export function keepGuestData(store: Pick<Store, 'guestMerge'>): LinkAccount {
  return async ({ anonymousUser, newUser, ctx }) => {
    try {
      await store.guestMerge.mergeIntoAccount({ guestId: anonymousUser.user.id, accountId: newUser.user.id });
    } catch (error) {
      logError(`moving guest ${anonymousUser.user.id} to account ${newUser.user.id} failed:`, error);
      await stayTheGuest(ctx, { anonymousUser, newUser });
      throw new APIError('SERVICE_UNAVAILABLE', {
        code: 'GUEST_DATA_NOT_MOVED',
        message:
          'your conversations as a guest could not be moved to the account, so you are still signed in as the guest; try signing in again',
      });
    }
  };
}

/** Undoes the sign-in: the new session stops working, and the response gives the browser its guest cookie back. */
async function stayTheGuest(ctx: GenericEndpointContext, { anonymousUser, newUser }: Omit<LinkedSessions, 'ctx'>) {
  await ctx.context.internalAdapter.deleteSession(newUser.session.token);
  await setSessionCookie(ctx, anonymousUser);
}
