// `chorus export` as a person runs it: a conversation's transcript to standard output or a file, and everything of
// one person's as a zip, read from an embedded database it did not write (a data directory prepared here).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openDatabase } from '../../src/db/client.ts';
import { migrateUp } from '../../src/db/migrations/migrator.ts';
import { seedModels } from '../../src/models/seed.ts';
import { actorOf, createStore } from '../../src/store/index.ts';
import { dataDirectories, runChorus } from '../support/cli.ts';
import { parseCsv, readZip } from '../support/zip.ts';

describe('chorus export', () => {
  const directories = dataDirectories();
  let dataDir: string;
  let conversationId: string;
  after(() => directories.removeAll());

  before(async () => {
    dataDir = await directories.initialised();
    const database = await openDatabase({ dataDir });
    try {
      await migrateUp(database.db);
      await seedModels(database.db);
      const store = createStore(database.db);
      const user = await store.users.create({ email: 'ada@example.test', displayName: 'Ada' });
      conversationId = crypto.randomUUID();
      await store.messages.saveInNewConversation({
        actor: actorOf(user),
        conversation: { id: conversationId, title: 'Engines', modelIds: ['local:echo'] },
        messages: [
          { role: 'user', content: 'Can it compute?', createdAt: new Date('2026-03-01T08:00:00.000Z') },
          {
            role: 'assistant',
            modelId: 'local:echo',
            content: 'Yes, Bernoulli numbers.',
            outputTokens: 5,
            createdAt: new Date('2026-03-01T08:00:01.000Z'),
          },
        ],
      });
    } finally {
      await database.close();
    }
  });

  test('a conversation goes to standard output as CSV, and to a file as Markdown', async () => {
    const csv = await runChorus(['export', '--conversation', conversationId, '--format', 'csv'], { DATA_DIR: dataDir });
    assert.equal(csv.code, 0, csv.stderr);
    const rows = parseCsv(csv.stdout);
    assert.deepEqual(
      rows.map((row) => [row[1], row[4], row[6]]),
      [
        ['speaker', 'text', 'output_tokens'],
        ['Ada', 'Can it compute?', ''],
        [rows[2]![1], 'Yes, Bernoulli numbers.', '5'],
      ],
    );
    const out = path.join(dataDir, 'engines.md');
    const md = await runChorus(['export', '--conversation', conversationId, '--format', 'md', '--out', out], {
      DATA_DIR: dataDir,
    });
    assert.equal(md.code, 0, md.stderr);
    assert.match(md.stderr, /wrote 2 messages to/);
    assert.match(readFileSync(out, 'utf8'), /^# Engines\n[\s\S]*### Ada · 2026-03-01 08:00 UTC\n\nCan it compute\?\n/);
  });

  test("a person's data goes to a zip; an unknown person, or no choice of what to export, is refused by name", async () => {
    const out = path.join(dataDir, 'ada.zip');
    const result = await runChorus(['export', '--user', 'ada@example.test', '--out', out], { DATA_DIR: dataDir });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /wrote 1 conversations and 0 uploads/);
    const entries = await readZip(readFileSync(out));
    const transcript = JSON.parse(entries.get(`conversations/${conversationId}.json`)!.toString());
    assert.equal(transcript.conversation.title, 'Engines');
    assert.equal(transcript.messageCount, 2);

    // One at a time: the embedded database admits one process.
    const unknownUser = await runChorus(['export', '--user', 'nobody@example.test', '--out', out], {
      DATA_DIR: dataDir,
    });
    assert.equal(unknownUser.code, 1);
    assert.match(unknownUser.stderr, /no user with the email nobody@example.test/);
    const neither = await runChorus(['export', '--format', 'csv'], { DATA_DIR: dataDir });
    assert.equal(neither.code, 1);
    assert.match(neither.stderr, /give either --conversation <id> or --user <email>/);
  });
});
