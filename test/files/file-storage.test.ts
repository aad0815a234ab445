// What every file storage backend promises (files/storage.ts), checked the same way on the folder and on an S3 bucket
// (s3rver on 127.0.0.1): bytes back as stored, ranges, sizes, listing, overwriting, missing keys, large streamed
// writes, failed writes leaving nothing, and keys that could escape refused.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { PART_SIZE_BYTES } from '../../src/files/s3-file-storage.ts';
import {
  type FileStorage,
  InvalidFileKeyError,
  readStoredFile,
  UnsatisfiableRangeError,
} from '../../src/files/storage.ts';
import { FILE_STORAGE_BACKENDS, openTestFileStorage, type TestFileStorage } from '../support/file-storage.ts';

const text = (value: string) => new TextEncoder().encode(value);
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const textOf = async (body: ReadableStream<Uint8Array>) =>
  new TextDecoder().decode(await new Response(body).arrayBuffer());

/** A stream of `total` bytes in chunks of `chunkSize`, made as they are read (never whole in memory). */
function chunkedStream(total: number, chunkSize: number, fill: (index: number) => number) {
  let sent = 0;
  let index = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= total) return controller.close();
      const size = Math.min(chunkSize, total - sent);
      controller.enqueue(new Uint8Array(size).fill(fill(index++)));
      sent += size;
    },
  });
}

const collect = async (keys: AsyncIterable<string>) => {
  const found: string[] = [];
  for await (const key of keys) found.push(key);
  return found;
};

for (const backend of FILE_STORAGE_BACKENDS) {
  describe(`file storage on ${backend}`, () => {
    let opened: TestFileStorage;
    let storage: FileStorage;
    before(async () => {
      opened = await openTestFileStorage(backend);
      storage = opened.storage;
    });
    after(() => opened?.close());

    test('bytes come back as stored, with their size and SHA-256 from put and their size from stat', async () => {
      const bytes = text('hello, stored world');
      const stored = await storage.put('owner/hello', bytes, { mediaType: 'text/plain' });
      assert.deepEqual(stored, { size: bytes.length, sha256: sha256(bytes) });
      const read = await storage.get('owner/hello');
      assert.equal(read?.size, bytes.length);
      assert.equal(read?.range, null);
      assert.equal(await textOf(read!.body), 'hello, stored world');
      const stat = await storage.stat('owner/hello');
      assert.equal(stat?.size, bytes.length);
      assert.ok(stat!.lastModified instanceof Date && Math.abs(stat!.lastModified.getTime() - Date.now()) < 3_600_000);
      assert.deepEqual(await readStoredFile(storage, 'owner/hello'), new Uint8Array(bytes));
    });

    test('a stream is stored as its bytes, and an empty body as an empty file', async () => {
      const stored = await storage.put(
        'owner/streamed',
        chunkedStream(10_000, 1_000, (index) => index),
        {
          mediaType: 'application/octet-stream',
        },
      );
      const expected = new Uint8Array(10_000).map((_, position) => Math.floor(position / 1_000));
      assert.deepEqual(stored, { size: 10_000, sha256: sha256(expected) });
      assert.deepEqual(await readStoredFile(storage, 'owner/streamed'), expected);

      assert.deepEqual(await storage.put('owner/empty', new Uint8Array(), { mediaType: 'text/plain' }), {
        size: 0,
        sha256: sha256(new Uint8Array()),
      });
      assert.equal((await storage.stat('owner/empty'))?.size, 0);
      assert.equal(await textOf((await storage.get('owner/empty'))!.body), '');
    });

    test('a put replaces what was stored under the key', async () => {
      await storage.put('owner/replaced', text('the first, longer version'), { mediaType: 'text/plain' });
      await storage.put('owner/replaced', text('second'), { mediaType: 'text/plain' });
      assert.equal(await textOf((await storage.get('owner/replaced'))!.body), 'second');
      assert.equal((await storage.stat('owner/replaced'))?.size, 6);
    });

    test('ranges: both ends inclusive, an open end reads to the last byte, an end past it is cut there', async () => {
      await storage.put('owner/digits', text('0123456789'), { mediaType: 'text/plain' });
      const middle = await storage.get('owner/digits', { start: 2, end: 5 });
      assert.deepEqual({ size: middle?.size, range: middle?.range }, { size: 10, range: { start: 2, end: 5 } });
      assert.equal(await textOf(middle!.body), '2345');
      const tail = await storage.get('owner/digits', { start: 7 });
      assert.deepEqual(tail?.range, { start: 7, end: 9 });
      assert.equal(await textOf(tail!.body), '789');
      const past = await storage.get('owner/digits', { start: 8, end: 1_000 });
      assert.deepEqual(past?.range, { start: 8, end: 9 });
      assert.equal(await textOf(past!.body), '89');
      const single = await storage.get('owner/digits', { start: 0, end: 0 });
      assert.equal(await textOf(single!.body), '0');
    });

    test('a range starting past the last byte, or backwards, is unsatisfiable and names the size', async () => {
      await storage.put('owner/short', text('abc'), { mediaType: 'text/plain' });
      for (const range of [{ start: 3 }, { start: 10, end: 20 }, { start: 2, end: 1 }]) {
        await assert.rejects(
          storage.get('owner/short', range),
          (error: unknown) => error instanceof UnsatisfiableRangeError && error.size === 3,
          JSON.stringify(range),
        );
      }
      await storage.put('owner/nothing', new Uint8Array(), { mediaType: 'text/plain' });
      await assert.rejects(storage.get('owner/nothing', { start: 0 }), UnsatisfiableRangeError);
    });

    test('a missing key: get and stat give null, delete is no error, a range of it is null too', async () => {
      assert.equal(await storage.get('owner/missing'), null);
      assert.equal(await storage.get('owner/missing', { start: 0, end: 10 }), null);
      assert.equal(await storage.stat('owner/missing'), null);
      await storage.delete('owner/missing');
      assert.equal(await storage.get('elsewhere/entirely'), null);
    });

    test('delete removes the bytes; deleting twice is fine', async () => {
      await storage.put('owner/doomed', text('bye'), { mediaType: 'text/plain' });
      await storage.delete('owner/doomed');
      assert.equal(await storage.get('owner/doomed'), null);
      assert.equal(await storage.stat('owner/doomed'), null);
      await storage.delete('owner/doomed');
    });

    test('list gives every key under a prefix, and every key without one', async () => {
      const keys = ['list/b/2', 'list/a', 'list/a.x', 'list/b/1', 'list/a0', 'list/b.y', 'listing/other'];
      for (const key of keys) await storage.put(key, text(key), { mediaType: 'text/plain' });
      const sorted = async (keys: AsyncIterable<string>) => (await collect(keys)).sort();
      assert.deepEqual(await sorted(storage.list('list/')), [
        'list/a',
        'list/a.x',
        'list/a0',
        'list/b.y',
        'list/b/1',
        'list/b/2',
      ]);
      assert.deepEqual(await sorted(storage.list('list/b/')), ['list/b/1', 'list/b/2']);
      assert.deepEqual(await sorted(storage.list('list/a')), ['list/a', 'list/a.x', 'list/a0']);
      assert.deepEqual(await collect(storage.list('nothing-here/')), []);
      const everything = await collect(storage.list());
      for (const key of keys) assert.ok(everything.includes(key), key);
      assert.equal(new Set(everything).size, everything.length, 'each key once');
    });

    test('a large body streams through in parts (multipart on S3) and comes back whole', async () => {
      const size = 2 * PART_SIZE_BYTES + 123_457;
      const stored = await storage.put(
        'owner/large',
        chunkedStream(size, 64 * 1024, (index) => index % 251),
        {
          mediaType: 'application/octet-stream',
        },
      );
      assert.equal(stored.size, size);
      const hash = createHash('sha256');
      let chunkIndex = 0;
      for (let sent = 0; sent < size; sent += 64 * 1024) {
        hash.update(new Uint8Array(Math.min(64 * 1024, size - sent)).fill(chunkIndex++ % 251));
      }
      assert.equal(stored.sha256, hash.digest('hex'));
      assert.equal((await storage.stat('owner/large'))?.size, size);
      const read = await storage.get('owner/large');
      const readHash = createHash('sha256');
      for await (const chunk of read!.body) readHash.update(chunk);
      assert.equal(readHash.digest('hex'), stored.sha256);
      // A range across the boundary of the first part.
      const across = await storage.get('owner/large', { start: PART_SIZE_BYTES - 2, end: PART_SIZE_BYTES + 1 });
      const expected = [0, 0, 0, 0].map((_, offset) => Math.floor((PART_SIZE_BYTES - 2 + offset) / (64 * 1024)) % 251);
      assert.deepEqual([...new Uint8Array(await new Response(across!.body).arrayBuffer())], expected);
    });

    test('a body that fails part-way stores nothing, keeps what was there, and throws its own error', async () => {
      await storage.put('owner/kept', text('the old bytes'), { mediaType: 'text/plain' });
      for (const key of ['owner/kept', 'owner/never']) {
        let sent = 0;
        const failing = new ReadableStream<Uint8Array>({
          pull(controller) {
            if (sent >= PART_SIZE_BYTES + 1024) return controller.error(new Error('the sender went away'));
            controller.enqueue(new Uint8Array(256 * 1024).fill(7));
            sent += 256 * 1024;
          },
        });
        await assert.rejects(storage.put(key, failing, { mediaType: 'text/plain' }), /the sender went away/);
      }
      assert.equal(await textOf((await storage.get('owner/kept'))!.body), 'the old bytes');
      assert.equal(await storage.stat('owner/never'), null);
      assert.deepEqual(await collect(storage.list('owner/never')), []);
    });

    test('keys that could name something outside the storage are refused by every method', async () => {
      const bad = ['../escape', 'owner/../../escape', '/absolute', 'a//b', '.hidden', 'owner/.partial', '', 'sp ace'];
      for (const key of bad) {
        const isInvalid = (error: unknown) => error instanceof InvalidFileKeyError && error.key === key;
        await assert.rejects(storage.put(key, text('x'), { mediaType: 'text/plain' }), isInvalid, key);
        await assert.rejects(storage.get(key), isInvalid, key);
        await assert.rejects(storage.stat(key), isInvalid, key);
        await assert.rejects(storage.delete(key), isInvalid, key);
      }
      await assert.rejects(collect(storage.list('../')), InvalidFileKeyError);
    });
  });
}
