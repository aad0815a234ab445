// Moving stored files between the folder and an S3 bucket (s3rver on 127.0.0.1): every file arrives with the same
// SHA-256, a second run copies nothing, a copy that does not read back the same is reported and removed, and
// `chorus files migrate` does it from the command line with a non-zero exit when a file fails.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { migrateFiles } from '../../src/files/migrate-files.ts';
import { openFileStorage } from '../../src/files/open-file-storage.ts';
import { type FileStorage, readStoredFile } from '../../src/files/storage.ts';
import { runChorus, temporaryDirectory } from '../support/cli.ts';
import { startS3Server, type TestS3Server } from '../support/s3-server.ts';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const collect = async (keys: AsyncIterable<string>) => {
  const found: string[] = [];
  for await (const key of keys) found.push(key);
  return found.sort();
};

/** Files of several sizes and folders, one past an S3 part. */
const FILES: Record<string, Uint8Array> = {
  'user-1/a1b2': new TextEncoder().encode('a small attachment'),
  'user-1/c3d4': new Uint8Array(2_000_000).map((_, index) => (index * 7) % 256),
  'user-2/e5f6': new Uint8Array(0),
  'transcripts/conversation-9/export.json': new TextEncoder().encode('{"messages":[]}'),
  'backups/2026-12-07.dump': new Uint8Array(9 * 1024 * 1024).map((_, index) => index % 199),
};

/** The storage, but every read of `key` comes back with its first byte changed: a store that corrupts a file. */
function corruptingReadsOf(storage: FileStorage, key: string): FileStorage {
  return {
    put: (...args) => storage.put(...args),
    stat: (name) => storage.stat(name),
    delete: (name) => storage.delete(name),
    list: (prefix) => storage.list(prefix),
    get: async (name, range) => {
      const read = await storage.get(name, range);
      if (!read || name !== key) return read;
      let first = true;
      const flip = new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          if (first && chunk.length > 0) {
            chunk = chunk.slice();
            chunk[0] = chunk[0]! ^ 0xff;
            first = false;
          }
          controller.enqueue(chunk);
        },
      });
      return { ...read, body: read.body.pipeThrough(flip) };
    },
  };
}

describe('migrating stored files between the folder and S3', () => {
  let s3: TestS3Server;
  const folders: { path: string; remove(): void }[] = [];
  const newFolder = () => {
    const folder = temporaryDirectory('chorus-migrate-');
    folders.push(folder);
    return folder.path;
  };
  const settingsFor = (dataDir: string) => ({ DATA_DIR: dataDir, ...s3.settings });

  before(async () => {
    s3 = await startS3Server();
  });
  after(async () => {
    await s3?.close();
    for (const folder of folders) folder.remove();
  });

  test('to S3 and back: every file arrives with its checksum; a second run copies nothing', async () => {
    const local = openFileStorage(settingsFor(newFolder()), 'local');
    const bucket = openFileStorage(settingsFor(newFolder()), 's3');
    for (const [key, bytes] of Object.entries(FILES)) await local.put(key, bytes, { mediaType: 'text/plain' });

    const seen: string[] = [];
    const first = await migrateFiles({ from: local, to: bucket, onProgress: (progress) => seen.push(progress.key) });
    assert.deepEqual(first, { total: 5, copied: 5, alreadyThere: 0, removed: 0, problems: [] });
    assert.deepEqual(seen.sort(), Object.keys(FILES).sort());
    for (const [key, bytes] of Object.entries(FILES)) {
      assert.equal(sha256((await readStoredFile(bucket, key))!), sha256(bytes), key);
    }

    const again = await migrateFiles({ from: local, to: bucket });
    assert.deepEqual(again, { total: 5, copied: 0, alreadyThere: 5, removed: 0, problems: [] });
    // A destination copy that differs is copied again.
    await bucket.put('user-1/a1b2', new TextEncoder().encode('a small attachmenT'), { mediaType: 'text/plain' });
    const repaired = await migrateFiles({ from: local, to: bucket });
    assert.deepEqual([repaired.copied, repaired.alreadyThere], [1, 4]);
    assert.deepEqual(await readStoredFile(bucket, 'user-1/a1b2'), FILES['user-1/a1b2']);

    const back = openFileStorage(settingsFor(newFolder()), 'local');
    const returned = await migrateFiles({ from: bucket, to: back, deleteSource: true });
    assert.deepEqual(returned, { total: 5, copied: 5, alreadyThere: 0, removed: 5, problems: [] });
    for (const [key, bytes] of Object.entries(FILES)) {
      assert.equal(sha256((await readStoredFile(back, key))!), sha256(bytes), key);
    }
    assert.deepEqual(await collect(bucket.list()), [], 'the source copies are gone once verified');
  });

  test('a copy that does not read back the same is a checksum mismatch: reported, removed, the rest copied', async () => {
    const local = openFileStorage(settingsFor(newFolder()), 'local');
    for (const [key, bytes] of Object.entries(FILES))
      await local.put(`other/${key}`, bytes, { mediaType: 'text/plain' });
    const bucket = openFileStorage(settingsFor(newFolder()), 's3');
    const result = await migrateFiles({
      from: local,
      to: corruptingReadsOf(bucket, 'other/user-1/c3d4'),
      deleteSource: true,
    });
    assert.equal(result.copied, 4);
    assert.equal(result.problems.length, 1);
    assert.equal(result.problems[0]!.key, 'other/user-1/c3d4');
    assert.match(result.problems[0]!.reason, /checksum mismatch: read back from the destination it has SHA-256 \w+/);
    assert.equal(await bucket.stat('other/user-1/c3d4'), null, 'the bad copy is not left behind');
    assert.ok(await local.stat('other/user-1/c3d4'), 'nor is the source removed');
    assert.equal(await local.stat('other/user-1/a1b2'), null, 'verified copies were removed from the source');
  });

  test('chorus files migrate --to s3, then --to local, from the command line', async () => {
    const dataDir = newFolder();
    const local = openFileStorage(settingsFor(dataDir), 'local');
    await local.put('user-3/picture', FILES['user-1/c3d4']!, { mediaType: 'image/png' });
    await local.put('user-3/note', FILES['user-1/a1b2']!, { mediaType: 'text/plain' });
    const env = { DATA_DIR: dataDir, ...s3.env };

    const toS3 = await runChorus(['files', 'migrate', '--to', 's3'], env);
    assert.equal(toS3.code, 0, toS3.stderr);
    assert.match(toS3.stdout, /2 files: 2 copied and verified, 0 already there/);
    const bucket = openFileStorage(settingsFor(dataDir), 's3');
    assert.deepEqual(await readStoredFile(bucket, 'user-3/picture'), FILES['user-1/c3d4']);

    const backDir = newFolder();
    const toLocal = await runChorus(['files', 'migrate', '--to', 'local'], { ...env, DATA_DIR: backDir });
    assert.equal(toLocal.code, 0, toLocal.stderr);
    const back = openFileStorage(settingsFor(backDir), 'local');
    const backKeys = await collect(back.list('user-3/'));
    assert.deepEqual(backKeys, ['user-3/note', 'user-3/picture']);
    assert.deepEqual(await readStoredFile(back, 'user-3/note'), FILES['user-1/a1b2']);

    const unreachable = await runChorus(['files', 'migrate', '--to', 's3'], {
      ...env,
      S3_ENDPOINT: 'http://127.0.0.1:9',
    });
    assert.equal(unreachable.code, 1);
    assert.match(unreachable.stdout, /2 files: 0 copied and verified, 0 already there, 2 FAILED/);
    assert.match(unreachable.stderr, /^user-3\/note: /m);
  });
});
