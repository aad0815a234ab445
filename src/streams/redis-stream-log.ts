// The stream log on Redis Streams: one Redis stream per reply (XADD per chunk, an `end` entry last), so a reader
// on any process replays it with XRANGE and follows it with a blocking XREAD. Appends are pipelined per tick, so
// a fast token stream costs one round trip per batch, not per token. Readers in the writing process — nearly
// all of them — follow an in-memory copy instead: no Redis round trip per chunk, and nothing to wait for
// before the first flush.
import { Redis } from 'ioredis';
import { logError } from '../loggable-error.ts';
import { MemoryStreamLog } from './memory-stream-log.ts';
import { ABANDONED_STREAM_TTL_SECONDS, eachChunk, FINISHED_STREAM_TTL_SECONDS, type StreamLog } from './stream-log.ts';

const KEY_PREFIX = 'chorus:stream:';
const CHUNK_FIELD = 'c';
const END_FIELD = 'end';
/** A blocked reader wakes at least this often to notice an abort. */
const BLOCK_MS = 1_000;
/** The in-memory copy of a finished stream is dropped soon: Redis still has it for late readers. */
const LOCAL_FINISHED_TTL_MS = 30_000;

type Pending = { streamId: string; chunk: string | null };

export class RedisStreamLog implements StreamLog {
  private readonly writer: Redis;
  private pending: Pending[] = [];
  private flushing: Promise<void> | null = null;
  private readonly readers = new Set<Redis>();
  private readonly local = new MemoryStreamLog(LOCAL_FINISHED_TTL_MS);

  constructor(url: string) {
    this.writer = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 3 });
  }

  append(streamId: string, chunk: string): void {
    this.local.append(streamId, chunk);
    this.enqueue({ streamId, chunk });
  }

  end(streamId: string): void {
    this.local.end(streamId);
    this.enqueue({ streamId, chunk: null });
  }

  private enqueue(item: Pending) {
    this.pending.push(item);
    this.scheduleFlush();
  }

  /** One flush at a time: pipelines go out in order, so chunks of a stream stay in order. */
  private scheduleFlush() {
    if (this.flushing) return;
    this.flushing = new Promise((resolve) => setImmediate(resolve)).then(() => this.flush());
  }

  /** Sends everything queued in one pipeline; order within a stream is the order of the queue. */
  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    const pipeline = this.writer.pipeline();
    const touched = new Map<string, boolean>();
    for (const { streamId, chunk } of batch) {
      const key = KEY_PREFIX + streamId;
      if (chunk === null) {
        pipeline.xadd(key, '*', END_FIELD, '1');
        touched.set(key, true);
      } else {
        pipeline.xadd(key, '*', CHUNK_FIELD, chunk);
        if (!touched.has(key)) touched.set(key, false);
      }
    }
    for (const [key, ended] of touched) {
      pipeline.expire(key, ended ? FINISHED_STREAM_TTL_SECONDS : ABANDONED_STREAM_TTL_SECONDS);
    }
    try {
      await pipeline.exec();
    } catch (error) {
      logError('resumable stream: writing to Redis failed', error);
    }
    this.flushing = null;
    if (this.pending.length > 0) this.scheduleFlush();
  }

  async isActive(streamId: string): Promise<boolean> {
    if (await this.local.has(streamId)) return this.local.isActive(streamId);
    const [last] = await this.writer.xrevrange(KEY_PREFIX + streamId, '+', '-', 'COUNT', 1);
    return last !== undefined && !isEnd(last[1]);
  }

  async read(streamId: string, signal?: AbortSignal): Promise<AsyncIterable<string> | null> {
    const batches = await this.readBatches(streamId, signal);
    return batches && eachChunk(batches);
  }

  async readBatches(streamId: string, signal?: AbortSignal): Promise<AsyncIterable<string[]> | null> {
    const written = await this.local.readBatches(streamId, signal);
    if (written) return written;
    const key = KEY_PREFIX + streamId;
    const [first] = await this.writer.xrange(key, '-', '+', 'COUNT', 1);
    if (!first) return null;
    return this.follow(key, signal);
  }

  /** Each XREAD's entries as one batch. */
  private async *follow(key: string, signal?: AbortSignal): AsyncGenerator<string[]> {
    // Blocking reads hold their connection: each reader gets its own, closed when it stops.
    const reader = this.writer.duplicate();
    this.readers.add(reader);
    try {
      let lastId = '0-0';
      while (!signal?.aborted) {
        const response = await reader.xread('COUNT', 512, 'BLOCK', BLOCK_MS, 'STREAMS', key, lastId);
        const batch: string[] = [];
        let ended = false;
        for (const [, entries] of response ?? []) {
          for (const [id, fields] of entries) {
            lastId = id;
            if (isEnd(fields)) {
              ended = true;
              break;
            }
            batch.push(fields[1]!);
          }
        }
        if (batch.length > 0) yield batch;
        if (ended) return;
        if (!response && !(await this.writer.exists(key))) return;
      }
    } finally {
      this.readers.delete(reader);
      reader.disconnect();
    }
  }

  async close(): Promise<void> {
    await this.local.close();
    while (this.flushing) await this.flushing;
    for (const reader of this.readers) reader.disconnect();
    await this.writer.quit();
  }
}

const isEnd = (fields: string[]) => fields[0] === END_FIELD;
