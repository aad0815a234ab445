// Attachments over real HTTP: uploading images and PDFs (size and type checked by the bytes themselves),
// downloading them (owner and conversation readers only), and sending them in a chat to the models that can read
// them — a fake OpenAI-compatible provider records what each model was sent.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { UIMessage, UIMessageChunk } from 'ai';
import { eq } from 'drizzle-orm';
import { files, models } from '../../src/db/schema/index.ts';
import { cleanFileName } from '../../src/files/file-service.ts';
import { LocalFileStorage } from '../../src/files/local-file-storage.ts';
import { sniffMediaType, verifiedMediaType } from '../../src/files/media-types.ts';
import { fileIdFromUrl } from '../../src/files/message-files.ts';
import { readStoredFile } from '../../src/files/storage.ts';
import { registerDeclaredModels } from '../../src/providers/index.ts';
import { actorOf } from '../../src/store/index.ts';
import { readChat } from '../support/chat-stream.ts';
import { testBackends } from '../support/database.ts';
import { type FakeProvider, startFakeProvider } from '../support/fake-provider.ts';
import { type JsonResponse, startTestServer, TestClient, type TestServer } from '../support/server.ts';

process.env.AI_SDK_LOG_WARNINGS = 'false';

const MAX_UPLOAD_BYTES = 8_192;

/** Just enough of each format for its signature; the fake provider never decodes them. */
const bytesOf = (head: number[] | string, size = 64) => {
  const start = typeof head === 'string' ? Buffer.from(head, 'latin1') : Buffer.from(head);
  const bytes = Buffer.alloc(size, 0x2a);
  start.copy(bytes);
  return new Uint8Array(bytes);
};
const PNG = bytesOf([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG = bytesOf([0xff, 0xd8, 0xff, 0xe0]);
const PDF = bytesOf('%PDF-1.7\n');
const HTML = bytesOf('<html><script>alert(1)</script></html>');

type ChatResult = {
  status: number;
  message?: UIMessage;
  chunks: UIMessageChunk[];
  error?: { error: { message: string } };
};

describe('telling files apart', () => {
  test('each attachable kind is recognised by its first bytes, and nothing else is', () => {
    assert.equal(sniffMediaType(PNG), 'image/png');
    assert.equal(sniffMediaType(JPEG), 'image/jpeg');
    assert.equal(sniffMediaType(bytesOf('GIF89a')), 'image/gif');
    assert.equal(sniffMediaType(bytesOf('GIF87a')), 'image/gif');
    assert.equal(sniffMediaType(bytesOf('RIFF\x10\x00\x00\x00WEBPVP8 ')), 'image/webp');
    assert.equal(sniffMediaType(bytesOf('RIFF\x10\x00\x00\x00WAVEfmt ')), null, 'a WAV is RIFF too');
    assert.equal(sniffMediaType(PDF), 'application/pdf');
    assert.equal(sniffMediaType(HTML), null);
    assert.equal(sniffMediaType(new Uint8Array([0x89, 0x50])), null, 'too short to be anything');
  });

  test('a declaration is believed only when the bytes agree; other spellings of the same type are fine', () => {
    assert.equal(verifiedMediaType(JPEG, 'image/jpg', 'a.jpg'), 'image/jpeg');
    assert.equal(verifiedMediaType(PNG, 'IMAGE/PNG; charset=binary', 'a.png'), 'image/png');
    assert.equal(verifiedMediaType(PDF, 'application/octet-stream', 'a'), 'application/pdf');
    assert.throws(
      () => verifiedMediaType(PDF, 'image/png', 'a.png'),
      /declared as image\/png but its content is application\/pdf/,
    );
  });

  test('file names lose folders and control characters; upload URLs are read relative or absolute', () => {
    assert.equal(cleanFileName('C:\\fakepath\\photo.jpg'), 'photo.jpg');
    assert.equal(cleanFileName('../../etc/passwd'), 'passwd');
    assert.equal(cleanFileName('bad\u0000name\n.png'), 'badname.png');
    assert.equal(cleanFileName(''), 'file');
    const id = crypto.randomUUID();
    assert.equal(fileIdFromUrl(`/api/files/${id}`), id);
    assert.equal(fileIdFromUrl(`https://chat.example/api/files/${id}?download=1`), id);
    assert.equal(fileIdFromUrl(`/api/files/${id}/extra`), null);
    assert.equal(fileIdFromUrl('data:image/png;base64,AAAA'), null);
    assert.equal(fileIdFromUrl('/api/files/not-an-id'), null);
  });

  test('the folder storage keeps bytes under its root, and no key can reach outside it', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'chorus-storage-'));
    try {
      const storage = new LocalFileStorage(root);
      await storage.put('owner/file-1', PNG, { mediaType: 'image/png' });
      assert.deepEqual(await readStoredFile(storage, 'owner/file-1'), PNG);
      assert.equal(await storage.get('owner/missing'), null);
      await storage.delete('owner/file-1');
      await storage.delete('owner/file-1');
      assert.equal(await storage.get('owner/file-1'), null);
      for (const key of ['../escape', 'owner/../../escape', '/absolute', 'a//b', '.hidden']) {
        await assert.rejects(storage.put(key, PNG, { mediaType: 'image/png' }), /invalid file storage key/, key);
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

for (const kind of testBackends()) {
  describe(`attachments on ${kind}`, () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'chorus-files-'));
    let server: TestServer;
    let fake: FakeProvider;
    let alice: { id: string; key: string };
    let bob: { id: string; key: string };

    const signUp = async (name: string) => {
      const browser = new TestClient(server.baseUrl);
      const account = await browser.post('/api/auth/sign-up/email', {
        email: `${name}-${kind}@example.test`,
        password: 'a long enough password',
        name,
      });
      assert.equal(account.status, 200, JSON.stringify(account.body));
      const key = await browser.post('/api/keys', { name: 'tests' });
      assert.equal(key.status, 201, JSON.stringify(key.body));
      return { id: account.body.user.id as string, key: key.body.key as string };
    };

    before(async () => {
      fake = await startFakeProvider({ models: { eye: { reply: 'I see it.' }, blind: { reply: 'I only read.' } } });
      server = await startTestServer(kind, {
        DATA_DIR: dataDir,
        CHORUS_MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES),
        CHORUS_PROVIDER_FAKE_BASE_URL: fake.baseURL,
        CHORUS_PROVIDER_FAKE_MODELS: 'eye,blind,pictures',
      });
      const db = server.runtime.database.db;
      await registerDeclaredModels(db, server.runtime.providers);
      await db
        .update(models)
        .set({ capabilities: ['vision', 'pdf'] })
        .where(eq(models.id, 'fake:eye'));
      await db
        .update(models)
        .set({ capabilities: ['vision'] })
        .where(eq(models.id, 'fake:pictures'));
      await server.runtime.modelCache.refresh();
      alice = await signUp('alice');
      bob = await signUp('bob');
    });
    after(async () => {
      await server?.close();
      await fake?.close();
      rmSync(dataDir, { recursive: true, force: true });
    });

    const upload = async (bytes: Uint8Array, type: string, name: string, key = alice.key): Promise<JsonResponse> => {
      const form = new FormData();
      form.append('file', new Blob([bytes], { type }), name);
      const response = await fetch(`${server.baseUrl}/api/files`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}` },
        body: form,
      });
      return { status: response.status, body: await response.json(), headers: response.headers };
    };

    const download = (url: string, key: string | null = alice.key) =>
      fetch(server.baseUrl + url, { headers: key ? { authorization: `Bearer ${key}` } : {} });

    const send = async (body: unknown, key = alice.key): Promise<ChatResult> => {
      const response = await fetch(`${server.baseUrl}/api/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify(body),
      });
      if (!response.headers.get('content-type')?.startsWith('text/event-stream')) {
        return { status: response.status, chunks: [], error: (await response.json()) as ChatResult['error'] };
      }
      return { status: response.status, ...(await readChat(response.body!)) };
    };

    const messageWith = (text: string, ...uploads: { url: string; mediaType: string; name: string }[]) => ({
      id: crypto.randomUUID(),
      role: 'user',
      parts: [
        { type: 'text', text },
        ...uploads.map((file) => ({ type: 'file', url: file.url, mediaType: file.mediaType, filename: file.name })),
      ],
    });

    /** The user turns a model was sent, as the OpenAI-compatible wire has them. */
    const userTurnsSentTo = (model: string, marker: string) => {
      const request = fake.requestsFor(model).find((candidate) => JSON.stringify(candidate.messages).includes(marker));
      assert.ok(request, `${model} was asked about ${marker}`);
      return (request.messages as { role: string; content: unknown }[]).filter((message) => message.role === 'user');
    };

    test('an image is stored and comes back byte for byte to its owner, with its checked type', async () => {
      const uploaded = await upload(PNG, 'image/png', 'cat.png');
      assert.equal(uploaded.status, 201, JSON.stringify(uploaded.body));
      assert.deepEqual(Object.keys(uploaded.body).sort(), ['id', 'mediaType', 'name', 'size', 'url']);
      assert.equal(uploaded.body.url, `/api/files/${uploaded.body.id}`);
      assert.equal(uploaded.body.mediaType, 'image/png');
      assert.equal(uploaded.body.size, PNG.length);
      assert.equal(uploaded.body.name, 'cat.png');

      const response = await download(uploaded.body.url);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-type'), 'image/png');
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
      assert.deepEqual(new Uint8Array(await response.arrayBuffer()), PNG);

      const [row] = await server.runtime.database.db.select().from(files).where(eq(files.id, uploaded.body.id));
      assert.equal(row!.ownerId, alice.id);
      assert.equal(row!.conversationId, null);
      assert.equal(row!.sha256, createHash('sha256').update(PNG).digest('hex'));
      assert.ok(
        existsSync(path.join(dataDir, 'files', ...row!.storageKey.split('/'))),
        'the bytes live under DATA_DIR/files',
      );

      const again = await download(uploaded.body.url);
      const unchanged = await fetch(server.baseUrl + uploaded.body.url, {
        headers: { authorization: `Bearer ${alice.key}`, 'if-none-match': again.headers.get('etag')! },
      });
      await again.body?.cancel();
      assert.equal(unchanged.status, 304);
    });

    test('nobody else can download an upload that was never sent: 404, and 401 without signing in', async () => {
      const uploaded = await upload(JPEG, 'image/jpeg', 'private.jpg');
      assert.equal(uploaded.status, 201);
      const byBob = await download(uploaded.body.url, bob.key);
      assert.equal(byBob.status, 404);
      assert.match(((await byBob.json()) as { error: { message: string } }).error.message, /not found/);
      assert.equal((await download(uploaded.body.url, null)).status, 401);
      assert.equal((await download(`/api/files/${crypto.randomUUID()}`)).status, 404);
    });

    test('a file over the size limit is refused with 413 naming the limit', async () => {
      const justOver = await upload(
        bytesOf([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], MAX_UPLOAD_BYTES + 1),
        'image/png',
        'big.png',
      );
      assert.equal(justOver.status, 413);
      assert.match(justOver.body.error.message, new RegExp(`at most ${MAX_UPLOAD_BYTES} bytes`));
      // Far over: refused from the request size, before the body is read into memory.
      const farOver = await upload(bytesOf('%PDF-', 100_000), 'application/pdf', 'huge.pdf');
      assert.equal(farOver.status, 413);
      assert.match(farOver.body.error.message, new RegExp(`limit of ${MAX_UPLOAD_BYTES} bytes`));
    });

    test('a file that is neither an image nor a PDF is refused with 415', async () => {
      const text = await upload(new TextEncoder().encode('just some notes'), 'text/plain', 'notes.txt');
      assert.equal(text.status, 415);
      assert.match(
        text.body.error.message,
        /notes\.txt \(declared as text\/plain\) is not a PNG, JPEG, WebP or GIF image or a PDF/,
      );
      const empty = await upload(new Uint8Array(0), 'image/png', 'empty.png');
      assert.equal(empty.status, 400);
      const missing = await fetch(`${server.baseUrl}/api/files`, {
        method: 'POST',
        headers: { authorization: `Bearer ${alice.key}` },
        body: new FormData(),
      });
      assert.equal(missing.status, 400);
    });

    test('a file whose bytes are not what it claims is refused with 415 naming both', async () => {
      const disguised = await upload(HTML, 'image/png', 'innocent.png');
      assert.equal(disguised.status, 415);
      assert.match(disguised.body.error.message, /innocent\.png \(declared as image\/png\) is not a PNG/);
      const mislabelled = await upload(JPEG, 'image/png', 'photo.png');
      assert.equal(mislabelled.status, 415);
      assert.match(
        mislabelled.body.error.message,
        /photo\.png is declared as image\/png but its content is image\/jpeg/,
      );
    });

    test('an upload that does not say its type gets the type its bytes have', async () => {
      const uploaded = await upload(PDF, '', 'report');
      assert.equal(uploaded.status, 201, JSON.stringify(uploaded.body));
      assert.equal(uploaded.body.mediaType, 'application/pdf');
    });

    test('an image sent to a vision model reaches it as the image itself, and readers of the chat can fetch it', async () => {
      const image = (await upload(PNG, 'image/png', 'cat.png')).body;
      const conversationId = crypto.randomUUID();
      const result = await send({
        id: conversationId,
        messages: [messageWith('what is in this picture?', image)],
        modelIds: ['fake:eye'],
        visibility: 'public',
      });
      assert.equal(result.status, 200, JSON.stringify(result.error));

      const [question] = userTurnsSentTo('eye', 'what is in this picture?');
      const content = question!.content as { type: string; image_url?: { url: string } }[];
      const sentImage = content.find((part) => part.type === 'image_url');
      assert.equal(sentImage?.image_url?.url, `data:image/png;base64,${Buffer.from(PNG).toString('base64')}`);

      const actor = actorOf(await server.runtime.store.users.getById(alice.id));
      const [stored] = (await server.runtime.store.messages.page({ actor, conversationId, limit: 10 })).items.reverse();
      assert.deepEqual(stored!.parts, [
        { type: 'text', text: 'what is in this picture?' },
        { type: 'file', mediaType: 'image/png', filename: 'cat.png', url: image.url },
      ]);
      assert.equal(stored!.attachments[0]?.url, image.url);
      assert.equal(stored!.attachments[0]?.sizeBytes, PNG.length);

      // The conversation is public: anyone who can read it can see its pictures.
      const byBob = await download(image.url, bob.key);
      assert.equal(byBob.status, 200);
      assert.deepEqual(new Uint8Array(await byBob.arrayBuffer()), PNG);
    });

    test('a model that cannot see images is refused by name, naming the file, before anything is saved', async () => {
      const image = (await upload(PNG, 'image/png', 'chart.png')).body;
      const conversationId = crypto.randomUUID();
      const result = await send({
        id: conversationId,
        messages: [messageWith('read this', image)],
        modelIds: ['fake:eye', 'fake:blind'],
      });
      assert.equal(result.status, 400);
      assert.match(
        result.error!.error.message,
        /fake:blind: the model cannot read the image chart\.png \(it lacks vision\)/,
      );
      assert.doesNotMatch(result.error!.error.message, /fake:eye/);
      const [row] = await server.runtime.database.db.select().from(files).where(eq(files.id, image.id));
      assert.equal(row!.conversationId, null, 'the file was not attached');
    });

    test('a PDF goes to a model that reads PDFs as the document itself; a model that does not is refused', async () => {
      const pdf = (await upload(PDF, 'application/pdf', 'report.pdf')).body;
      const conversationId = crypto.randomUUID();
      const refused = await send({
        id: conversationId,
        messages: [messageWith('summarise', pdf)],
        modelIds: ['fake:pictures'],
      });
      assert.equal(refused.status, 400);
      assert.match(
        refused.error!.error.message,
        /fake:pictures: the model cannot read the PDF report\.pdf \(it lacks pdf\)/,
      );

      const result = await send({
        id: conversationId,
        messages: [messageWith('summarise this report', pdf)],
        modelIds: ['fake:eye'],
      });
      assert.equal(result.status, 200, JSON.stringify(result.error));
      const [question] = userTurnsSentTo('eye', 'summarise this report');
      const content = question!.content as { type: string; file?: { filename: string; file_data: string } }[];
      const sentFile = content.find((part) => part.type === 'file');
      assert.equal(sentFile?.file?.file_data, `data:application/pdf;base64,${Buffer.from(PDF).toString('base64')}`);
      assert.equal(sentFile?.file?.filename, 'report.pdf');
    });

    test('earlier pictures reach a model that cannot see them as a short note, not a failure', async () => {
      const image = (await upload(PNG, 'image/png', 'sunset.png')).body;
      const conversationId = crypto.randomUUID();
      const first = await send({
        id: conversationId,
        messages: [messageWith('look at this sunset', image)],
        modelIds: ['fake:eye'],
      });
      assert.equal(first.status, 200, JSON.stringify(first.error));
      const second = await send({
        id: conversationId,
        messages: [{ id: crypto.randomUUID(), role: 'user', parts: [{ type: 'text', text: 'now tell me a poem' }] }],
        modelIds: ['fake:blind'],
      });
      assert.equal(second.status, 200, JSON.stringify(second.error));
      const turns = userTurnsSentTo('blind', 'now tell me a poem');
      assert.deepEqual(turns[0]!.content, [
        { type: 'text', text: 'look at this sunset' },
        { type: 'text', text: '[image: sunset.png]' },
      ]);
      assert.doesNotMatch(JSON.stringify(turns), /base64/);
    });

    test("a message may only carry the sender's own uploads, named by their URL", async () => {
      const bobsImage = (await upload(PNG, 'image/png', 'bobs.png', bob.key)).body;
      const conversationId = crypto.randomUUID();
      const foreign = await send({
        id: conversationId,
        messages: [messageWith('mine now', bobsImage)],
        modelIds: ['fake:eye'],
      });
      assert.equal(foreign.status, 404);
      assert.match(foreign.error!.error.message, new RegExp(`file ${bobsImage.id} not found among your uploads`));

      const inline = await send({
        id: conversationId,
        messages: [
          messageWith('inline', {
            url: `data:image/png;base64,${Buffer.from(PNG).toString('base64')}`,
            mediaType: 'image/png',
            name: 'x.png',
          }),
        ],
        modelIds: ['fake:eye'],
      });
      assert.equal(inline.status, 400);
      assert.match(inline.error!.error.message, /upload the file with POST \/api\/files first/);

      const absolute = (await upload(PNG, 'image/png', 'absolute.png')).body;
      const byAbsoluteUrl = await send({
        id: conversationId,
        messages: [messageWith('absolute url', { ...absolute, url: `${server.baseUrl}${absolute.url}` })],
        modelIds: ['fake:eye'],
      });
      assert.equal(byAbsoluteUrl.status, 200, JSON.stringify(byAbsoluteUrl.error));
    });
  });
}
