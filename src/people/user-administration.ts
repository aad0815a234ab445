// User administration, for admins at any door (the admin API, `chorus users`): finding people with what they used
// this month, changing their role, deactivating and reactivating them, their own daily message limit, deleting
// them. The rules (admins only, never without an active admin) are here and in the store's transactions.
import { AppError } from '../errors.ts';
import type { FileStorage } from '../files/storage.ts';
import { logError } from '../loggable-error.ts';
import { type Actor, isAdmin } from '../store/actor.ts';
import type { Store } from '../store/index.ts';
import type { UsageTotals } from '../store/usage.ts';
import type { AccountChanges, DeletedAccount, OwnedConversations, UserSearch } from '../store/user-administration.ts';
import type { User } from '../store/users.ts';

/** A person as admins see them: their account and what their messages' replies used this (UTC) month. */
export type AdministeredUser = User & { usageThisMonth: UsageTotals };

/** Midnight UTC on the first of `now`'s month. */
export const startOfMonth = (now: Date) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));

export class UserAdministration {
  constructor(
    private readonly store: Pick<Store, 'users' | 'userAdministration' | 'usage'>,
    private readonly fileStorage: Pick<FileStorage, 'delete'>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async search(actor: Actor, search: UserSearch): Promise<{ users: AdministeredUser[]; total: number }> {
    requireAdmin(actor);
    const { users, total } = await this.store.userAdministration.search(search);
    return { users: await this.withUsage(users), total };
  }

  async show(actor: Actor, id: string): Promise<AdministeredUser> {
    requireAdmin(actor);
    const [user] = await this.withUsage([await this.store.users.getById(id)]);
    return user!;
  }

  async change(actor: Actor, id: string, changes: AccountChanges): Promise<AdministeredUser> {
    requireAdmin(actor);
    if (Object.keys(changes).length === 0) throw new AppError('invalid_input', 'nothing to change');
    const user = await this.store.userAdministration.change(id, changes);
    const [shown] = await this.withUsage([user]);
    return shown!;
  }

  /** Deletes the person, then their stored bytes (a file left behind is logged: its row, and so access, is gone). */
  async remove(actor: Actor, id: string, owned: OwnedConversations): Promise<Omit<DeletedAccount, 'storageKeys'>> {
    requireAdmin(actor);
    if (id === actor.id) throw new AppError('invalid_input', 'you cannot delete your own account here');
    const { storageKeys, ...deleted } = await this.store.userAdministration.remove(id, owned);
    for (const key of storageKeys) {
      await this.fileStorage.delete(key).catch((error: unknown) => {
        logError(`a deleted user's stored file could not be removed (key ${key})`, error);
      });
    }
    return deleted;
  }

  private async withUsage(users: User[]): Promise<AdministeredUser[]> {
    const usage = await this.store.usage.totalsForUsers({
      userIds: users.map((user) => user.id),
      from: startOfMonth(this.now()),
    });
    return users.map((user) => ({ ...user, usageThisMonth: usage.get(user.id)! }));
  }
}

function requireAdmin(actor: Actor): void {
  if (!isAdmin(actor)) throw new AppError('forbidden', 'only admins may administer users');
}
