// Conversation events on Redis, shared by every server process: one Redis stream per conversation (XADD, trimmed
// to the last events with MAXLEN, expiring once the conversation has been quiet for the history's lifetime), its
// entry ids being the event ids. Appends are pipelined per tick. Each process follows the conversations its
// clients watch with one blocking XREAD over all their streams, into an in-memory mirror that its subscribers
// share — one Redis connection and one read per batch of events, however many clients watch.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { logError } from '../loggable-error.ts';
import type { ConversationEvent, DeliveredEvent } from './conversation-event.ts';
import type { ConversationEvents } from './conversation-event-bus.ts';
import { compareEventIds, parseEventId } from './event-ids.ts';
import { type Backfill, DEFAULT_HISTORY, followEvents, type HistoryLimits, RecentEvents } from './recent-events.ts';

const KEY_PREFIX = 'chorus:events:';
const EVENT_FIELD = 'e';
/** The position of a stream that has no entries yet: everything it will get comes after it. */
const EMPTY_STREAM_ID = '0-0';
/** A blocked read returns at least this often (it is also woken at once when the watched streams change). */
const BLOCK_MS = 5_000;
const READ_COUNT = 512;
const BACKFILL_COUNT = 512;
const RETRY_AFTER_ERROR_MS = 1_000;

type Mirror = { buffer: RecentEvents; readFrom: string };

export class RedisConversationEvents implements ConversationEvents {
  private readonly writer: Redis;
  private reader: Redis | null = null;
  private pending: { key: string; json: string }[] = [];
  private flushing: Promise<void> | null = null;
  private readonly mirrors = new Map<string, Mirror>();
  private readonly opening = new Map<string, Promise<Mirror>>();
  /**
   * Adding a conversation to the blocked read: an entry on a stream of this process's own, which the read
   * watches too, wakes it at once (race-free, unlike unblocking a client that may not be blocked yet).
   */
  private readonly wakeKey = `${KEY_PREFIX}wake:${randomUUID()}`;
  private wakeFrom = EMPTY_STREAM_ID;
  private wakeIdleLoop: (() => void) | null = null;
  private ending = false;
  private closed = false;

  constructor(
    url: string,
    private readonly limits: HistoryLimits = DEFAULT_HISTORY,
  ) {
    this.writer = new Redis(url, { maxRetriesPerRequest: 3 });
  }

  publish(conversationId: string, event: ConversationEvent): void {
    this.pending.push({ key: KEY_PREFIX + conversationId, json: JSON.stringify(event) });
    this.flushing ??= new Promise((resolve) => setImmediate(resolve)).then(() => this.flush());
  }

  /** One pipeline per tick, one at a time, so events keep the order they were published in. */
  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    const pipeline = this.writer.pipeline();
    for (const { key, json } of batch) {
      pipeline.xadd(key, 'MAXLEN', '~', this.limits.maxEvents, '*', EVENT_FIELD, json);
    }
    for (const key of new Set(batch.map((item) => item.key))) pipeline.pexpire(key, this.limits.maxAgeMs);
    try {
      await pipeline.exec();
    } catch (error) {
      logError('conversation events: writing to Redis failed', error);
    }
    this.flushing = null;
    if (this.pending.length > 0) this.flushing = this.flush();
  }

  /** Another process may follow any conversation: nothing is left out. */
  leftOutUnfollowed(): boolean {
    return false;
  }

  async latestId(conversationId: string): Promise<string> {
    return (await this.newestInRedis(conversationId)) ?? EMPTY_STREAM_ID;
  }

  async *subscribe(
    conversationId: string,
    afterId: string | null,
    signal: AbortSignal,
  ): AsyncGenerator<DeliveredEvent> {
    if (this.ending) return;
    const mirror = await this.acquire(conversationId);
    try {
      const from = afterId ?? mirror.buffer.newestId;
      const known = parseEventId(from) !== null && (await this.isPast(conversationId, mirror, from));
      const start = { afterId: known ? from : mirror.buffer.newestId, reset: !known };
      yield* followEvents(mirror.buffer, start, this.backfillFrom(conversationId), signal);
    } finally {
      this.release(conversationId, mirror);
    }
  }

  endSubscriptions(): void {
    this.ending = true;
    for (const mirror of this.mirrors.values()) mirror.buffer.end();
  }

  async close(): Promise<void> {
    this.endSubscriptions();
    this.closed = true;
    this.wakeIdleLoop?.();
    while (this.flushing) await this.flushing;
    this.reader?.disconnect();
    await this.writer.quit();
  }

  /** An id at or before the newest event (a client cannot have seen a later one). */
  private async isPast(conversationId: string, mirror: Mirror, id: string): Promise<boolean> {
    if (compareEventIds(id, mirror.buffer.newestId) <= 0) return true;
    const newest = await this.newestInRedis(conversationId);
    return newest !== null && compareEventIds(id, newest) <= 0;
  }

  /** Older events straight from the Redis stream; gone (trimmed or expired) means reset. */
  private backfillFrom(conversationId: string): Backfill {
    const key = KEY_PREFIX + conversationId;
    return async (afterId, throughId) => {
      const [first] = await this.writer.xrange(key, '-', '+', 'COUNT', 1);
      if (!first) return afterId === EMPTY_STREAM_ID ? { events: [], throughId } : 'reset';
      if (afterId !== EMPTY_STREAM_ID && compareEventIds(afterId, first[0]) < 0) return 'reset';
      const entries = await this.writer.xrange(key, `(${afterId}`, throughId, 'COUNT', BACKFILL_COUNT);
      const events = entries.map(([id, fields]) => ({ id, event: JSON.parse(fields[1]!) as ConversationEvent }));
      return { events, throughId: entries.length === BACKFILL_COUNT ? entries.at(-1)![0] : throughId };
    };
  }

  private async newestInRedis(conversationId: string): Promise<string | null> {
    const [newest] = await this.writer.xrevrange(KEY_PREFIX + conversationId, '+', '-', 'COUNT', 1);
    return newest?.[0] ?? null;
  }

  /** The conversation's mirror, opened (and added to the blocked read) for its first subscriber here. */
  private async acquire(conversationId: string): Promise<Mirror> {
    for (;;) {
      let mirror = this.mirrors.get(conversationId);
      if (!mirror) {
        let opening = this.opening.get(conversationId);
        if (!opening) {
          opening = this.open(conversationId).finally(() => this.opening.delete(conversationId));
          this.opening.set(conversationId, opening);
        }
        mirror = await opening;
      }
      // Its last subscriber may have left while this one waited: then open it again.
      if (this.mirrors.get(conversationId) !== mirror) continue;
      mirror.buffer.subscribers += 1;
      return mirror;
    }
  }

  private async open(conversationId: string): Promise<Mirror> {
    const newest = (await this.newestInRedis(conversationId)) ?? EMPTY_STREAM_ID;
    const mirror = { buffer: new RecentEvents(newest, this.limits), readFrom: newest };
    if (this.ending) mirror.buffer.end();
    this.mirrors.set(conversationId, mirror);
    this.watchChanged();
    return mirror;
  }

  private release(conversationId: string, mirror: Mirror): void {
    mirror.buffer.subscribers -= 1;
    const unwatched = mirror.buffer.subscribers === 0 && this.mirrors.get(conversationId) === mirror;
    if (unwatched) this.mirrors.delete(conversationId);
  }

  /** The set of watched streams changed: (re)start the read over the new set. */
  private watchChanged(): void {
    if (!this.reader) {
      this.reader = this.writer.duplicate();
      void this.readLoop(this.reader);
      return;
    }
    if (this.wakeIdleLoop) {
      this.wakeIdleLoop();
      return;
    }
    this.writer
      .pipeline()
      .xadd(this.wakeKey, 'MAXLEN', 1, '*', 'w', '1')
      .pexpire(this.wakeKey, 60_000)
      .exec()
      .catch((error) => logError('conversation events: waking the reader failed', error));
  }

  /** One blocking XREAD at a time over every watched stream, appending what arrives to the mirrors. */
  private async readLoop(reader: Redis): Promise<void> {
    while (!this.closed) {
      if (this.mirrors.size === 0) {
        await new Promise<void>((resolve) => (this.wakeIdleLoop = resolve));
        this.wakeIdleLoop = null;
        continue;
      }
      const watched = [...this.mirrors];
      const keys = [this.wakeKey, ...watched.map(([conversationId]) => KEY_PREFIX + conversationId)];
      const from = [this.wakeFrom, ...watched.map(([, mirror]) => mirror.readFrom)];
      let response: [string, [string, string[]][]][] | null;
      try {
        response = await reader.xread('COUNT', READ_COUNT, 'BLOCK', BLOCK_MS, 'STREAMS', ...keys, ...from);
      } catch (error) {
        if (this.closed) return;
        logError('conversation events: reading from Redis failed', error);
        await sleep(RETRY_AFTER_ERROR_MS);
        continue;
      }
      for (const [key, entries] of response ?? []) {
        if (key === this.wakeKey) {
          this.wakeFrom = entries.at(-1)![0];
          continue;
        }
        const mirror = this.mirrors.get(key.slice(KEY_PREFIX.length));
        if (!mirror) continue;
        for (const [id, fields] of entries) {
          // A mirror reopened during the read starts later than what this read asked for.
          if (compareEventIds(id, mirror.readFrom) <= 0) continue;
          mirror.readFrom = id;
          mirror.buffer.append({ id, event: JSON.parse(fields[1]!) as ConversationEvent });
        }
      }
    }
  }
}
