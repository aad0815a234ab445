// Uploading, downloading and deleting attachments: an upload is checked (size, the uploader's quota, and type by its
// own bytes), its bytes go to file storage and a row records whose they are; a download finds the row the actor may
// read, then the bytes; a deletion removes the row, then the bytes.
import { randomUUID } from 'node:crypto';
import { AppError, notFound } from '../errors.ts';
import { logError } from '../loggable-error.ts';
import type { Actor } from '../store/actor.ts';
import { type FileRecord, type FileStore, quotaExceeded } from '../store/files.ts';
import { verifiedMediaType } from './media-types.ts';
import type { FileStorage } from './storage.ts';

export type Upload = { actor: Actor; bytes: Uint8Array; declaredType: string; name: string };

const MAX_NAME_LENGTH = 255;

export class FileService {
  constructor(
    /** The files' rows (store.files). */
    readonly records: FileStore,
    private readonly storage: FileStorage,
    /** The largest file, and the most bytes one person's uploads may take together. */
    readonly limits: { maxBytes: number; maxBytesPerUser: number },
  ) {}

  async upload({ actor, bytes, declaredType, name }: Upload): Promise<FileRecord> {
    const displayName = cleanFileName(name);
    if (bytes.length === 0) throw new AppError('invalid_input', `${displayName} is empty`);
    if (bytes.length > this.limits.maxBytes) {
      throw new AppError(
        'payload_too_large',
        `${displayName} is ${bytes.length} bytes; files may be at most ${this.limits.maxBytes} bytes`,
      );
    }
    const mediaType = verifiedMediaType(bytes, declaredType, displayName);
    const quotaBytes = this.limits.maxBytesPerUser;
    // Refused before the bytes are written when it plainly does not fit; the row's insert decides for certain.
    const usedBytes = await this.records.usedBytes({ actor });
    if (usedBytes + bytes.length > quotaBytes) {
      throw quotaExceeded({ name: displayName, sizeBytes: bytes.length }, { usedBytes, quotaBytes });
    }
    const id = randomUUID();
    const storageKey = `${actor.id}/${id}`;
    const { sha256 } = await this.storage.put(storageKey, bytes, { mediaType });
    try {
      return await this.records.create({
        actor,
        quotaBytes,
        file: {
          id,
          mediaType,
          sizeBytes: bytes.length,
          name: displayName,
          storageKey,
          sha256,
        },
      });
    } catch (error) {
      // No row, no way to reach the bytes: remove them rather than leave an orphan.
      await this.storage.delete(storageKey).catch(() => {});
      throw error;
    }
  }

  /** The file and a stream of its bytes, if the actor may read it; anyone else gets not-found. */
  async open({ actor, id }: { actor: Actor; id: string }) {
    const file = await this.records.findReadable({ actor, id });
    const read = await this.storage.get(file.storageKey);
    if (!read) {
      console.error(`file ${id}: its bytes are missing from storage (key ${file.storageKey})`);
      throw notFound('file', id);
    }
    return { file, body: read.body };
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
