// Each person's uploads stay within a storage quota (CHORUS_MAX_UPLOAD_BYTES_PER_USER), and an uploader deletes
// their own uploads (DELETE /api/files/:id) — also one already sent, which its message then shows as removed.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { files, models } from '../../src/db/schema/index.ts';
import { seedModels } from '../../src/models/seed.ts';
import { readChat } from '../support/chat-stream.ts';
import { testBackends } from '../support/database.ts';
import { type Person, signUp } from '../support/people.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const QUOTA_BYTES = 1_000;

/** A file the server takes for a PNG (its signature), of any size. */
const png = (size: number) => {
  const bytes = Buffer.alloc(size, 0x2a);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(bytes);
  return new Uint8Array(bytes);
};

for (const kind of testBackends()) {
  describe(`upload quota and deleting uploads on ${kind}`, () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'chorus-quota-'));
    let server: TestServer;
    let ann: Person;
    let bob: Person;

    before(async () => {
      server = await startTestServer(kind, {
        DATA_DIR: dataDir,
        CHORUS_MAX_UPLOAD_BYTES_PER_USER: String(QUOTA_BYTES),
      });
      await seedModels(server.runtime.database.db);
      // The offline model reads nothing; here it stands in for a model that sees the pictures it is sent.
      await server.runtime.database.db
        .update(models)
        .set({ capabilities: ['vision'] })
        .where(eq(models.id, 'local:echo'));
      await server.runtime.modelCache.refresh();
      ann = await signUp(server, 'Ann');
      bob = await signUp(server, 'Bob');
    });
    after(async () => {
      await server?.close();
      rmSync(dataDir, { recursive: true, force: true });
    });

    const upload = async (person: Person, bytes: Uint8Array, name = 'picture.png') => {
      const form = new FormData();
      form.append('file', new Blob([bytes], { type: 'image/png' }), name);
      const headers = {
        cookie: [...person.client.cookies].map(([key, value]) => `${key}=${value}`).join('; '),
        origin: 'http://chorus.test',
      };
      const response = await fetch(`${server.baseUrl}/api/files`, { method: 'POST', headers, body: form });
      return { status: response.status, body: (await response.json()) as any };
    };
    const remove = (person: Person, id: string) => person.client.delete(`/api/files/${id}`);
    const download = async (person: Person, url: string) => (await person.client.open('GET', url)).status;
    const storedBytesOf = async (id: string) => {
      const [row] = await server.runtime.database.db.select().from(files).where(eq(files.id, id));
      return row ? path.join(dataDir, 'files', ...row.storageKey.split('/')) : undefined;
    };
    const clearUploads = async (person: Person) => {
      await server.runtime.database.db.delete(files).where(eq(files.ownerId, person.id));
    };

    test('an upload that would pass the quota is a 413 naming the quota and what is used; deleting makes room', async () => {
      const first = await upload(ann, png(600), 'first.png');
      assert.equal(first.status, 201, JSON.stringify(first.body));
      const refused = await upload(ann, png(500), 'second.png');
      assert.equal(refused.status, 413);
      assert.equal(refused.body.error.code, 'payload_too_large');
      assert.match(
        refused.body.error.message,
        /second\.png \(500 bytes\) does not fit in your storage quota of 1000 bytes/,
      );
      assert.match(refused.body.error.message, /your uploads use 600 bytes, 400 are left/);
      assert.deepEqual(refused.body.error.details, { quotaBytes: QUOTA_BYTES, usedBytes: 600, sizeBytes: 500 });
      assert.equal((await upload(bob, png(500))).status, 201, "another person's quota is their own");

      assert.equal((await remove(ann, first.body.id)).status, 204);
      assert.equal((await upload(ann, png(500), 'second.png')).status, 201, 'the deleted file no longer counts');
      await clearUploads(ann);
      await clearUploads(bob);
    });

    test('two uploads at once cannot both take the room left for one', async () => {
      const results = await Promise.all([upload(ann, png(600), 'one.png'), upload(ann, png(600), 'other.png')]);
      assert.deepEqual(results.map((result) => result.status).sort(), [201, 413]);
      const rows = await server.runtime.database.db.select().from(files).where(eq(files.ownerId, ann.id));
      assert.equal(rows.length, 1);
      await clearUploads(ann);
    });

    test('deleting an upload removes its row and then its bytes; only its uploader may', async () => {
      const uploaded = await upload(ann, png(100));
      const bytesPath = (await storedBytesOf(uploaded.body.id))!;
      assert.ok(existsSync(bytesPath));
      assert.equal((await remove(bob, uploaded.body.id)).status, 404, 'to anyone else an unsent upload does not exist');
      assert.equal((await remove(ann, uploaded.body.id)).status, 204);
      assert.equal(await storedBytesOf(uploaded.body.id), undefined);
      assert.ok(!existsSync(bytesPath), 'the bytes are gone too');
      assert.equal(await download(ann, uploaded.body.url), 404);
      assert.equal((await remove(ann, uploaded.body.id)).status, 404, 'deleting twice finds nothing');
    });

    test('an upload already sent may be deleted by its uploader; its message keeps it, marked removed', async () => {
      const uploaded = await upload(ann, png(100), 'chart.png');
      const conversationId = crypto.randomUUID();
      const response = await ann.client.open(
        'POST',
        '/api/chat',
        JSON.stringify({
          id: conversationId,
          modelIds: ['local:echo'],
          visibility: 'public',
          message: {
            id: crypto.randomUUID(),
            role: 'user',
            parts: [
              { type: 'text', text: 'look at this' },
              { type: 'file', url: uploaded.body.url, mediaType: 'image/png', filename: 'chart.png' },
            ],
          },
        }),
      );
      assert.equal(response.status, 200, await response.clone().text());
      await readChat(response.body!);
      assert.equal(await download(bob, uploaded.body.url), 200, 'a reader of the conversation can fetch it');
      assert.equal((await remove(bob, uploaded.body.id)).status, 403, 'but not delete it');

      assert.equal((await remove(ann, uploaded.body.id)).status, 204);
      assert.equal(await download(bob, uploaded.body.url), 404);
      const page = await ann.client.get(`/api/conversations/${conversationId}/messages`);
      const question = page.body.items.find((message: { role: string }) => message.role === 'user');
      assert.deepEqual(question.parts[1], {
        type: 'file',
        mediaType: 'image/png',
        filename: 'chart.png',
        url: uploaded.body.url,
        removed: true,
      });
      assert.equal(
        page.body.items
          .find((message: { role: string }) => message.role === 'assistant')
          .parts.some((part: { removed?: boolean }) => part.removed),
        false,
      );
    });
  });
}
