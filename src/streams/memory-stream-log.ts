// The in-process stream log: chunks kept in memory, readers woken as chunks arrive.
import { eachChunk, FINISHED_STREAM_TTL_SECONDS, type StreamLog } from './stream-log.ts';

type Entry = { chunks: string[]; ended: boolean; wake: Set<() => void>; expiry?: NodeJS.Timeout };

export class MemoryStreamLog implements StreamLog {
  private readonly streams = new Map<string, Entry>();

  constructor(private readonly finishedTtlMs = FINISHED_STREAM_TTL_SECONDS * 1000) {}

  private entry(streamId: string): Entry {
    let entry = this.streams.get(streamId);
    if (!entry) {
      entry = { chunks: [], ended: false, wake: new Set() };
      this.streams.set(streamId, entry);
    }
    return entry;
  }

  append(streamId: string, chunk: string): void {
    const entry = this.entry(streamId);
    if (entry.ended) return;
    entry.chunks.push(chunk);
    for (const wake of entry.wake) wake();
  }

  end(streamId: string): void {
    const entry = this.entry(streamId);
    if (entry.ended) return;
    entry.ended = true;
    for (const wake of entry.wake) wake();
    entry.expiry = setTimeout(() => this.streams.delete(streamId), this.finishedTtlMs);
    entry.expiry.unref();
  }

  async has(streamId: string): Promise<boolean> {
    return this.streams.has(streamId);
  }

  async isActive(streamId: string): Promise<boolean> {
    const entry = this.streams.get(streamId);
    return entry !== undefined && !entry.ended;
  }

  async read(streamId: string, signal?: AbortSignal): Promise<AsyncIterable<string> | null> {
    const entry = this.streams.get(streamId);
    if (!entry) return null;
    return eachChunk(follow(entry, signal));
  }

  async readBatches(streamId: string, signal?: AbortSignal): Promise<AsyncIterable<string[]> | null> {
    const entry = this.streams.get(streamId);
    if (!entry) return null;
    return follow(entry, signal);
  }

  async close(): Promise<void> {
    for (const entry of this.streams.values()) {
      clearTimeout(entry.expiry);
      entry.ended = true;
      for (const wake of entry.wake) wake();
    }
    this.streams.clear();
  }
}

/** Everything appended since the last step, as one batch; waits while there is nothing new. */
async function* follow(entry: Entry, signal?: AbortSignal): AsyncGenerator<string[]> {
  let next = 0;
  while (!signal?.aborted) {
    if (next < entry.chunks.length) {
      const batch = entry.chunks.slice(next);
      next = entry.chunks.length;
      yield batch;
      // More may have come while the reader held the batch.
      continue;
    }
    // The reader may have aborted while it held a batch: an abort event would not fire again.
    if (entry.ended || signal?.aborted) return;
    await new Promise<void>((resolve) => {
      const wake = () => {
        entry.wake.delete(wake);
        signal?.removeEventListener('abort', wake);
        resolve();
      };
      entry.wake.add(wake);
      signal?.addEventListener('abort', wake, { once: true });
    });
  }
}
