// File storage in a folder (DATA_DIR/files by default): a key `a/b` is the file `<root>/a/b`. The folder is made on
// the first write. Suits one server process; several processes need a shared store (s3-file-storage.ts).
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { type FileHandle, mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { asStream, measuringStream } from './byte-streams.ts';
import {
  checkedKey,
  checkedPrefix,
  type FileRead,
  type FileStat,
  type FileStorage,
  type PutResult,
  type RangeRequest,
  resolveRange,
} from './storage.ts';

const isMissing = (error: unknown) => {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
};

export class LocalFileStorage implements FileStorage {
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  // The media type is not kept: a folder has nowhere to put it, and the file's row has it.
  async put(
    key: string,
    body: ReadableStream<Uint8Array> | Uint8Array,
    _options?: { mediaType: string },
  ): Promise<PutResult> {
    const target = this.pathOf(key);
    await mkdir(path.dirname(target), { recursive: true });
    // Written beside the target and renamed into place: a reader sees the old file or the new one, never half. Its
    // name starts with a dot, which no key's segment does, so `list` never mistakes it for a file.
    const partial = path.join(path.dirname(target), `.${path.basename(target)}.${randomUUID()}.partial`);
    const measure = measuringStream();
    try {
      await asStream(body)
        .pipeThrough(measure)
        .pipeTo(Writable.toWeb(createWriteStream(partial, { flags: 'wx' })));
      await rename(partial, target);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
    return measure.digest();
  }

  async get(key: string, range?: RangeRequest): Promise<FileRead | null> {
    // Opened first so a missing file is a null here, not an error in the middle of a response.
    let handle: FileHandle;
    try {
      handle = await open(this.pathOf(key), 'r');
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
    try {
      const { size } = await handle.stat();
      const resolved = resolveRange(range, size);
      const stream = handle.createReadStream(resolved ? { start: resolved.start, end: resolved.end } : {});
      return { body: Readable.toWeb(stream) as ReadableStream<Uint8Array>, size, range: resolved };
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  async stat(key: string): Promise<FileStat | null> {
    try {
      const stats = await stat(this.pathOf(key));
      return stats.isFile() ? { size: stats.size, lastModified: stats.mtime } : null;
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    const target = this.pathOf(key);
    if ((await this.stat(key)) === null) return;
    await rm(target, { force: true });
  }

  async *list(prefix = ''): AsyncIterable<string> {
    checkedPrefix(prefix);
    // Only the folders the prefix can reach are walked.
    const folder = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
    for await (const key of this.keysUnder(folder)) {
      if (key.startsWith(prefix)) yield key;
    }
  }

  /** The keys in a folder of the root (`''` for the root itself) and below, in ascending order. */
  private async *keysUnder(folder: string): AsyncIterable<string> {
    let entries: { name: string; isFolder: boolean }[];
    try {
      const found = await readdir(path.join(this.root, ...folder.split('/').filter(Boolean)), { withFileTypes: true });
      entries = found
        .filter((entry) => !entry.name.startsWith('.') && (entry.isFile() || entry.isDirectory()))
        .map((entry) => ({ name: entry.name, isFolder: entry.isDirectory() }));
    } catch (error) {
      if (isMissing(error)) return;
      throw error;
    }
    // Sorted as the keys themselves sort: a folder `a` holds keys `a/…`, which come after `a.x` and before `a0`.
    const sortName = (entry: { name: string; isFolder: boolean }) => (entry.isFolder ? `${entry.name}/` : entry.name);
    entries.sort((left, right) => (sortName(left) < sortName(right) ? -1 : 1));
    for (const entry of entries) {
      const key = folder ? `${folder}/${entry.name}` : entry.name;
      if (entry.isFolder) yield* this.keysUnder(key);
      else yield key;
    }
  }

  private pathOf(key: string): string {
    return path.join(this.root, ...checkedKey(key).split('/'));
  }
}
