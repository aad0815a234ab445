// Where the bytes of stored files live (attachments, transcripts, backups), behind one small interface: a folder under
// DATA_DIR (local-file-storage.ts) or an S3-compatible object store (s3-file-storage.ts). Bytes flow through it as
// streams, so no file is ever held whole in memory. Keys are opaque paths (`<owner>/<file id>`); the database row
// knows which key is whose.

/** Bytes `start` to `end`, both inclusive (as in HTTP's Range and S3's). */
export type ByteRange = { start: number; end: number };

/** The bytes asked of `get`: from `start` to `end` inclusive, or to the end of the file when `end` is left out. */
export type RangeRequest = { start: number; end?: number };

/** What `put` stored: its size and the SHA-256 (hex) of exactly the bytes written. */
export type PutResult = { size: number; sha256: string };

/** What a stored file is without reading it. */
export type FileStat = { size: number; lastModified: Date };

/** A read of a stored file: its bytes as a stream, and which of them they are. */
export type FileRead = {
  body: ReadableStream<Uint8Array>;
  /** The whole file's size, whatever was asked. */
  size: number;
  /** The bytes the body holds when a range was asked (its end is the file's last byte at most); null for all. */
  range: ByteRange | null;
};

export interface FileStorage {
  /**
   * Stores the bytes under the key, replacing what was there, streaming them through without holding them whole.
   * Readers never see a half-written file; when the body fails (an upload cut short, a size limit passed) nothing is
   * stored and the body's error is thrown.
   */
  put(key: string, body: ReadableStream<Uint8Array> | Uint8Array, options: { mediaType: string }): Promise<PutResult>;
  /**
   * The bytes (all, or a range of them), or null when nothing is stored under the key. A range that starts past the
   * last byte throws UnsatisfiableRangeError.
   */
  get(key: string, range?: RangeRequest): Promise<FileRead | null>;
  /** The file's size and time, or null when nothing is stored under the key. */
  stat(key: string): Promise<FileStat | null>;
  /** Removes the bytes; a key with nothing stored is not an error. */
  delete(key: string): Promise<void>;
  /** Every key stored under the prefix (all keys when it is empty), in ascending order. */
  list(prefix?: string): AsyncIterable<string>;
}

/** A range asked of a file that does not reach it: HTTP's 416. */
export class UnsatisfiableRangeError extends Error {
  constructor(
    readonly range: RangeRequest,
    /** The file's size (a 416 reply names it in its Content-Range). */
    readonly size: number,
  ) {
    super(`bytes ${range.start}-${range.end ?? ''} are not within the file's ${size} bytes`);
    this.name = 'UnsatisfiableRangeError';
  }
}

/** A key that is not a path of safe segments. */
export class InvalidFileKeyError extends Error {
  constructor(readonly key: string) {
    super(`invalid file storage key: ${JSON.stringify(key)}`);
    this.name = 'InvalidFileKeyError';
  }
}

/**
 * Keys are paths of safe segments (none starts with a dot), so no key can name a file outside a folder's root, and
 * every key means the same object in a folder and in a bucket.
 */
const KEY_PATTERN = /^[A-Za-z0-9_-][A-Za-z0-9._-]*(\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$/;
const MAX_KEY_LENGTH = 1024;

/** The key, when it is a valid one; InvalidFileKeyError otherwise. */
export function checkedKey(key: string): string {
  if (key.length > MAX_KEY_LENGTH || !KEY_PATTERN.test(key)) throw new InvalidFileKeyError(key);
  return key;
}

/** A prefix for `list`: empty, or a key's beginning (a folder ends with `/`). */
export function checkedPrefix(prefix: string): string {
  if (prefix === '') return prefix;
  const asKey = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  checkedKey(asKey);
  return prefix;
}

/**
 * The range of a file of `size` bytes that a request names, its end clamped to the last byte; null for the whole
 * file. UnsatisfiableRangeError when it starts past the end (or is backwards).
 */
export function resolveRange(request: RangeRequest | undefined, size: number): ByteRange | null {
  if (!request) return null;
  const { start } = request;
  const end = Math.min(request.end ?? size - 1, size - 1);
  if (!Number.isSafeInteger(start) || start < 0 || start >= size || end < start) {
    throw new UnsatisfiableRangeError(request, size);
  }
  return { start, end };
}

/** All the bytes under a key, or null (for prompts, which send files whole). */
export async function readStoredFile(storage: FileStorage, key: string): Promise<Uint8Array | null> {
  const read = await storage.get(key);
  if (!read) return null;
  return new Uint8Array(await new Response(read.body).arrayBuffer());
}
