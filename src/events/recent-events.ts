// The recent events of one conversation held in this process — all of them for the in-process backend, a mirror
// of the Redis stream for the Redis one — and how a subscriber follows them: replay what it missed, then wait
// for more. Bounded by count and age, so a busy or long-lived conversation costs a fixed amount of memory.
import type { ConversationEvent, DeliveredEvent } from './conversation-event.ts';
import { compareEventIds } from './event-ids.ts';

export type HistoryLimits = {
  /** At most this many events are kept per conversation. */
  maxEvents: number;
  /** Events are kept this long; a client away longer gets a `reset`. */
  maxAgeMs: number;
};

export const DEFAULT_HISTORY: HistoryLimits = { maxEvents: 2_000, maxAgeMs: 10 * 60_000 };

/** How many events a subscriber takes from the buffer (or from Redis) at a time. */
const BATCH = 256;

type Held = DeliveredEvent & { heldAt: number };

export class RecentEvents {
  private entries: Held[] = [];
  /** Trimmed entries are skipped by index and dropped in bulk, so trimming one costs nothing. */
  private head = 0;
  private readonly waiters = new Set<() => void>();
  private ended = false;
  /** Subscribers in this process: a buffer nobody follows can be dropped (Redis) or swept (in-process). */
  subscribers = 0;
  /** Whether anyone has followed the conversation (or been given a position in it) since this buffer began. */
  followed = false;

  /** `coveredAfter`: every event of the conversation with a greater id is (or will be) in this buffer. */
  constructor(
    private coveredAfterId: string,
    private readonly limits: HistoryLimits,
  ) {}

  get coveredAfter(): string {
    return this.coveredAfterId;
  }

  get newestId(): string {
    return this.entries.length > this.head ? this.entries.at(-1)!.id : this.coveredAfterId;
  }

  get size(): number {
    return this.entries.length - this.head;
  }

  get isEnded(): boolean {
    return this.ended;
  }

  append(delivered: DeliveredEvent, now = Date.now()): void {
    this.entries.push({ ...delivered, heldAt: now });
    this.trim(now);
    for (const wake of this.waiters) wake();
  }

  /** Drops every event held: the buffer covers only what comes after `id` (an event left out). */
  forgetThrough(id: string): void {
    if (this.entries.length > 0) {
      this.entries = [];
      this.head = 0;
    }
    this.coveredAfterId = id;
  }

  trim(now = Date.now()): void {
    const { maxEvents, maxAgeMs } = this.limits;
    while (this.size > 0 && (this.size > maxEvents || this.entries[this.head]!.heldAt < now - maxAgeMs)) {
      this.coveredAfterId = this.entries[this.head]!.id;
      this.head += 1;
    }
    if (this.head > 1_024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
  }

  /** Up to `limit` events after `afterId`, oldest first; null when the buffer no longer reaches back that far. */
  after(afterId: string, limit = BATCH): DeliveredEvent[] | null {
    if (compareEventIds(afterId, this.coveredAfterId) < 0) return null;
    let low = this.head;
    let high = this.entries.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (compareEventIds(this.entries[middle]!.id, afterId) <= 0) low = middle + 1;
      else high = middle;
    }
    return this.entries.slice(low, low + limit).map(({ id, event }) => ({ id, event }));
  }

  /** Resolves at the next append, at the end, or when `signal` aborts. */
  waitForMore(signal: AbortSignal): Promise<void> {
    if (this.ended || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        this.waiters.delete(wake);
        signal.removeEventListener('abort', wake);
        resolve();
      };
      this.waiters.add(wake);
      signal.addEventListener('abort', wake, { once: true });
    });
  }

  /** Ends every subscription following this buffer (shutdown). */
  end(): void {
    this.ended = true;
    for (const wake of this.waiters) wake();
  }
}

/** Events older than what a buffer holds, from wherever they are kept; `reset` when they are gone. */
export type Backfill = (
  afterId: string,
  throughId: string,
) => Promise<{ events: DeliveredEvent[]; throughId: string } | 'reset'>;

export const noBackfill: Backfill = async () => 'reset';

const resetEvent: ConversationEvent = { type: 'reset' };

/**
 * Follows a conversation from `afterId`: what the buffer no longer holds comes from `backfill`, then the buffer,
 * then each new event as it arrives. When events are lost, a `reset` carries the id to go on from.
 */
export async function* followEvents(
  buffer: RecentEvents,
  start: { afterId: string; reset: boolean },
  backfill: Backfill,
  signal: AbortSignal,
): AsyncGenerator<DeliveredEvent> {
  let cursor = start.afterId;
  if (start.reset) {
    cursor = buffer.newestId;
    yield { id: cursor, event: resetEvent };
  }
  while (!signal.aborted && !buffer.isEnded) {
    const recent = buffer.after(cursor);
    if (recent === null) {
      const older = await backfill(cursor, buffer.coveredAfter);
      if (older === 'reset') {
        cursor = buffer.newestId;
        yield { id: cursor, event: resetEvent };
        continue;
      }
      for (const delivered of older.events) {
        if (signal.aborted) return;
        yield delivered;
      }
      cursor = older.throughId;
      continue;
    }
    for (const delivered of recent) {
      if (signal.aborted) return;
      yield delivered;
      cursor = delivered.id;
    }
    if (recent.length === 0) await buffer.waitForMore(signal);
  }
}
