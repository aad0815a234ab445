// GET /api/search over real HTTP: titles and messages ranked together with highlighted snippets, keyset pages, the
// filters, and access — another person's words never appear, not even as a count — and, with encryption at rest,
// titles only.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { seedModels } from '../../src/models/seed.ts';
import type { NewMessage } from '../../src/store/messages.ts';
import { testBackends } from '../support/database.ts';
import { type Person, signUp } from '../support/people.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

type Run = { text: string; highlighted: boolean };
type Hit = {
  kind: 'message' | 'title';
  conversationId: string;
  conversationTitle: string | null;
  messageId: string | null;
  senderId: string | null;
  modelId: string | null;
  snippet: Run[];
};

const user = (text: string, extra: Partial<NewMessage> = {}): NewMessage => ({
  role: 'user',
  content: text,
  parts: [{ type: 'text', text }],
  ...extra,
});
const reply = (text: string): NewMessage => ({ ...user(text), role: 'assistant', modelId: 'local:echo' });
const highlightedWords = (hit: Hit) => hit.snippet.filter((run) => run.highlighted).map((run) => run.text);
const plainText = (hit: Hit) => hit.snippet.map((run) => run.text).join('');

async function startServer(kind: Parameters<typeof startTestServer>[0], env: Record<string, string> = {}) {
  const server = await startTestServer(kind, env);
  await seedModels(server.runtime.database.db);
  await server.runtime.modelCache.refresh();
  return server;
}

async function conversationWith(server: TestServer, person: Person, title: string, said: NewMessage[]) {
  const { store } = server.runtime;
  const conversation = await store.conversations.create({ actor: person.actor, title, modelIds: ['local:echo'] });
  const saved = await store.messages.save({ actor: person.actor, conversationId: conversation.id, messages: said });
  return { id: conversation.id, messageIds: saved.map((message) => message.id) };
}

async function search(person: Person, query: Record<string, string>) {
  const response = await person.client.get(`/api/search?${new URLSearchParams(query)}`);
  return response as { status: number; body: { items: Hit[]; nextCursor: string | null } };
}

for (const kind of testBackends()) {
  describe(`search on ${kind}`, () => {
    let server: TestServer;
    let ann: Person;
    let bob: Person;
    let cleo: Person;
    let wombats: { id: string; messageIds: string[] };
    let garden: { id: string; messageIds: string[] };
    let shared: { id: string; messageIds: string[] };

    before(async () => {
      server = await startServer(kind);
      ann = await signUp(server, 'Ann');
      bob = await signUp(server, 'Bob');
      cleo = await signUp(server, 'Cleo');
      wombats = await conversationWith(server, ann, 'Wombat facts', [
        user('Tell me about wombats and their burrows'),
        reply('A wombat digs a burrow; wombats are marsupials. Every wombat has a backwards pouch.'),
      ]);
      garden = await conversationWith(server, ann, 'Spring plans', [
        user('I am planning my vegetable gardens this spring, with a wombat-proof fence'),
        reply('Gardening tips: raised beds, good soil and plenty of sun.'),
      ]);
      // Bob's conversations hold the same words; one has Ann in it.
      await conversationWith(server, bob, 'Bob and the wombat', [user('wombat wombat wombat zephyrine')]);
      shared = await conversationWith(server, bob, 'Shared notes', [user('a wombat crossed the road, said Bob')]);
      await server.runtime.store.participants.add({
        actor: bob.actor,
        conversationId: shared.id,
        userId: ann.id,
        role: 'member',
      });
    });
    after(() => server?.close());

    test('a title outranks messages, and a message saying it more often outranks one saying it once', async () => {
      const { status, body } = await search(ann, { q: 'wombat' });
      assert.equal(status, 200, JSON.stringify(body));
      assert.deepEqual(
        body.items.map((hit) => [hit.kind, hit.kind === 'title' ? hit.conversationId : hit.messageId]),
        [
          ['title', wombats.id],
          ['message', wombats.messageIds[1]],
          // One mention each: the same rank, then by id, newest first (ids grow with time).
          ['message', shared.messageIds[0]],
          ['message', garden.messageIds[0]],
          ['message', wombats.messageIds[0]],
        ],
      );
      assert.equal(body.nextCursor, null);
      const best = body.items[1]!;
      assert.equal(best.conversationTitle, 'Wombat facts');
      assert.equal(best.modelId, 'local:echo');
      assert.deepEqual(highlightedWords(best), ['wombat', 'wombats', 'wombat']);
      assert.match(plainText(best), /wombat digs a burrow; wombats are marsupials/);
      assert.deepEqual(highlightedWords(body.items[0]!), ['Wombat']);
    });

    test('words match by their stem, and a quoted phrase or an excluded word narrows the hits', async () => {
      const gardens = await search(ann, { q: 'garden' });
      assert.deepEqual(gardens.body.items.map((hit) => hit.messageId).sort(), [...garden.messageIds].sort());
      assert.deepEqual(gardens.body.items.flatMap(highlightedWords).sort(), ['Gardening', 'gardens']);
      const phrase = await search(ann, { q: '"raised beds"' });
      assert.deepEqual(
        phrase.body.items.map((hit) => hit.messageId),
        [garden.messageIds[1]],
      );
      const excluded = await search(ann, { q: 'wombat -burrow -fence' });
      assert.deepEqual(
        excluded.body.items.map((hit) => [hit.kind, hit.conversationId]).sort(),
        [
          ['message', shared.id],
          ['title', wombats.id],
        ].sort(),
      );
    });

    test('pages of one hit follow the order of one long page, without repeats, to a last page', async () => {
      const whole = (await search(ann, { q: 'wombat' })).body.items;
      const paged: Hit[] = [];
      let cursor: string | null = null;
      do {
        const page: Awaited<ReturnType<typeof search>> = await search(ann, {
          q: 'wombat',
          limit: '2',
          ...(cursor ? { cursor } : {}),
        });
        assert.equal(page.status, 200);
        paged.push(...page.body.items);
        cursor = page.body.nextCursor;
      } while (cursor);
      assert.deepEqual(paged, whole);
    });

    test('filters: a conversation, a model, a person, a time range', async () => {
      const inGarden = await search(ann, { q: 'wombat', conversationId: garden.id });
      assert.deepEqual(
        inGarden.body.items.map((hit) => hit.messageId),
        [garden.messageIds[0]],
      );
      const byModel = await search(ann, { q: 'wombat', modelId: 'local:echo' });
      assert.deepEqual(
        byModel.body.items.map((hit) => hit.messageId),
        [wombats.messageIds[1]],
      );
      const byBob = await search(ann, { q: 'wombat', senderId: bob.id });
      assert.deepEqual(
        byBob.body.items.map((hit) => hit.messageId),
        [shared.messageIds[0]],
      );
      const future = new Date(Date.now() + 3_600_000).toISOString();
      assert.deepEqual((await search(ann, { q: 'wombat', from: future })).body.items, []);
      const past = new Date(Date.now() - 3_600_000).toISOString();
      const inRange = await search(ann, { q: 'wombat', from: past, to: future });
      assert.equal(inRange.body.items.length, 4, 'every message, no title');
    });

    test("another person's conversations are never searched: no hit, no cursor, and a removed member loses them", async () => {
      const bobsOwn = await search(ann, { q: 'zephyrine' });
      assert.deepEqual(bobsOwn.body, { items: [], nextCursor: null });
      assert.deepEqual((await search(cleo, { q: 'wombat' })).body, { items: [], nextCursor: null });
      const cleoAsked = await search(cleo, { q: 'wombat', conversationId: wombats.id });
      assert.deepEqual(cleoAsked.body, { items: [], nextCursor: null });

      const bobs = await search(bob, { q: 'wombat' });
      assert.ok(bobs.body.items.every((hit) => hit.conversationId !== wombats.id && hit.conversationId !== garden.id));
      await server.runtime.store.participants.remove({ actor: bob.actor, conversationId: shared.id, userId: ann.id });
      const afterRemoval = await search(ann, { q: 'crossed road' });
      assert.deepEqual(afterRemoval.body.items, []);
    });

    test('bad input is a 400 naming it', async () => {
      const empty = await search(ann, { q: '   ' });
      assert.equal(empty.status, 400);
      const forged = await search(ann, { q: 'wombat', cursor: 'not-a-cursor' });
      assert.equal(forged.status, 400);
      assert.match(JSON.stringify(forged.body), /cursor/);
      const backwards = await search(ann, { q: 'wombat', from: new Date().toISOString(), to: '2020-01-01T00:00:00Z' });
      assert.equal(backwards.status, 400);
      const missing = await ann.client.get('/api/search');
      assert.equal(missing.status, 400);
    });
  });

  describe(`search with encryption at rest on ${kind}`, () => {
    let server: TestServer;
    let ann: Person;
    let bob: Person;

    before(async () => {
      server = await startServer(kind, { CHORUS_ENCRYPTION_KEY: randomBytes(32).toString('base64') });
      ann = await signUp(server, 'Ann');
      bob = await signUp(server, 'Bob');
    });
    after(() => server?.close());

    test('only titles are searched, opened and matched in memory, and only the searcher’s own', async () => {
      const plans = await conversationWith(server, ann, 'Launch plans for the Moon', [user('the launch window opens')]);
      await conversationWith(server, ann, 'Launch party', [user('balloons')]);
      await conversationWith(server, bob, 'Launch plans of Bob', [user('launch')]);
      const { body } = await search(ann, { q: 'launch plans' });
      assert.deepEqual(
        body.items.map((hit) => [hit.kind, hit.conversationId]),
        [['title', plans.id]],
      );
      assert.deepEqual(highlightedWords(body.items[0]!), ['Launch', 'plans']);
      assert.deepEqual((await search(ann, { q: 'window' })).body.items, [], 'message text is sealed');
      const two = await search(ann, { q: 'launch', limit: '1' });
      assert.equal(two.body.items.length, 1);
      const next = await search(ann, { q: 'launch', limit: '1', cursor: two.body.nextCursor! });
      assert.equal(next.body.items.length, 1);
      assert.notEqual(next.body.items[0]!.conversationId, two.body.items[0]!.conversationId);
      assert.equal(next.body.nextCursor, null);
    });
  });
}
