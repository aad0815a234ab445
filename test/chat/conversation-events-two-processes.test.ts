// Two real `chorus serve` processes on one Postgres and one Redis, as behind a load balancer: two people, each
// connected to a different process, see each other's messages and every model's reply live through the events
// stream; a client that drops on one process resumes on the other with Last-Event-ID and misses nothing.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import postgres from 'postgres';
import { compareEventIds } from '../../src/events/event-ids.ts';
import { readChat } from '../support/chat-stream.ts';
import { ServeProcesses } from '../support/cli.ts';
import { createPostgresDatabase } from '../support/database.ts';
import { EventStream, replyTexts } from '../support/event-stream.ts';
import { type FakeProvider, startFakeProvider } from '../support/fake-provider.ts';
import { TEST_PUBLIC_URL, TestClient } from '../support/server.ts';

const databaseUrl = process.env.TEST_DATABASE_URL;
const redisUrl = process.env.TEST_REDIS_URL;
const words = (count: number) => Array.from({ length: count }, (_, index) => `w${index} `).join('');
const STEADY_REPLY = words(80);
const BRISK_REPLY = 'Brisk has a short answer.';

type Person = { id: string; apiKey: string };

describe('conversation events across two server processes', {
  skip: !(databaseUrl && redisUrl) && 'needs TEST_DATABASE_URL and TEST_REDIS_URL',
}, () => {
  let fake: FakeProvider;
  let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let sql: postgres.Sql;
  const servers = new ServeProcesses();
  let first: string;
  let second: string;
  let ann: Person;
  let bob: Person;
  let conversationId: string;

  const signUp = async (baseUrl: string, name: string): Promise<Person> => {
    const browser = new TestClient(baseUrl);
    const created = await browser.post('/api/auth/sign-up/email', {
      email: `${name.toLowerCase()}@example.test`,
      password: 'a long enough password',
      name,
    });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    return { id: created.body.user.id, apiKey: (await browser.post('/api/keys', { name: 'events' })).body.key };
  };

  const say = async (baseUrl: string, person: Person, text: string, modelIds: string[]) => {
    const response = await fetch(`${baseUrl}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${person.apiKey}` },
      body: JSON.stringify({
        id: conversationId,
        message: { id: crypto.randomUUID(), role: 'user', parts: [{ type: 'text', text }] },
        modelIds,
      }),
    });
    assert.equal(response.status, 200);
    await readChat(response.body!);
  };

  const follow = (baseUrl: string, person: Person, lastEventId?: string) =>
    EventStream.follow(baseUrl, conversationId, { bearer: person.apiKey, lastEventId });

  /** The turn answering the message with this text, as `stream` saw it: the message, then the turn's end. */
  const turnSeen = async (stream: EventStream, text: string) => {
    const created = await stream.waitFor((event) => event.type === 'message-created' && event.message.content === text);
    assert.ok(created.event.type === 'message-created');
    const message = created.event;
    await stream.waitFor((event) => event.type === 'turn-finished' && event.parentId === message.message.id);
    return message;
  };

  before(
    async () => {
      fake = await startFakeProvider({
        models: {
          steady: { reply: STEADY_REPLY, chunkSize: 4, chunkDelayMs: 5 },
          brisk: { reply: BRISK_REPLY, chunkDelayMs: 3 },
        },
      });
      database = await createPostgresDatabase();
      sql = postgres(database.url, { max: 1, onnotice: () => {} });
      const env = {
        DATABASE_URL: database.url,
        REDIS_URL: redisUrl!,
        PUBLIC_URL: TEST_PUBLIC_URL,
        BETTER_AUTH_SECRET: 'a shared secret for both processes, long enough',
        CHORUS_PROVIDER_FAKE_BASE_URL: fake.baseURL,
        CHORUS_PROVIDER_FAKE_MODELS: 'steady,brisk',
      };
      first = await servers.start(env);
      second = await servers.start(env);
      ann = await signUp(first, 'Ann');
      bob = await signUp(second, 'Bob');
      conversationId = crypto.randomUUID();
      await say(first, ann, 'a conversation for two', ['fake:brisk']);
      await sql`insert into conversation_participants (conversation_id, user_id, role)
        values (${conversationId}, ${bob.id}, 'member')`;
    },
    { timeout: 120_000 },
  );

  after(async () => {
    await servers.stop();
    await sql?.end();
    await database?.drop();
    await fake?.close();
  });

  test("people on two processes see each other's messages and every model's reply, live", async () => {
    const anns = await follow(first, ann);
    const bobs = await follow(second, bob);

    await say(first, ann, 'Bob, are you there?', ['fake:steady', 'fake:brisk']);
    const fromAnn = await turnSeen(bobs, 'Bob, are you there?');
    assert.equal(fromAnn.message.senderId, ann.id);
    assert.equal(fromAnn.sender?.name, 'Ann');
    const replies = bobs.events.flatMap(({ event }) => (event.type === 'reply-created' ? [event] : []));
    assert.deepEqual(replies.map((reply) => reply.modelId).sort(), ['fake:brisk', 'fake:steady']);
    const texts = replyTexts(bobs.events);
    for (const reply of replies) {
      assert.equal(texts.get(reply.messageId), reply.modelId === 'fake:steady' ? STEADY_REPLY : BRISK_REPLY);
      const finished = bobs.events.find(
        ({ event }) => event.type === 'reply-finished' && event.messageId === reply.messageId,
      );
      assert.equal(finished?.event.type === 'reply-finished' && finished.event.status, 'complete');
    }
    // Bob saw the replies while they streamed: the first text arrived before the steady reply was done.
    const firstDelta = bobs.events.findIndex(({ event }) => event.type === 'reply-delta');
    const steadyDone = bobs.events.findIndex(
      ({ event }) => event.type === 'reply-finished' && event.modelId === 'fake:steady',
    );
    assert.ok(firstDelta >= 0 && firstDelta < steadyDone);

    await say(second, bob, 'Here, Ann.', ['fake:brisk']);
    const fromBob = await turnSeen(anns, 'Here, Ann.');
    assert.equal(fromBob.sender?.name, 'Bob');
    const bobsReply = anns.events.find(
      ({ event }) => event.type === 'reply-created' && event.parentId === fromBob.message.id,
    );
    assert.ok(bobsReply?.event.type === 'reply-created');
    assert.equal(replyTexts(anns.events).get(bobsReply.event.messageId), BRISK_REPLY);

    // Both processes hand out the same ids for the same events: they come from the one Redis stream.
    const annIds = new Set(anns.events.map((received) => received.id));
    assert.ok(bobs.events.filter(({ event }) => event.type === 'message-created').every(({ id }) => annIds.has(id)));
    await Promise.all([anns.close(), bobs.close()]);
  });

  test('a client that drops on one process resumes on the other with Last-Event-ID and misses nothing', async () => {
    const watcher = await follow(first, ann);
    const dropped = await follow(second, bob);
    const saying = say(first, ann, 'a long one, please', ['fake:steady', 'fake:brisk']);
    await dropped.waitFor((event) => event.type === 'reply-delta');
    await dropped.close();
    const lastSeen = dropped.lastId!;
    await turnSeen(watcher, 'a long one, please');
    await saying;

    const resumed = await follow(first, bob, lastSeen);
    await resumed.waitFor((event) => event.type === 'turn-finished');
    const missed = watcher.events.filter((received) => compareEventIds(received.id, lastSeen) > 0);
    assert.deepEqual(resumed.events, missed);
    const seen = replyTexts([...dropped.events, ...resumed.events]);
    assert.deepEqual([...seen.values()].sort(), [BRISK_REPLY, STEADY_REPLY].sort());
    await Promise.all([watcher.close(), resumed.close()]);
  });
});
