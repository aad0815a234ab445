// "Download my data": one zip, streamed, of everything of one person's: their profile, every conversation they own
// or take part in (a Chorus JSON transcript each), their votes, their saved prompts and their uploads (the files themselves, with an
// index). Entries are read one after another as the zip is written, so memory stays flat whatever the size.
import { Readable } from 'node:stream';
import { ZipArchive } from 'archiver';
import { AppError } from '../errors.ts';
import type { FileStorage } from '../files/storage.ts';
import type { Actor } from '../store/actor.ts';
import type { Store } from '../store/index.ts';
import type { TranscriptService } from './transcript-service.ts';

/** What the zip holds, for its README-like index and for tests. */
export const ACCOUNT_ARCHIVE_ENTRIES = {
  profile: 'profile.json',
  conversationsFolder: 'conversations/',
  votes: 'votes.json',
  prompts: 'prompts.json',
  uploadsIndex: 'uploads.json',
  uploadsFolder: 'uploads/',
} as const;

export type AccountArchive = {
  fileName: string;
  /** The zip's bytes; reading them does the work. */
  body: Readable;
  conversationCount: number;
  uploadCount: number;
};

export class AccountExportService {
  constructor(
    private readonly store: Store,
    private readonly transcripts: TranscriptService,
    private readonly storage: FileStorage,
  ) {}

  /** The zip of the actor's data; `onConversation` is told each conversation written (for a progress bar). */
  async open({
    actor,
    onConversation,
  }: {
    actor: Actor;
    onConversation?: (done: number, total: number) => void;
  }): Promise<AccountArchive> {
    const exports = this.store.conversationExports;
    const [user, conversationIds, votes, uploads, prompts] = await Promise.all([
      this.store.users.getById(actor.id),
      exports.conversationIdsOf(actor),
      exports.votesBy(actor),
      exports.uploadsBy(actor),
      this.store.savedPrompts.list({ actor }),
    ]);
    const archive = new ZipArchive({ zlib: { level: 6 } });
    const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
    archive.append(
      json({
        id: user.id,
        email: user.email,
        username: user.username,
        displayName: user.displayName,
        createdAt: user.createdAt.toISOString(),
        exportedAt: new Date().toISOString(),
        conversationCount: conversationIds.length,
      }),
      { name: ACCOUNT_ARCHIVE_ENTRIES.profile },
    );
    conversationIds.forEach((conversationId, index) => {
      const transcripts = this.transcripts;
      // Lazy: the conversation is read only when the zip gets to it.
      async function* transcript() {
        try {
          const exported = await transcripts.export({ actor, conversationId, format: 'json', includeFiles: false });
          yield* exported.chunks;
        } catch (error) {
          // Deleted (or left) since the list was read: say so rather than break the whole zip.
          if (!(error instanceof AppError && error.code === 'not_found')) throw error;
          yield json({ conversationId, missing: 'deleted or left while the export was written' });
        }
        onConversation?.(index + 1, conversationIds.length);
      }
      archive.append(Readable.from(transcript()), {
        name: `${ACCOUNT_ARCHIVE_ENTRIES.conversationsFolder}${conversationId}.json`,
      });
    });
    archive.append(
      json(
        votes.map((vote) => ({
          conversationId: vote.conversationId,
          messageId: vote.messageId,
          vote: vote.isUpvoted ? 'up' : 'down',
          createdAt: vote.createdAt.toISOString(),
          updatedAt: vote.updatedAt.toISOString(),
        })),
      ),
      { name: ACCOUNT_ARCHIVE_ENTRIES.votes },
    );
    archive.append(
      json(
        prompts.map((prompt) => ({
          name: prompt.name,
          text: prompt.text,
          createdAt: prompt.createdAt.toISOString(),
          updatedAt: prompt.updatedAt.toISOString(),
        })),
      ),
      { name: ACCOUNT_ARCHIVE_ENTRIES.prompts },
    );
    const uploadPath = (upload: { id: string; name: string }) =>
      `${ACCOUNT_ARCHIVE_ENTRIES.uploadsFolder}${upload.id}/${upload.name}`;
    archive.append(
      json(
        uploads.map((upload) => ({
          id: upload.id,
          name: upload.name,
          mediaType: upload.mediaType,
          sizeBytes: upload.sizeBytes,
          sha256: upload.sha256,
          conversationId: upload.conversationId,
          createdAt: upload.createdAt.toISOString(),
          path: uploadPath(upload),
        })),
      ),
      { name: ACCOUNT_ARCHIVE_ENTRIES.uploadsIndex },
    );
    const storage = this.storage;
    for (const upload of uploads) {
      async function* bytes() {
        const read = await storage.get(upload.storageKey);
        if (read) yield* read.body;
      }
      archive.append(Readable.from(bytes()), { name: uploadPath(upload), date: upload.createdAt });
    }
    void archive.finalize().catch(() => {
      // Reported as the stream's error to whoever reads it.
    });
    return {
      fileName: `chorus-export-${user.username ?? user.id}-${new Date().toISOString().slice(0, 10)}.zip`,
      body: archive,
      conversationCount: conversationIds.length,
      uploadCount: uploads.length,
    };
  }
}
