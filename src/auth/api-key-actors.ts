// Who an API key stands for, remembered for a short while. Every request with a key would otherwise begin with a
// database read, and a burst of requests with one key would queue as many identical reads ahead of the work they
// came for. A revoked key, and every key of a user whose account changed (deactivated, a new role), is forgotten at
// once: by this process before the change returns (the store tells it), by every other through CHANNELS.credentials.
// A change made outside Chorus's own store (better-auth renaming someone) is seen within ACTOR_TTL_MS.
import { CHANNELS, type ChangeListener, type Unlisten } from '../db/notifications.ts';
import type { Actor } from '../store/actor.ts';
import type { Store } from '../store/index.ts';
import { hashApiKey, looksLikeApiKey } from './api-keys.ts';

/** How long a key's user is taken as read. */
export const ACTOR_TTL_MS = 30_000;
/** Keys remembered at most; past that the oldest is forgotten (unknown keys are never remembered). */
const MAX_KEYS = 10_000;

type Entry = { actor: Promise<Actor | null>; expiresAt: number; userId?: string };

export class ApiKeyActors {
  /** By key hash: a lookup in flight (so a burst shares it), or its answer until it expires. */
  private readonly entries = new Map<string, Entry>();
  private unlisten: Unlisten | undefined;

  constructor(
    private readonly store: Pick<Store, 'apiKeys' | 'users'>,
    private readonly now: () => number = Date.now,
  ) {
    store.apiKeys.onRevoked((keyHash) => this.forget(keyHash));
    store.users.onAccountChanged((userId) => this.forgetUser(userId));
  }

  /** Follows revocations made by any process; a reconnection after missed announcements forgets everything. */
  async start(changes: ChangeListener): Promise<void> {
    this.unlisten = await changes.listen(
      CHANNELS.credentials,
      (payload) => {
        if (payload.startsWith('key:')) this.forget(payload.slice(4));
        else if (payload.startsWith('user:')) this.forgetUser(payload.slice(5));
      },
      () => this.entries.clear(),
    );
  }

  async stop(): Promise<void> {
    await this.unlisten?.();
  }

  /** The active user behind a key, or null for an unknown, revoked or deactivated one. */
  find(key: string): Promise<Actor | null> {
    if (!looksLikeApiKey(key)) return Promise.resolve(null);
    const keyHash = hashApiKey(key);
    const known = this.entries.get(keyHash);
    if (known && known.expiresAt > this.now()) return known.actor;
    const found = this.store.apiKeys.findActorByKeyHash(keyHash);
    const actor = found.then((row) => {
      if (!row) return null;
      const { keyExpiresAt: _, ...actorOfKey } = row;
      return actorOfKey;
    });
    const entry: Entry = { actor, expiresAt: Number.POSITIVE_INFINITY };
    this.remember(keyHash, entry);
    found.then(
      (found) => {
        if (this.entries.get(keyHash) !== entry) return;
        if (!found) return this.entries.delete(keyHash);
        // Never remembered past the key's own expiry.
        entry.expiresAt = Math.min(
          this.now() + ACTOR_TTL_MS,
          found.keyExpiresAt?.getTime() ?? Number.POSITIVE_INFINITY,
        );
        entry.userId = found.id;
      },
      () => this.entries.get(keyHash) === entry && this.entries.delete(keyHash),
    );
    return actor;
  }

  private forget(keyHash: string): void {
    this.entries.delete(keyHash);
  }

  /** Forgets every key of a user (their account changed). A lookup still in flight may be stale: it goes too. */
  private forgetUser(userId: string): void {
    for (const [keyHash, entry] of this.entries) {
      if (entry.userId === userId || entry.userId === undefined) this.entries.delete(keyHash);
    }
  }

  private remember(keyHash: string, entry: Entry) {
    this.entries.delete(keyHash);
    if (this.entries.size >= MAX_KEYS) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(keyHash, entry);
  }
}
