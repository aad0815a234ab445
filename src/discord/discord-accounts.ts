// Discord users are users: the one with a message's Discord id, created on its first message (race-safe: the
// unique discord_id decides), their name and avatar following Discord's; or the web account they linked (whose
// name and avatar are the person's own, chosen on the web, and are left alone).
import { AppError } from '../errors.ts';
import { type Actor, actorOf } from '../store/actor.ts';
import type { Store } from '../store/index.ts';
import type { User } from '../store/users.ts';
import type { DiscordAuthor } from './discord-place.ts';

/** A user made from a Discord account alone: no email (a web account always has one). */
export const isDiscordOnly = (user: Pick<User, 'email' | 'isGuest'>) => user.email === null && !user.isGuest;

/** The changes that bring a Discord-only user's card up to date with Discord; null when there are none. */
export function cardChanges(
  user: Pick<User, 'displayName' | 'avatarUrl' | 'email' | 'isGuest'>,
  author: DiscordAuthor,
) {
  if (!isDiscordOnly(user)) return null;
  if (user.displayName === author.name && user.avatarUrl === author.avatarUrl) return null;
  return { displayName: author.name, avatarUrl: author.avatarUrl };
}

/** The actor a user is, with their card (so their messages are announced without a lookup). */
export const discordActorOf = (user: User): Actor => ({
  ...actorOf(user),
  card: { displayName: user.displayName, username: user.username, avatarUrl: user.avatarUrl },
});

export class DiscordAccounts {
  constructor(private readonly store: Pick<Store, 'users'>) {}

  /** The user behind the Discord author: one read when they are known and unchanged. */
  async actorFor(author: DiscordAuthor): Promise<Actor> {
    const { users } = this.store;
    let user =
      (await users.findByDiscordId(author.discordId)) ??
      (await users.ensureDiscordUser({
        discordId: author.discordId,
        username: author.name,
        displayName: author.name,
        avatarUrl: author.avatarUrl,
      }));
    const changes = cardChanges(user, author);
    if (changes) user = await users.update(user.id, changes);
    // Refused as on the web, where a deactivated account's session no longer signs anyone in.
    if (!user.isActive) throw new AppError('forbidden', 'this account has been deactivated by an admin');
    return discordActorOf(user);
  }
}
