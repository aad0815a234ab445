// Transcripts, exports and imports over real HTTP, with encryption at rest on (so every export decrypts): each
// format's content field by field, stored transcripts, outsiders refused, the zip of everything of mine, and
// imports of Chorus transcripts (a round trip, files included) and of a ChatGPT export, all or nothing.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { count, eq } from 'drizzle-orm';
import { conversations, files, messages, models } from '../../src/db/schema/index.ts';
import { attachmentOf, filePartOf } from '../../src/files/message-files.ts';
import { seedModels } from '../../src/models/seed.ts';
import { CSV_COLUMNS } from '../../src/transcripts/csv-transcript.ts';
import { chatGptExport, T0 } from '../support/chatgpt-export.ts';
import { testBackends } from '../support/database.ts';
import { type Person, signUp } from '../support/people.ts';
import { solidPng } from '../support/png.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { parseCsv, readZip } from '../support/zip.ts';

const MAX_IMPORT_BYTES = 1024 * 1024;

for (const kind of testBackends()) {
  describe(`transcripts, exports and imports on ${kind}`, () => {
    let server: TestServer;
    let owner: Person;
    let member: Person;
    let outsider: Person;
    /** Owner and member talk with local:echo; one reply failed; the owner's question carries a PNG. */
    let groupId: string;
    /** The owner alone with one reply, a picture and a vote: what a round trip must give back unchanged. */
    let soloId: string;
    let picture: Buffer;
    let pictureId: string;
    /** How the offline model is named. */
    let echoName: string;

    before(async () => {
      server = await startTestServer(kind, {
        CHORUS_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
        CHORUS_MAX_IMPORT_BYTES: String(MAX_IMPORT_BYTES),
      });
      const db = server.runtime.database.db;
      await seedModels(db);
      await server.runtime.modelCache.refresh();
      [{ echoName }] = (await db
        .select({ echoName: models.displayName })
        .from(models)
        .where(eq(models.id, 'local:echo'))) as [{ echoName: string }];
      owner = await signUp(server, `Owner ${kind}`);
      member = await signUp(server, `Member ${kind}`);
      outsider = await signUp(server, `Outsider ${kind}`);
      picture = solidPng(3, 2, [200, 30, 30]);
      const store = server.runtime.store;

      const upload = async (name: string) => {
        const record = await server.runtime.files.upload({
          actor: owner.actor,
          body: new Response(new Uint8Array(picture)).body!,
          declaredType: 'image/png',
          name,
        });
        return record;
      };

      const groupFile = await upload('red, "quoted".png');
      pictureId = groupFile.id;
      groupId = crypto.randomUUID();
      await store.messages.saveInNewConversation({
        actor: owner.actor,
        conversation: { id: groupId, title: 'Group: tides, "and" more', modelIds: ['local:echo'] },
        messages: [
          {
            role: 'user',
            content: 'Why are there tides?\nTwo lines, a comma.',
            parts: [{ type: 'text', text: 'Why are there tides?\nTwo lines, a comma.' }, filePartOf(groupFile)],
            attachments: [attachmentOf(groupFile)],
            createdAt: new Date('2026-01-01T10:00:00.000Z'),
          },
        ],
      });
      await store.files.attachToConversation({ actor: owner.actor, ids: [groupFile.id], conversationId: groupId });
      const [reply] = await store.messages.save({
        actor: owner.actor,
        conversationId: groupId,
        messages: [
          {
            role: 'assistant',
            modelId: 'local:echo',
            modelVersion: 1,
            content: 'The Moon pulls the sea.',
            parts: [{ type: 'text', text: 'The Moon pulls the sea.' }],
            inputTokens: 12,
            outputTokens: 6,
            cachedInputTokens: 0,
            costUsd: 0.000123,
            latencyMs: 250,
            createdAt: new Date('2026-01-01T10:00:01.000Z'),
          },
        ],
      });
      await store.participants.add({ actor: owner.actor, conversationId: groupId, userId: member.id });
      await store.messages.save({
        actor: member.actor,
        conversationId: groupId,
        messages: [
          {
            role: 'user',
            content: 'And the Sun?',
            parts: [{ type: 'text', text: 'And the Sun?' }],
            createdAt: new Date('2026-01-01T10:01:00.000Z'),
          },
        ],
      });
      await store.messages.save({
        actor: member.actor,
        conversationId: groupId,
        messages: [
          {
            role: 'assistant',
            modelId: 'local:echo',
            status: 'error',
            content: '',
            parts: [],
            metadata: { error: 'the provider timed out' },
            createdAt: new Date('2026-01-01T10:01:01.000Z'),
          },
        ],
      });
      await store.votes.vote({ actor: owner.actor, conversationId: groupId, messageId: reply!.id, isUpvoted: true });
      await store.votes.vote({ actor: member.actor, conversationId: groupId, messageId: reply!.id, isUpvoted: false });

      const soloFile = await upload('solo.png');
      soloId = crypto.randomUUID();
      const solo = await store.messages.saveInNewConversation({
        actor: owner.actor,
        conversation: { id: soloId, title: 'Solo', modelIds: ['local:echo'], parameters: { temperature: 0.3 } },
        messages: [
          {
            role: 'user',
            content: 'Look',
            parts: [{ type: 'text', text: 'Look' }, filePartOf(soloFile)],
            attachments: [attachmentOf(soloFile)],
            createdAt: new Date('2026-02-01T09:00:00.000Z'),
          },
        ],
      });
      await store.files.attachToConversation({ actor: owner.actor, ids: [soloFile.id], conversationId: soloId });
      const [soloReply] = await store.messages.save({
        actor: owner.actor,
        conversationId: soloId,
        messages: [
          {
            role: 'assistant',
            modelId: 'local:echo',
            modelVersion: 1,
            parentId: solo.messages[0]!.id,
            content: 'A red picture.',
            parts: [
              { type: 'reasoning', text: 'It is red.' },
              { type: 'text', text: 'A red picture.' },
            ],
            inputTokens: 40,
            outputTokens: 4,
            costUsd: 0.5,
            latencyMs: 10,
            createdAt: new Date('2026-02-01T09:00:01.000Z'),
          },
        ],
      });
      await store.votes.vote({ actor: owner.actor, conversationId: soloId, messageId: soloReply!.id, isUpvoted: true });
    });
    after(() => server?.close());

    const download = async (person: Person, path: string) => {
      const response = await person.client.open('GET', path);
      return { response, bytes: Buffer.from(await response.arrayBuffer()) };
    };
    const exportOf = async (person: Person, conversationId: string, format: string, query = '') => {
      const { response, bytes } = await download(
        person,
        `/api/conversations/${conversationId}/export?format=${format}${query}`,
      );
      assert.equal(response.status, 200, bytes.toString());
      return { response, text: bytes.toString('utf8') };
    };

    test('the JSON export is the whole conversation, decrypted: people, models, every field of every message, votes and files', async () => {
      const { response, text } = await exportOf(member, groupId, 'json');
      assert.equal(response.headers.get('content-type'), 'application/json');
      assert.match(
        response.headers.get('content-disposition')!,
        /^attachment; filename="group-tides-and-more-[0-9a-f]{8}\.json"/,
      );
      const exported = JSON.parse(text);
      assert.equal(exported.format, 'chorus.conversation');
      assert.equal(exported.version, 1);
      assert.equal(exported.exportedBy, member.id);
      assert.equal(exported.conversation.id, groupId);
      assert.equal(exported.conversation.title, 'Group: tides, "and" more');
      assert.equal(exported.conversation.ownerId, owner.id);
      assert.deepEqual(
        exported.people.map((person: { id: string; displayName: string; role: string }) => [
          person.id,
          person.displayName,
          person.role,
        ]),
        [
          [owner.id, `Owner ${kind}`, 'owner'],
          [member.id, `Member ${kind}`, 'member'],
        ],
      );
      assert.deepEqual(
        exported.models.map((model: { id: string; inConversation: boolean }) => [model.id, model.inConversation]),
        [['local:echo', true]],
      );
      assert.equal(exported.messageCount, 4);
      const [question, reply, memberQuestion, failed] = exported.messages;
      assert.equal(question.role, 'user');
      assert.equal(question.senderId, owner.id);
      assert.equal(question.content, 'Why are there tides?\nTwo lines, a comma.');
      assert.equal(question.parts[1].type, 'file');
      assert.equal(question.parts[1].url, `/api/files/${pictureId}`);
      assert.deepEqual(question.attachments, [
        { fileId: pictureId, name: 'red, "quoted".png', mediaType: 'image/png', sizeBytes: picture.length },
      ]);
      assert.equal(question.createdAt, '2026-01-01T10:00:00.000Z');
      assert.equal(reply.role, 'assistant');
      assert.equal(reply.modelId, 'local:echo');
      assert.equal(reply.modelVersion, 1);
      assert.equal(reply.senderId, null);
      assert.deepEqual(reply.usage, { inputTokens: 12, outputTokens: 6, cachedInputTokens: 0 });
      assert.equal(reply.costUsd, 0.000123);
      assert.equal(reply.latencyMs, 250);
      assert.equal(reply.status, 'complete');
      assert.deepEqual(reply.votes, { up: 1, down: 1, mine: 'down' });
      assert.equal(memberQuestion.senderId, member.id);
      assert.deepEqual(memberQuestion.votes, { up: 0, down: 0, mine: null });
      assert.equal(failed.status, 'error');
      assert.deepEqual(failed.metadata, { error: 'the provider timed out' });
      assert.equal(exported.files.length, 1);
      const [file] = exported.files;
      assert.equal(file.id, pictureId);
      assert.equal(file.sha256, createHash('sha256').update(picture).digest('hex'));
      assert.deepEqual(Buffer.from(file.data, 'base64'), picture);

      const withoutFiles = JSON.parse((await exportOf(member, groupId, 'json', '&files=false')).text);
      assert.equal(withoutFiles.files[0].data, undefined);
      assert.equal(withoutFiles.files[0].sha256, file.sha256);
    });

    test('the CSV export has one row per message: time, speaker, role, model, text, tokens, cost', async () => {
      const { response, text } = await exportOf(owner, groupId, 'csv');
      assert.equal(response.headers.get('content-type'), 'text/csv; charset=utf-8');
      const rows = parseCsv(text);
      assert.deepEqual(rows[0], [...CSV_COLUMNS]);
      assert.deepEqual(rows.slice(1), [
        [
          '2026-01-01T10:00:00.000Z',
          `Owner ${kind}`,
          'user',
          '',
          'Why are there tides?\nTwo lines, a comma.',
          '',
          '',
          '',
        ],
        [
          '2026-01-01T10:00:01.000Z',
          `${echoName} (local:echo)`,
          'assistant',
          'local:echo',
          'The Moon pulls the sea.',
          '12',
          '6',
          '0.000123',
        ],
        ['2026-01-01T10:01:00.000Z', `Member ${kind}`, 'user', '', 'And the Sun?', '', '', ''],
        ['2026-01-01T10:01:01.000Z', `${echoName} (local:echo)`, 'assistant', 'local:echo', '', '', '', ''],
      ]);
    });

    test('the Markdown export names the conversation, its people and models, and each speaker', async () => {
      const { response, text } = await exportOf(owner, groupId, 'md');
      assert.equal(response.headers.get('content-type'), 'text/markdown; charset=utf-8');
      assert.ok(text.startsWith('# Group: tides, "and" more\n'), text);
      assert.ok(text.includes(`- People: Owner ${kind} (owner), Member ${kind}\n`), text);
      assert.ok(text.includes(`- Models: ${echoName} (local:echo)\n`), text);
      assert.ok(
        text.includes(`### Owner ${kind} · 2026-01-01 10:00 UTC\n\nWhy are there tides?\nTwo lines, a comma.\n`),
        text,
      );
      assert.ok(text.includes('> Attachment: red, "quoted".png (image/png)'), text);
      assert.ok(
        text.includes(`### ${echoName} (local:echo) · 2026-01-01 10:00 UTC\n\nThe Moon pulls the sea.\n`),
        text,
      );
      assert.ok(text.includes(`### Member ${kind} · 2026-01-01 10:01 UTC\n\nAnd the Sun?\n`), text);
      assert.ok(text.includes('> The reply failed: the provider timed out.'), text);
    });

    test('a stored transcript is recorded with its size, message count and checksum, listed, and downloads whole', async () => {
      const saved = await member.client.post(`/api/conversations/${groupId}/transcripts`, { format: 'csv' });
      assert.equal(saved.status, 201, JSON.stringify(saved.body));
      assert.equal(saved.body.format, 'csv');
      assert.equal(saved.body.messageCount, 4);
      assert.equal(saved.body.createdBy, member.id);
      const listed = await owner.client.get(`/api/conversations/${groupId}/transcripts`);
      assert.equal(listed.status, 200);
      assert.deepEqual(
        listed.body.items.map((item: { id: string }) => item.id),
        [saved.body.id],
      );
      const { response, bytes } = await download(owner, saved.body.url);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-type'), 'text/csv; charset=utf-8');
      assert.match(response.headers.get('content-disposition')!, /filename="group-tides-and-more-[0-9a-f]{8}\.csv"/);
      assert.equal(bytes.length, saved.body.sizeBytes);
      assert.equal(createHash('sha256').update(bytes).digest('hex'), saved.body.checksum);
      assert.equal(bytes.toString(), (await exportOf(owner, groupId, 'csv')).text);
      // Found only under its own conversation.
      assert.equal(
        (await download(owner, `/api/conversations/${soloId}/transcripts/${saved.body.id}`)).response.status,
        404,
      );
      assert.equal(
        (await owner.client.post(`/api/conversations/${groupId}/transcripts`, { format: 'pdf' })).status,
        400,
      );
    });

    test('an outsider gets 404 for the export and for every transcript route', async () => {
      const saved = await owner.client.post(`/api/conversations/${soloId}/transcripts`, { format: 'md' });
      assert.equal(saved.status, 201);
      for (const format of ['json', 'csv', 'md']) {
        const { response, bytes } = await download(outsider, `/api/conversations/${soloId}/export?format=${format}`);
        assert.equal(response.status, 404, bytes.toString());
        assert.equal(JSON.parse(bytes.toString()).error.code, 'not_found');
      }
      assert.equal((await outsider.client.get(`/api/conversations/${soloId}/transcripts`)).status, 404);
      assert.equal(
        (await outsider.client.post(`/api/conversations/${soloId}/transcripts`, { format: 'json' })).status,
        404,
      );
      assert.equal((await download(outsider, saved.body.url)).response.status, 404);
    });

    /** Ids become their order of first appearance and times go, so two exports compare by content alone. */
    const withoutIdsAndTimes = (exported: Record<string, unknown>) => {
      const ids = new Map<string, string>();
      const text = JSON.stringify({ ...exported, exportedAt: null }).replace(
        /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g,
        (id) => {
          if (!ids.has(id)) ids.set(id, `id-${ids.size}`);
          return ids.get(id)!;
        },
      );
      const normalized = JSON.parse(text);
      normalized.conversation.createdAt = null;
      normalized.conversation.lastMessageAt = null;
      return normalized;
    };

    test('export → import → export gives the same conversation under a new id, its file restored as my upload', async () => {
      const first = JSON.parse((await exportOf(owner, soloId, 'json')).text);
      const imported = await owner.client.post('/api/conversations/import', first);
      assert.equal(imported.status, 201, JSON.stringify(imported.body));
      assert.equal(imported.body.source, 'chorus');
      const [created] = imported.body.conversations;
      assert.notEqual(created.id, soloId);
      assert.deepEqual({ ...created, id: null }, { id: null, title: 'Solo', messageCount: 2, fileCount: 1 });
      const second = JSON.parse((await exportOf(owner, created.id, 'json')).text);
      assert.equal(second.conversation.id, created.id);
      assert.equal(second.messages[0].createdAt, first.messages[0].createdAt, 'message times are kept');
      assert.deepEqual(withoutIdsAndTimes(second), withoutIdsAndTimes(first));
      // The file is a new upload of the importer's, with the same bytes.
      const fileId = second.files[0].id;
      assert.notEqual(fileId, first.files[0].id);
      const { response, bytes } = await download(owner, `/api/files/${fileId}`);
      assert.equal(response.status, 200);
      assert.deepEqual(bytes, picture);
      const [row] = await server.runtime.database.db.select().from(files).where(eq(files.id, fileId));
      assert.equal(row!.ownerId, owner.id);
      assert.equal(row!.conversationId, created.id);
    });

    test("an import by someone else keeps the others' speakers by name and a model this server lacks as attribution", async () => {
      const exported = JSON.parse((await exportOf(owner, groupId, 'json', '&files=false')).text);
      exported.messages[1].modelId = 'retired:oracle';
      exported.models.push({
        id: 'retired:oracle',
        provider: 'retired',
        name: 'oracle',
        displayName: 'The Oracle',
        inConversation: true,
      });
      const imported = await member.client.post('/api/conversations/import', exported);
      assert.equal(imported.status, 201, JSON.stringify(imported.body));
      const id = imported.body.conversations[0].id;
      const again = JSON.parse((await exportOf(member, id, 'json')).text);
      const [question, reply, memberQuestion] = again.messages;
      assert.equal(question.senderId, null);
      assert.equal(question.metadata.importedSpeaker, `Owner ${kind}`);
      assert.equal(question.parts[1].removed, true, 'the file was not carried');
      assert.deepEqual(question.attachments, []);
      assert.equal(reply.modelId, null);
      assert.deepEqual(reply.metadata.importedModel, { id: 'retired:oracle', name: 'The Oracle' });
      assert.equal(memberQuestion.senderId, member.id);
      assert.deepEqual(
        again.models.map((model: { id: string }) => model.id),
        ['local:echo'],
      );
      const csv = parseCsv((await exportOf(member, id, 'csv')).text);
      assert.deepEqual(csv[1]!.slice(1, 4), [`Owner ${kind}`, 'user', '']);
      assert.deepEqual(csv[2]!.slice(1, 4), ['The Oracle (retired:oracle)', 'assistant', 'retired:oracle']);
    });

    test('a ChatGPT export imports each conversation flattened to its current branch', async () => {
      const imported = await owner.client.post('/api/conversations/import', chatGptExport);
      assert.equal(imported.status, 201, JSON.stringify(imported.body));
      assert.equal(imported.body.source, 'chatgpt');
      assert.deepEqual(
        imported.body.conversations.map((item: { title: string; messageCount: number }) => [
          item.title,
          item.messageCount,
        ]),
        [
          ['Tides and the moon', 4],
          ['Short one', 2],
        ],
      );
      const exported = JSON.parse((await exportOf(owner, imported.body.conversations[0].id, 'json')).text);
      assert.deepEqual(
        exported.messages.map(
          (message: { role: string; content: string; modelId: string | null; createdAt: string }) => [
            message.role,
            message.content,
            message.modelId,
            message.createdAt,
          ],
        ),
        [
          ['user', 'Why are there two tides a day?', null, new Date((T0 + 100) * 1000).toISOString()],
          [
            'assistant',
            'Because the Earth and Moon orbit a common centre.',
            'openai:gpt-4o',
            new Date((T0 + 120) * 1000).toISOString(),
          ],
          ['user', 'Thanks!', null, new Date((T0 + 200) * 1000).toISOString()],
          ['assistant', 'You are welcome.', null, new Date((T0 + 210) * 1000).toISOString()],
        ],
      );
      assert.deepEqual(exported.messages[3].metadata.importedModel, { id: 'openai:o9-unknown', name: 'o9-unknown' });
      assert.equal(exported.messages[0].senderId, owner.id);
      assert.equal(exported.messages[1].parentId, exported.messages[0].id);
      assert.equal(exported.conversation.createdAt, new Date(T0 * 1000).toISOString());
      assert.deepEqual(
        exported.models.map((model: { id: string }) => model.id),
        ['openai:gpt-4o'],
      );
    });

    test('a bad import is a 400 naming every problem, and nothing is written', async () => {
      const db = server.runtime.database.db;
      const counts = async () => ({
        conversations: (await db.select({ n: count() }).from(conversations))[0]!.n,
        messages: (await db.select({ n: count() }).from(messages))[0]!.n,
        files: (await db.select({ n: count() }).from(files))[0]!.n,
      });
      const before = await counts();
      const exported = JSON.parse((await exportOf(owner, soloId, 'json')).text);
      const broken = structuredClone(exported);
      broken.messages[0].role = 'wizard';
      delete broken.messages[1].createdAt;
      broken.files[0].data = Buffer.from('not the picture').toString('base64');
      const refused = await owner.client.post('/api/conversations/import', broken);
      assert.equal(refused.status, 400);
      assert.equal(refused.body.error.code, 'invalid_input');
      const paths = refused.body.error.details.map((problem: { path: string }) => problem.path);
      assert.deepEqual(paths.sort(), ['messages.0.role', 'messages.1.createdAt']);

      const damaged = structuredClone(exported);
      damaged.files[0].data = Buffer.from('x'.repeat(damaged.files[0].sizeBytes)).toString('base64');
      damaged.messageCount = 5;
      const refusedAgain = await owner.client.post('/api/conversations/import', damaged);
      assert.equal(refusedAgain.status, 400);
      assert.deepEqual(
        refusedAgain.body.error.details.map((problem: { path: string }) => problem.path),
        ['messageCount', 'files.0.data'],
      );
      assert.match(refusedAgain.body.error.message, /does not match its sha256/);

      const chatGptBroken = structuredClone(chatGptExport);
      (chatGptBroken[0] as { current_node: string }).current_node = 'nowhere';
      const refusedChatGpt = await owner.client.post('/api/conversations/import', chatGptBroken);
      assert.equal(refusedChatGpt.status, 400);
      assert.deepEqual(refusedChatGpt.body.error.details, [
        { path: '0.current_node', message: 'names nowhere, which is not in mapping' },
      ]);
      const neither = await owner.client.post('/api/conversations/import', { hello: 'world' });
      assert.equal(neither.status, 400);
      assert.match(neither.body.error.message, /neither a Chorus transcript/);

      // A file this server would refuse as an upload fails the whole import, after the conversations were read.
      const notAPicture = structuredClone(exported);
      const html = Buffer.from('<html></html>');
      notAPicture.files[0] = {
        ...notAPicture.files[0],
        data: html.toString('base64'),
        sizeBytes: html.length,
        sha256: createHash('sha256').update(html).digest('hex'),
      };
      const refusedFile = await owner.client.post('/api/conversations/import', notAPicture);
      assert.equal(refusedFile.status, 400, JSON.stringify(refusedFile.body));
      assert.equal(refusedFile.body.error.details[0].path, 'files.0');

      const tooLarge = await owner.client.request(
        'POST',
        '/api/conversations/import',
        JSON.stringify({ format: 'chorus.conversation', padding: 'x'.repeat(MAX_IMPORT_BYTES) }),
      );
      assert.equal(tooLarge.status, 413);
      assert.deepEqual(await counts(), before);
    });

    test('an import past the upload quota writes nothing', async () => {
      const db = server.runtime.database.db;
      const exported = JSON.parse((await exportOf(owner, soloId, 'json')).text);
      const limits = server.runtime.files.limits as { maxBytesPerUser: number };
      const quota = limits.maxBytesPerUser;
      limits.maxBytesPerUser = 1;
      try {
        const before = (await db.select({ n: count() }).from(conversations))[0]!.n;
        const refused = await owner.client.post('/api/conversations/import', exported);
        assert.equal(refused.status, 413, JSON.stringify(refused.body));
        assert.equal((await db.select({ n: count() }).from(conversations))[0]!.n, before);
      } finally {
        limits.maxBytesPerUser = quota;
      }
    });

    test('my data: a zip of every conversation I own or take part in, my votes, prompts and uploads', async () => {
      await server.runtime.store.savedPrompts.create({
        actor: member.actor,
        prompt: { name: 'tldr', text: 'Sum this up in a line.' },
      });
      const { response, bytes } = await download(member, '/api/me/export');
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-type'), 'application/zip');
      assert.match(response.headers.get('content-disposition')!, /^attachment; filename="chorus-export-/);
      const entries = await readZip(bytes);
      const profile = JSON.parse(entries.get('profile.json')!.toString());
      assert.equal(profile.id, member.id);
      assert.equal(profile.email, member.email);
      const conversationEntries = [...entries.keys()].filter((name) => name.startsWith('conversations/'));
      const ownIds = (
        await db().select({ id: conversations.id }).from(conversations).where(eq(conversations.ownerId, member.id))
      ).map((row) => row.id);
      assert.deepEqual(conversationEntries.sort(), [groupId, ...ownIds].map((id) => `conversations/${id}.json`).sort());
      const group = JSON.parse(entries.get(`conversations/${groupId}.json`)!.toString());
      assert.equal(group.messageCount, 4);
      assert.equal(group.files[0].data, undefined, 'files are in uploads/, not inside each transcript');
      const votes = JSON.parse(entries.get('votes.json')!.toString());
      assert.deepEqual(
        votes.map((vote: { conversationId: string; vote: string }) => [vote.conversationId, vote.vote]),
        [[groupId, 'down']],
      );
      assert.deepEqual(JSON.parse(entries.get('uploads.json')!.toString()), []);
      const prompts = JSON.parse(entries.get('prompts.json')!.toString());
      assert.deepEqual(
        prompts.map((prompt: { name: string; text: string }) => [prompt.name, prompt.text]),
        [['tldr', 'Sum this up in a line.']],
      );

      const ownerZip = await readZip((await download(owner, '/api/me/export')).bytes);
      const uploads = JSON.parse(ownerZip.get('uploads.json')!.toString());
      assert.ok(uploads.length >= 2);
      const first = uploads.find((upload: { id: string }) => upload.id === pictureId);
      assert.equal(first.path, `uploads/${pictureId}/red, "quoted".png`);
      assert.deepEqual(ownerZip.get(first.path), picture);
      const ownerVotes = JSON.parse(ownerZip.get('votes.json')!.toString());
      assert.ok(ownerVotes.some((vote: { conversationId: string }) => vote.conversationId === soloId));
    });

    const db = () => server.runtime.database.db;
  });
}
