// Transcripts of a conversation: exported as a stream to whoever may read it (JSON, CSV or Markdown), or stored in
// file storage with a `transcripts` row (key, format, size, message count, checksum) to list and download later.
// The reads are the store's (scoped by the actor, so an outsider gets not-found before a byte is written); the
// formatting is transcript-writer.ts's.
import { randomUUID } from 'node:crypto';
import { notFound } from '../errors.ts';
import type { FileStorage } from '../files/storage.ts';
import type { Actor } from '../store/actor.ts';
import type { Store } from '../store/index.ts';
import type { Transcript } from '../store/transcripts.ts';
import type { TranscriptVotes } from './chorus-format.ts';
import { type TranscriptEntry, type TranscriptHeader, transcriptFileName } from './transcript-content.ts';
import {
  TRANSCRIPT_MEDIA_TYPES,
  type TranscriptFileContent,
  type TranscriptFormat,
  type TranscriptSource,
  type TranscriptTally,
  toByteStream,
  transcriptChunks,
} from './transcript-writer.ts';

/** Messages read per statement: large enough that a statement's round trip is a small share of its rows' time. */
export const EXPORT_PAGE_SIZE = 2_000;

export type ExportRequest = {
  actor: Actor;
  conversationId: string;
  format: TranscriptFormat;
  /** JSON only: carry the bytes of the conversation's files (base64), so an import can restore them. */
  includeFiles?: boolean;
  /** Told the number of messages written so far, after each page. */
  onProgress?: (messageCount: number) => void;
};

/** An export ready to stream: its name and type, and its text, read as it is sent. */
export type TranscriptExport = {
  fileName: string;
  mediaType: string;
  chunks: AsyncIterable<string>;
  tally: TranscriptTally;
};

export class TranscriptService {
  constructor(
    private readonly store: Store,
    private readonly storage: FileStorage,
    private readonly pageSize = EXPORT_PAGE_SIZE,
  ) {}

  /** The transcript as a stream; not-found (before anything is streamed) unless the actor may read it. */
  async export({
    actor,
    conversationId,
    format,
    includeFiles = true,
    onProgress,
  }: ExportRequest): Promise<TranscriptExport> {
    const source = await this.sourceOf(actor, conversationId, {
      withVotes: format === 'json',
      includeFiles: format === 'json' && includeFiles,
    });
    const tally: TranscriptTally = { messageCount: 0 };
    const chunks = transcriptChunks(format, source, tally);
    return {
      fileName: transcriptFileName(source.header, format),
      mediaType: TRANSCRIPT_MEDIA_TYPES[format],
      chunks: onProgress ? reporting(chunks, tally, onProgress) : chunks,
      tally,
    };
  }

  /** Writes the transcript to file storage and records it; what was stored is removed if recording fails. */
  async save({ actor, conversationId, format }: Omit<ExportRequest, 'onProgress'>): Promise<Transcript> {
    const transcript = await this.export({ actor, conversationId, format });
    const storageKey = `transcripts/${conversationId}/${randomUUID()}.${format}`;
    const stored = await this.storage.put(storageKey, toByteStream(transcript.chunks), {
      mediaType: transcript.mediaType,
    });
    try {
      return await this.store.transcripts.record({
        actor,
        conversationId,
        storageKey,
        format,
        fileSizeBytes: stored.size,
        messageCount: transcript.tally.messageCount,
        checksum: stored.sha256,
      });
    } catch (error) {
      await this.storage.delete(storageKey).catch(() => {});
      throw error;
    }
  }

  /** The stored transcripts of a conversation the actor may read, newest first. */
  list({ actor, conversationId }: { actor: Actor; conversationId: string }): Promise<Transcript[]> {
    return this.store.transcripts.listForConversation({ actor, conversationId });
  }

  /** A stored transcript's row, name, type and bytes; not-found unless it is of this conversation and readable. */
  async open({ actor, conversationId, id }: { actor: Actor; conversationId: string; id: string }) {
    const transcript = await this.store.transcripts.get({ actor, id });
    if (transcript.conversationId !== conversationId) throw notFound('transcript', id);
    const read = await this.storage.get(transcript.storageKey);
    if (!read) {
      console.error(`transcript ${id}: its bytes are missing from storage (key ${transcript.storageKey})`);
      throw notFound('transcript', id);
    }
    const conversation = await this.store.conversations.get({ actor, id: conversationId });
    return {
      transcript,
      fileName: transcriptFileName({ conversation }, transcript.format),
      mediaType: TRANSCRIPT_MEDIA_TYPES[transcript.format],
      body: read.body,
    };
  }

  private async headerOnly(actor: Actor, conversationId: string): Promise<{ header: TranscriptHeader }> {
    const { conversation, people, models } = await this.store.conversationExports.header({ actor, conversationId });
    return {
      header: { conversation, people, models, exportedAt: new Date(), exportedBy: actor.id },
    };
  }

  private async sourceOf(
    actor: Actor,
    conversationId: string,
    { withVotes, includeFiles }: { withVotes: boolean; includeFiles: boolean },
  ): Promise<TranscriptSource> {
    const { header } = await this.headerOnly(actor, conversationId);
    const exports = this.store.conversationExports;
    const { pageSize, storage } = this;
    const readPage = async (after: { at: Date; id: string } | null): Promise<TranscriptEntry[]> => {
      const messages = await exports.messagesAfter({ actor, conversationId, after, limit: pageSize });
      // Only JSON carries votes.
      const votes =
        withVotes && messages.length > 0
          ? await exports.votesOn({ actor, conversationId, messageIds: messages.map((message) => message.id) })
          : [];
      const tallies = tallyVotes(votes, actor.id);
      return messages.map((message) => ({ message, votes: tallies.get(message.id) ?? NO_VOTES }));
    };
    async function* pages(): AsyncGenerator<TranscriptEntry[]> {
      // The next page is asked for before this one is handed on: the database reads it while this one is
      // formatted and written. Two pages at most are held.
      let next: Promise<TranscriptEntry[]> | null = readPage(null);
      try {
        while (next) {
          const entries: TranscriptEntry[] = await next;
          const last = entries.at(-1)?.message;
          next = entries.length === pageSize && last ? readPage({ at: last.createdAt, id: last.id }) : null;
          if (entries.length > 0) yield entries;
        }
      } finally {
        // A reader that stopped early leaves no read unwatched.
        next?.catch(() => {});
      }
    }
    async function* files(ids: string[]): AsyncGenerator<TranscriptFileContent> {
      for (const file of await exports.filesOf({ actor, conversationId, ids })) {
        const read = includeFiles ? await storage.get(file.storageKey) : null;
        yield { file, bytes: read ? read.body : null };
      }
    }
    return { header, pages: pages(), files };
  }
}

const NO_VOTES: TranscriptVotes = Object.freeze({ up: 0, down: 0, mine: null }) as TranscriptVotes;

/** Each message's ups and downs, and the exporting person's own vote. */
export function tallyVotes(
  votes: { messageId: string; userId: string; isUpvoted: boolean }[],
  exporterId: string,
): Map<string, TranscriptVotes> {
  const tallies = new Map<string, TranscriptVotes>();
  for (const vote of votes) {
    const tally = tallies.get(vote.messageId) ?? { up: 0, down: 0, mine: null };
    if (vote.isUpvoted) tally.up++;
    else tally.down++;
    if (vote.userId === exporterId) tally.mine = vote.isUpvoted ? 'up' : 'down';
    tallies.set(vote.messageId, tally);
  }
  return tallies;
}

async function* reporting(
  chunks: AsyncIterable<string>,
  tally: TranscriptTally,
  onProgress: (messageCount: number) => void,
): AsyncGenerator<string> {
  let reported = -1;
  for await (const chunk of chunks) {
    yield chunk;
    if (tally.messageCount !== reported) {
      reported = tally.messageCount;
      onProgress(reported);
    }
  }
}
