// The live event streams each person holds open in this server process, capped (CHORUS_MAX_EVENT_STREAMS_PER_USER).
import { AppError } from '../errors.ts';

/**
 * Each stream holds a subscription and a connection, and a person with many tabs open needs a few dozen at most.
 * Counted per process: with several processes behind a load balancer a person may hold the cap in each.
 */
export class OpenStreamCounts {
  private readonly counts = new Map<string, number>();

  /** Counts one more stream of `userId` and returns its release (safe to call twice), or refuses with 429. */
  open(userId: string, max: number): () => void {
    const open = this.counts.get(userId) ?? 0;
    if (open >= max) {
      throw new AppError(
        'rate_limited',
        `you already have ${open} live event streams open, the most one person may hold at once (${max}); close one (a tab) first`,
      );
    }
    this.counts.set(userId, open + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.counts.get(userId) ?? 1) - 1;
      if (left > 0) this.counts.set(userId, left);
      else this.counts.delete(userId);
    };
  }
}
