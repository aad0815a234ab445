// Moving every stored file from one storage to another (the folder to an S3 bucket, or back), verified: each file's
// SHA-256 as read from the source must equal what the destination took in and what it gives back when read again.
// Keys stay the same, so the database needs no change. A file already in the destination with the same bytes is
// left alone, so a migration that stopped can simply be run again.
import { createHash } from 'node:crypto';
import { measuringStream } from './byte-streams.ts';
import type { FileStorage } from './storage.ts';

export type MigrationProgress = { done: number; total: number; key: string; outcome: FileOutcome };
export type FileOutcome = 'copied' | 'already there' | 'mismatch' | 'failed';
export type MigrationProblem = { key: string; reason: string };
export type MigrationResult = {
  total: number;
  copied: number;
  alreadyThere: number;
  /** Source copies removed (with deleteSource), once their copy was verified. */
  removed: number;
  problems: MigrationProblem[];
};

/** Files copied at once: enough to hide an object store's latency, few enough to stay light. */
const CONCURRENT_FILES = 4;

export async function migrateFiles(options: {
  from: FileStorage;
  to: FileStorage;
  /** Remove each source file once its copy is verified. */
  deleteSource?: boolean;
  onProgress?: (progress: MigrationProgress) => void;
}): Promise<MigrationResult> {
  const { from, to } = options;
  const keys: string[] = [];
  for await (const key of from.list()) keys.push(key);
  const result: MigrationResult = { total: keys.length, copied: 0, alreadyThere: 0, removed: 0, problems: [] };
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < keys.length) {
      const key = keys[next++]!;
      let outcome: FileOutcome;
      try {
        outcome = await migrateFile(from, to, key);
        if (outcome === 'copied') result.copied++;
        else result.alreadyThere++;
        if (options.deleteSource) {
          await from.delete(key);
          result.removed++;
        }
      } catch (error) {
        outcome = error instanceof ChecksumMismatch ? 'mismatch' : 'failed';
        result.problems.push({ key, reason: error instanceof Error ? error.message : String(error) });
      }
      options.onProgress?.({ done: ++done, total: keys.length, key, outcome });
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENT_FILES, keys.length) }, worker));
  result.problems.sort((left, right) => (left.key < right.key ? -1 : 1));
  return result;
}

class ChecksumMismatch extends Error {
  override name = 'ChecksumMismatch';
}

/** Copies one file unless the destination holds the same bytes; throws ChecksumMismatch when a copy is not faithful. */
async function migrateFile(from: FileStorage, to: FileStorage, key: string): Promise<'copied' | 'already there'> {
  const existing = await to.stat(key);
  if (existing) {
    const source = await from.stat(key);
    if (source && source.size === existing.size && (await sha256Of(from, key)) === (await sha256Of(to, key))) {
      return 'already there';
    }
  }
  const read = await from.get(key);
  if (!read) throw new Error('it was removed from the source while the migration ran');
  const measure = measuringStream();
  // Media types live in the files' rows (downloads are served with those), so the copy needs none of its own.
  const stored = await to.put(key, read.body.pipeThrough(measure), { mediaType: 'application/octet-stream' });
  const sourceSum = measure.digest();
  const problem =
    stored.sha256 !== sourceSum.sha256 || stored.size !== sourceSum.size
      ? `the destination took in ${stored.size} bytes with SHA-256 ${stored.sha256}, the source gave ${sourceSum.size} with ${sourceSum.sha256}`
      : await rereadProblem(to, key, sourceSum);
  if (problem) {
    // A copy known to be wrong is not left where it could be mistaken for the file.
    await to.delete(key).catch(() => {});
    throw new ChecksumMismatch(`checksum mismatch: ${problem}`);
  }
  return 'copied';
}

async function rereadProblem(to: FileStorage, key: string, expected: { size: number; sha256: string }) {
  const reread = await sha256Of(to, key);
  return reread === expected.sha256
    ? null
    : `read back from the destination it has SHA-256 ${reread ?? '(nothing)'}, the source's is ${expected.sha256}`;
}

/** The SHA-256 of a stored file, read as a stream; null when it is missing. */
async function sha256Of(storage: FileStorage, key: string): Promise<string | null> {
  const read = await storage.get(key);
  if (!read) return null;
  const hash = createHash('sha256');
  for await (const chunk of read.body) hash.update(chunk);
  return hash.digest('hex');
}
