// The live event streams each person holds open in this server process: capped (CHORUS_MAX_EVENT_STREAMS_PER_USER),
// and ended together when the person is deactivated or deleted (see auth/account-deactivations.ts).
import type { AccountDeactivations } from '../auth/account-deactivations.ts';
import { AppError } from '../errors.ts';

/**
 * Each stream holds a subscription and a connection, and a person with many tabs open needs a few dozen at most.
 * Counted per process: with several processes behind a load balancer a person may hold the cap in each.
 */
export class OpenStreamCounts {
  /** Each person's open streams, each by how it is ended. */
  private readonly open = new Map<string, Set<() => void>>();
  private readonly followed = new WeakSet<AccountDeactivations>();

  /**
   * Counts one more stream of `userId`, ended by `end` should the person be deactivated; returns its release (safe
   * to call twice), or refuses with 429.
   */
  add(userId: string, max: number, end: () => void): () => void {
    const streams = this.open.get(userId) ?? new Set();
    if (streams.size >= max) {
      throw new AppError(
        'rate_limited',
        `you already have ${streams.size} live event streams open, the most one person may hold at once (${max}); close one (a tab) first`,
      );
    }
    const entry = () => end();
    streams.add(entry);
    this.open.set(userId, streams);
    return () => {
      streams.delete(entry);
      if (streams.size === 0 && this.open.get(userId) === streams) this.open.delete(userId);
    };
  }

  /** Ends the streams of everyone `deactivations` reports (once per source, however often this is called). */
  follow(deactivations: AccountDeactivations): void {
    if (this.followed.has(deactivations)) return;
    this.followed.add(deactivations);
    deactivations.onDeactivated((userId) => {
      for (const end of [...(this.open.get(userId) ?? [])]) end();
    });
  }
}
