// A resumable stream: an append-only log of chunks with an end, which any number of readers can replay from the
// start and then follow live. A reply streams into one while its client reads it; a client that dropped and
// comes back reads the same log again (GET /api/chat/:id/stream). In one process by default, through Redis when
// REDIS_URL is set, so a client may come back to any server process.

export interface StreamLog {
  /** Appends a chunk (opening the stream on first use). Order is kept; delivery is asynchronous. */
  append(streamId: string, chunk: string): void;
  /** Marks the stream finished: readers get everything appended so far, then their iteration ends. */
  end(streamId: string): void;
  /**
   * Replays the stream from its first chunk and follows it until it ends or `signal` aborts; null when no such
   * stream exists (never started, or expired after it ended).
   */
  read(streamId: string, signal?: AbortSignal): Promise<AsyncIterable<string> | null>;
  /**
   * As `read`, but each step hands over every chunk available at that moment (never an empty batch), so a reader
   * that writes them somewhere (an SSE response) does one write per burst instead of one per chunk.
   */
  readBatches(streamId: string, signal?: AbortSignal): Promise<AsyncIterable<string[]> | null>;
  /** True while a stream has started and not ended. */
  isActive(streamId: string): Promise<boolean>;
  close(): Promise<void>;
}

/** How long a finished stream stays readable, for a client that reconnects just after the end. */
export const FINISHED_STREAM_TTL_SECONDS = 10 * 60;
/** An unfinished stream whose writer died is dropped after this long. */
export const ABANDONED_STREAM_TTL_SECONDS = 24 * 60 * 60;

/** The chunks of a batched read one at a time. */
export async function* eachChunk(batches: AsyncIterable<string[]>): AsyncGenerator<string> {
  for await (const batch of batches) for (const chunk of batch) yield chunk;
}
