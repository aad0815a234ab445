// Someone's account deactivated or deleted, by this process or any other: whatever keeps a connection of theirs open
// (a live event stream) is told, to end it. Requests are refused at once anyway (see api-key-actors.ts and
// better-auth's session check); this is for what a request opened before and still holds.
// Every account change is announced (a new name, a role, a deactivation): each is looked up, once, to see whether
// the person can still sign in. Such changes are rare next to requests, so the look-up is not worth avoiding.

import { CHANNELS, type ChangeListener, type Unlisten } from '../db/notifications.ts';
import { AppError } from '../errors.ts';
import { logError } from '../loggable-error.ts';
import type { Store } from '../store/index.ts';

export class AccountDeactivations {
  private readonly listeners = new Set<(userId: string) => void>();
  private unlisten: Unlisten | undefined;

  constructor(private readonly store: Pick<Store, 'users'>) {
    store.users.onAccountChanged((userId) => void this.check(userId));
  }

  async start(changes: ChangeListener): Promise<void> {
    this.unlisten = await changes.listen(CHANNELS.credentials, (payload) => {
      if (payload.startsWith('user:')) void this.check(payload.slice('user:'.length));
    });
  }

  async stop(): Promise<void> {
    await this.unlisten?.();
  }

  /** Calls `listener` with each person found deactivated or deleted; returns how to stop. */
  onDeactivated(listener: (userId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async check(userId: string): Promise<void> {
    if (this.listeners.size === 0) return;
    try {
      const user = await this.store.users.getById(userId).catch((error: unknown) => {
        if (error instanceof AppError && error.code === 'not_found') return null;
        throw error;
      });
      if (user?.isActive) return;
      for (const listener of this.listeners) listener(userId);
    } catch (error) {
      logError('account deactivations: a changed account could not be checked', error);
    }
  }
}
