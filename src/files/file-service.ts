// Uploading and downloading attachments: an upload is checked (size, and type by its own bytes), its bytes go to
// file storage and a row records whose they are; a download finds the row the actor may read, then the bytes.
import { createHash, randomUUID } from 'node:crypto';
import type { Database } from '../db/client.ts';
import { AppError, notFound } from '../errors.ts';
import type { Actor } from '../store/actor.ts';
import { type FileRecord, FileRecords } from './file-records.ts';
import { verifiedMediaType } from './media-types.ts';
import type { FileStorage } from './storage.ts';

export type Upload = { actor: Actor; bytes: Uint8Array; declaredType: string; name: string };

const MAX_NAME_LENGTH = 255;

export class FileService {
  readonly records: FileRecords;

  constructor(
    db: Database,
    private readonly storage: FileStorage,
    readonly limits: { maxBytes: number },
  ) {
    this.records = new FileRecords(db);
  }

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
    const id = randomUUID();
    const storageKey = `${actor.id}/${id}`;
    await this.storage.put(storageKey, bytes, { mediaType });
    try {
      return await this.records.create({
        actor,
        file: {
          id,
          mediaType,
          sizeBytes: bytes.length,
          name: displayName,
          storageKey,
          sha256: createHash('sha256').update(bytes).digest('hex'),
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
    const body = await this.storage.get(file.storageKey);
    if (!body) {
      console.error(`file ${id}: its bytes are missing from storage (key ${file.storageKey})`);
      throw notFound('file', id);
    }
    return { file, body };
  }
}

/** The name as shown: no folders (some browsers send C:\fakepath\…), no control characters, bounded. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).at(-1) ?? '';
  const printable = base.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return Array.from(printable || 'file').slice(0, MAX_NAME_LENGTH).join('');
}
