// The thin I/O edge of a transcript: pulls pages of messages from its source and yields the chosen format's text
// piece by piece (the formatting is the pure functions of json-, csv- and markdown-transcript.ts). Nothing is
// held but one page, so memory stays flat whatever the conversation's size; a reader that stops reading stops it.
import { transcriptFormat } from '../db/schema/index.ts';
import { fileIdsOfStoredParts } from '../files/message-files.ts';
import type { FileRecord } from '../store/files.ts';
import { csvHeader, csvRows } from './csv-transcript.ts';
import {
  JSON_FILE_CLOSING,
  JSON_FILES_OPENING,
  jsonClosing,
  jsonFileOpening,
  jsonMessages,
  jsonOpening,
} from './json-transcript.ts';
import { markdownMessages, markdownOpening } from './markdown-transcript.ts';
import { SpeakerNames, type TranscriptEntry, type TranscriptHeader } from './transcript-content.ts';

export type TranscriptFormat = (typeof transcriptFormat.enumValues)[number];
export const TRANSCRIPT_FORMATS = transcriptFormat.enumValues;

export const TRANSCRIPT_MEDIA_TYPES: Record<TranscriptFormat, string> = {
  json: 'application/json',
  csv: 'text/csv; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
};

/** A stored file a JSON transcript carries, and its bytes (null when they are not to be carried, or are gone). */
export type TranscriptFileContent = { file: FileRecord; bytes: AsyncIterable<Uint8Array> | null };

export type TranscriptSource = {
  header: TranscriptHeader;
  /** The messages, oldest first, a page at a time. */
  pages: AsyncIterable<TranscriptEntry[]>;
  /** The files with these ids, for the JSON format's `files`. */
  files(ids: string[]): AsyncIterable<TranscriptFileContent>;
};

/** What a transcript wrote, known once its last piece was read. */
export type TranscriptTally = { messageCount: number };

/** The transcript's text, piece by piece; `tally` counts the messages as they go by. */
export async function* transcriptChunks(
  format: TranscriptFormat,
  source: TranscriptSource,
  tally: TranscriptTally = { messageCount: 0 },
): AsyncGenerator<string> {
  const names = new SpeakerNames(source.header);
  if (format === 'json') {
    yield jsonOpening(source.header);
    const fileIds = new Set<string>();
    for await (const entries of source.pages) {
      yield jsonMessages(entries, tally.messageCount === 0);
      tally.messageCount += entries.length;
      for (const id of fileIdsOfStoredParts(entries.map((entry) => entry.message))) fileIds.add(id);
    }
    yield JSON_FILES_OPENING;
    let first = true;
    for await (const { file, bytes } of source.files([...fileIds])) {
      yield jsonFileOpening(file, first, bytes !== null);
      first = false;
      if (bytes) {
        yield* base64Chunks(bytes);
        yield JSON_FILE_CLOSING;
      }
    }
    yield jsonClosing(tally.messageCount);
    return;
  }
  yield format === 'csv' ? csvHeader() : markdownOpening(source.header);
  for await (const entries of source.pages) {
    const messages = entries.map((entry) => entry.message);
    yield format === 'csv' ? csvRows(messages, names) : markdownMessages(messages, names);
    tally.messageCount += entries.length;
  }
}

/** Base64 of a stream of bytes, chunk by chunk: each piece encodes a multiple of three bytes, the rest carried on. */
export async function* base64Chunks(bytes: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  let carried = Buffer.alloc(0);
  for await (const chunk of bytes) {
    const joined = carried.length > 0 ? Buffer.concat([carried, chunk]) : Buffer.from(chunk);
    const whole = joined.length - (joined.length % 3);
    if (whole > 0) yield joined.subarray(0, whole).toString('base64');
    carried = joined.subarray(whole);
  }
  if (carried.length > 0) yield carried.toString('base64');
}

/** Text pieces as a byte stream that reads its source only as fast as it is read (for responses and storage). */
export function toByteStream(chunks: AsyncIterable<string | Uint8Array>): ReadableStream<Uint8Array> {
  const iterator = chunks[Symbol.asyncIterator]();
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(typeof next.value === 'string' ? encoder.encode(next.value) : next.value);
    },
    async cancel(reason) {
      await iterator.return?.(reason);
    },
  });
}
