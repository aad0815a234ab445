// Uploads and downloads through the HTTP API, on the folder and on an S3 bucket (s3rver on 127.0.0.1): the bytes go
// to the configured storage as they arrive, come back byte for byte, in ranges (206, Content-Range, 416), and limits
// hold for uploads streamed in chunks of no declared length.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { files } from '../../src/db/schema/index.ts';
import { PART_SIZE_BYTES } from '../../src/files/s3-file-storage.ts';
import { testBackends } from '../support/database.ts';
import { FILE_STORAGE_BACKENDS, openTestFileStorage, type TestFileStorage } from '../support/file-storage.ts';
import { type Person, signUp } from '../support/people.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const MAX_UPLOAD_BYTES = PART_SIZE_BYTES + 2 * 1024 * 1024;
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** A file the server takes for a PNG, `size` bytes of a repeating pattern after its signature. */
const pngOf = (size: number) => {
  const bytes = new Uint8Array(size).map((_, index) => index % 253);
  bytes.set(PNG_SIGNATURE);
  return bytes;
};
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

const BOUNDARY = 'chorus-test-boundary-7d0f';

/**
 * A multipart form with one file, sent as a stream of chunks (so with no declared length), the file's bytes made as
 * they are read; `breakOff` ends the stream inside the file, as a client that goes away does.
 */
function streamedForm(size: number, options: { chunkSize?: number; breakOff?: boolean } = {}) {
  const chunkSize = options.chunkSize ?? 256 * 1024;
  const head = new TextEncoder().encode(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.png"\r\n` +
      'Content-Type: image/png\r\n\r\n',
  );
  const tail = new TextEncoder().encode(`\r\n--${BOUNDARY}--\r\n`);
  const hash = createHash('sha256');
  let sent = 0;
  let stage: 'head' | 'file' | 'tail' | 'done' = 'head';
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (stage === 'head') {
        controller.enqueue(head);
        stage = 'file';
      } else if (stage === 'file') {
        if (options.breakOff && sent >= size / 2) return controller.close();
        const chunk = new Uint8Array(Math.min(chunkSize, size - sent)).map((_, index) => (sent + index) % 253);
        if (sent === 0) chunk.set(PNG_SIGNATURE);
        hash.update(chunk);
        controller.enqueue(chunk);
        sent += chunk.length;
        if (sent >= size) stage = 'tail';
      } else if (stage === 'tail') {
        controller.enqueue(tail);
        stage = 'done';
      } else {
        controller.close();
      }
    },
  });
  return { body, sha256: () => hash.digest('hex') };
}

for (const kind of testBackends()) {
  for (const backend of FILE_STORAGE_BACKENDS) {
    describe(`uploads and downloads through the API, ${backend} storage on ${kind}`, () => {
      let storage: TestFileStorage;
      let server: TestServer;
      let ann: Person;
      let bob: Person;

      before(async () => {
        storage = await openTestFileStorage(backend);
        server = await startTestServer(kind, { ...storage.env, CHORUS_MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES) });
        ann = await signUp(server, 'Ann');
        bob = await signUp(server, 'Bob');
      });
      after(async () => {
        await server?.close();
        await storage?.close();
      });

      const cookieOf = (person: Person) =>
        [...person.client.cookies].map(([key, value]) => `${key}=${value}`).join('; ');
      const send = (
        person: Person,
        body: FormData | ReadableStream<Uint8Array>,
        headers: Record<string, string> = {},
      ) =>
        fetch(`${server.baseUrl}/api/files`, {
          method: 'POST',
          headers: { cookie: cookieOf(person), origin: 'http://chorus.test', ...headers },
          body,
          duplex: 'half',
        } as RequestInit);
      const upload = async (person: Person, bytes: Uint8Array, name = 'picture.png') => {
        const form = new FormData();
        form.append('file', new Blob([bytes], { type: 'image/png' }), name);
        const response = await send(person, form);
        return { status: response.status, body: (await response.json()) as any };
      };
      const download = (person: Person, url: string, headers: Record<string, string> = {}) =>
        person.client.open('GET', url, undefined, headers);
      const bytesOf = async (response: Response) => new Uint8Array(await response.arrayBuffer());
      const keysOf = async (person: Person) => {
        const keys: string[] = [];
        for await (const key of server.runtime.fileStorage.list(`${person.id}/`)) keys.push(key);
        return keys;
      };

      test('an upload lands in the configured storage and comes back byte for byte, with its checksum', async () => {
        const bytes = pngOf(300_000);
        const uploaded = await upload(ann, bytes);
        assert.equal(uploaded.status, 201, JSON.stringify(uploaded.body));
        assert.equal(uploaded.body.size, bytes.length);
        const [row] = await server.runtime.database.db.select().from(files).where(eq(files.id, uploaded.body.id));
        assert.equal(row?.sha256, sha256(bytes));
        // The server's storage is the test's: the same folder, or the same bucket.
        assert.equal((await storage.storage.stat(row!.storageKey))?.size, bytes.length);

        const response = await download(ann, uploaded.body.url);
        assert.equal(response.status, 200);
        assert.equal(response.headers.get('accept-ranges'), 'bytes');
        assert.equal(response.headers.get('content-length'), String(bytes.length));
        assert.deepEqual(await bytesOf(response), bytes);
        assert.equal((await download(bob, uploaded.body.url)).status, 404, 'access control holds on every backend');
      });

      test('a Range is answered 206 with Content-Range: first bytes, an open end, the last bytes', async () => {
        const bytes = pngOf(100_000);
        const { body } = await upload(ann, bytes);
        const cases: [string, number, number][] = [
          ['bytes=0-9', 0, 9],
          ['bytes=99990-', 99_990, 99_999],
          ['bytes=-16', 99_984, 99_999],
          ['bytes=50000-2000000', 50_000, 99_999],
          ['bytes=7-7', 7, 7],
        ];
        for (const [range, start, end] of cases) {
          const response = await download(ann, body.url, { range });
          assert.equal(response.status, 206, range);
          assert.equal(response.headers.get('content-range'), `bytes ${start}-${end}/100000`, range);
          assert.equal(response.headers.get('content-length'), String(end - start + 1), range);
          assert.equal(response.headers.get('content-type'), 'image/png');
          assert.deepEqual(await bytesOf(response), bytes.slice(start, end + 1), range);
        }
      });

      test('a range past the end is a 416 naming the size; several ranges or a stale If-Range get the whole file', async () => {
        const bytes = pngOf(1_000);
        const { body } = await upload(ann, bytes);
        for (const range of ['bytes=1000-', 'bytes=5000-6000', 'bytes=-0']) {
          const refused = await download(ann, body.url, { range });
          assert.equal(refused.status, 416, range);
          assert.equal(refused.headers.get('content-range'), 'bytes */1000', range);
          const error = ((await refused.json()) as { error: { code: string; message: string } }).error;
          assert.equal(error.code, 'range_not_satisfiable');
          assert.match(error.message, /1000 bytes/);
        }
        for (const [range, ifRange] of [
          ['bytes=0-1,5-6', undefined],
          ['bytes=0-9', '"not-the-etag"'],
          ['lines=1-2', undefined],
        ] as const) {
          const whole = await download(ann, body.url, { range, ...(ifRange ? { 'if-range': ifRange } : {}) });
          assert.equal(whole.status, 200, range);
          assert.deepEqual(await bytesOf(whole), bytes);
        }
        const etag = (await download(ann, body.url)).headers.get('etag')!;
        const current = await download(ann, body.url, { range: 'bytes=0-9', 'if-range': etag });
        assert.equal(current.status, 206);
        assert.equal(await bytesOf(current).then((part) => part.length), 10);
        assert.equal((await download(bob, body.url, { range: 'bytes=0-9' })).status, 404);
      });

      test('an upload of no declared length streams through, past a storage part, and is stored whole', async () => {
        const size = PART_SIZE_BYTES + 1024 * 1024 + 17;
        const form = streamedForm(size);
        const response = await send(ann, form.body, { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` });
        const answer = (await response.json()) as any;
        assert.equal(response.status, 201, JSON.stringify(answer));
        assert.equal(answer.size, size);
        const [row] = await server.runtime.database.db.select().from(files).where(eq(files.id, answer.id));
        assert.equal(row?.sha256, form.sha256());
        const ranged = await download(ann, answer.url, {
          range: `bytes=${PART_SIZE_BYTES - 3}-${PART_SIZE_BYTES + 2}`,
        });
        assert.equal(ranged.status, 206);
        const expected = [0, 1, 2, 3, 4, 5].map((offset) => (PART_SIZE_BYTES - 3 + offset) % 253);
        assert.deepEqual([...(await bytesOf(ranged))], expected);
      });

      test('a streamed upload past the size limit is a 413, and one broken off is a 400: neither leaves bytes', async () => {
        const before = await keysOf(bob);
        const tooLarge = streamedForm(MAX_UPLOAD_BYTES + 300 * 1024);
        const refused = await send(bob, tooLarge.body, {
          'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
        }).catch((error: unknown) => error);
        // The server may end the connection before the client has sent everything; when it answers, it is a 413.
        if (refused instanceof Response) {
          assert.equal(refused.status, 413);
          assert.match(((await refused.json()) as any).error.message, new RegExp(`${MAX_UPLOAD_BYTES} bytes`));
        }
        const brokenOff = streamedForm(200_000, { chunkSize: 10_000, breakOff: true });
        const broken = await send(bob, brokenOff.body, { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` });
        assert.equal(broken.status, 400);
        assert.match(((await broken.json()) as any).error.message, /ends before the file does/);
        assert.deepEqual(await keysOf(bob), before);
        const rows = await server.runtime.database.db.select().from(files).where(eq(files.ownerId, bob.id));
        assert.equal(rows.length, 0);
      });
    });
  }
}
