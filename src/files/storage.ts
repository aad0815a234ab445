// Where the bytes of uploaded files live, behind one small interface: a folder under DATA_DIR today, an object
// store (S3) tomorrow. Keys are opaque paths (`<owner>/<file id>`); the database row knows which key is whose.
import { randomUUID } from 'node:crypto';
import { type FileHandle, mkdir, open, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';

export interface FileStorage {
  /** Stores the bytes under the key, replacing what was there; readers never see a half-written file. */
  put(key: string, bytes: Uint8Array, options: { mediaType: string }): Promise<void>;
  /** The bytes as a stream, or null when nothing is stored under the key. */
  get(key: string): Promise<ReadableStream<Uint8Array> | null>;
  /** Removes the bytes; a key with nothing stored is not an error. */
  delete(key: string): Promise<void>;
}

/** All the bytes under a key, or null (for prompts, which send files whole). */
export async function readStoredFile(storage: FileStorage, key: string): Promise<Uint8Array | null> {
  const stream = await storage.get(key);
  if (!stream) return null;
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Keys are paths of safe segments (none starts with a dot), so no key can name a file outside the storage root. */
const KEY_PATTERN = /^[A-Za-z0-9_-][A-Za-z0-9._-]*(\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$/;

/** Files in a folder (DATA_DIR/files); the folder is made on the first write. */
export class LocalFileStorage implements FileStorage {
  private readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  // The media type is not kept: a folder has nowhere to put it, and the file's row has it.
  async put(key: string, bytes: Uint8Array, _options?: { mediaType: string }): Promise<void> {
    const target = this.pathOf(key);
    await mkdir(path.dirname(target), { recursive: true });
    // Written beside the target and renamed into place: a reader sees the old file or the new one, never half.
    const partial = `${target}.${randomUUID()}.partial`;
    try {
      await writeFile(partial, bytes, { flag: 'wx' });
      await rename(partial, target);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
  }

  async get(key: string): Promise<ReadableStream<Uint8Array> | null> {
    const target = this.pathOf(key);
    // Opened first so a missing file is a null here, not an error in the middle of a response.
    let handle: FileHandle;
    try {
      handle = await open(target, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    return Readable.toWeb(handle.createReadStream()) as ReadableStream<Uint8Array>;
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  private pathOf(key: string): string {
    if (!KEY_PATTERN.test(key)) {
      throw new Error(`invalid file storage key: ${JSON.stringify(key)}`);
    }
    return path.join(this.root, ...key.split('/'));
  }
}
