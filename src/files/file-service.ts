// Uploading, downloading and deleting attachments: an upload is checked (size, the uploader's quota, and type by its
// own bytes), its bytes go to file storage and a row records whose they are; a download finds the row the actor may
// read, then the bytes; a deletion removes the row, then the bytes.
import { randomUUID } from 'node:crypto';
import { AppError, notFound } from '../errors.ts';
import { logError } from '../loggable-error.ts';
import { log } from '../logging/logger.ts';
import type { Actor } from '../store/actor.ts';
import type { FileRecord, FileStore } from '../store/files.ts';
import { boundedStream, peekBytes } from './byte-streams.ts';
import { type AttachableMediaType, SNIFFED_BYTES, verifiedMediaType } from './media-types.ts';
import type { FileRead, FileStorage, RangeRequest } from './storage.ts';

/** An upload as it arrives: its bytes stream in, and nothing about them is known before they are read. */
export type Upload = { actor: Actor; body: ReadableStream<Uint8Array>; declaredType: string; name: string };

const MAX_NAME_LENGTH = 255;

export class FileService {
  constructor(
    /** The files' rows (store.files). */
    readonly records: FileStore,
    private readonly storage: FileStorage,
    /** The largest file, and the most bytes one person's uploads may take together. */
    readonly limits: { maxBytes: number; maxBytesPerUser: number },
  ) {}

  /**
   * Streams the upload into storage (its kind told from its first bytes, its size bounded as it passes), then
   * records it. Its size is known only once it has passed, so the quota is decided by the row's insert, and bytes
   * that do not fit are removed again.
   */
  async upload({ actor, body, declaredType, name }: Upload): Promise<FileRecord> {
    const displayName = cleanFileName(name);
    const { head, stream } = await peekBytes(body, SNIFFED_BYTES);
    const refuse = async (error: AppError): Promise<never> => {
      await stream.cancel().catch(() => {});
      throw error;
    };
    if (head.length === 0) await refuse(new AppError('invalid_input', `${displayName} is empty`));
    let mediaType: AttachableMediaType;
    try {
      mediaType = verifiedMediaType(head, declaredType, displayName);
    } catch (error) {
      return refuse(error as AppError);
    }
    const { maxBytes, maxBytesPerUser: quotaBytes } = this.limits;
    const bounded = stream.pipeThrough(
      boundedStream(
        maxBytes,
        () =>
          new AppError(
            'payload_too_large',
            `${displayName} is more than ${maxBytes} bytes; files may be at most ${maxBytes} bytes`,
          ),
      ),
    );
    const id = randomUUID();
    const storageKey = `${actor.id}/${id}`;
    const { size, sha256 } = await this.storage.put(storageKey, bounded, { mediaType });
    try {
      return await this.records.create({
        actor,
        quotaBytes,
        file: { id, mediaType, sizeBytes: size, name: displayName, storageKey, sha256 },
      });
    } catch (error) {
      // No row, no way to reach the bytes: remove them rather than leave an orphan.
      await this.storage.delete(storageKey).catch(() => {});
      throw error;
    }
  }

  /** The file, if the actor may read it; anyone else gets not-found. */
  find({ actor, id }: { actor: Actor; id: string }): Promise<FileRecord> {
    return this.records.findReadable({ actor, id });
  }

  /** A stream of the file's bytes, all or a range of them (see FileStorage.get). */
  async read(file: FileRecord, range?: RangeRequest): Promise<FileRead> {
    const read = await this.storage.get(file.storageKey, range);
    if (!read) {
      log.error("a file's bytes are missing from storage", { fileId: file.id, storageKey: file.storageKey });
      throw notFound('file', file.id);
    }
    return read;
  }

  /**
   * Deletes the actor's own upload, also one already sent in a conversation: its messages keep the file's name and
   * show it as removed, and models are told it is no longer available. The row goes first, then the bytes: a crash
   * in between leaves bytes nobody can reach (harmless), never a row whose bytes are gone. Anyone else who can see
   * the file is refused (403); to the rest it does not exist (404).
   */
  async delete({ actor, id }: { actor: Actor; id: string }): Promise<void> {
    const deleted = await this.records.deleteOwn({ actor, id });
    if (!deleted) {
      // Throws not-found unless the actor may at least read it.
      await this.records.findReadable({ actor, id });
      throw new AppError('forbidden', `file ${id} is not yours to delete: only its uploader may`);
    }
    await this.storage.delete(deleted.storageKey).catch((error: unknown) => {
      logError(`file ${id}: its row is deleted but its bytes could not be (key ${deleted.storageKey})`, error);
    });
  }
}

/** The name as shown: no folders (some browsers send C:\fakepath\…), no control characters, bounded. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).at(-1) ?? '';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this removes
  const printable = base.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return Array.from(printable || 'file')
    .slice(0, MAX_NAME_LENGTH)
    .join('');
}
