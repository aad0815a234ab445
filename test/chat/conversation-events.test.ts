// GET /api/conversations/:id/events over real HTTP, in-process and on Redis: a participant follows what another
// says and every model's reply as it streams and ends; a reconnect with Last-Event-ID replays exactly what was
// missed; outsiders are not let in; a removed member's stream ends, and so does an outside reader's when a public
// conversation turns private.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { models } from '../../src/db/schema/index.ts';
import type { ConversationEvent, DeliveredEvent } from '../../src/events/conversation-event.ts';
import type { ConversationEvents } from '../../src/events/conversation-event-bus.ts';
import { compareEventIds } from '../../src/events/event-ids.ts';
import { MemoryConversationEvents } from '../../src/events/memory-conversation-events.ts';
import { relayTurns } from '../../src/events/turn-relay.ts';
import { registerDeclaredModels } from '../../src/providers/index.ts';
import { type Actor, actorOf } from '../../src/store/index.ts';
import { readChat } from '../support/chat-stream.ts';
import { testBackends } from '../support/database.ts';
import { EventStream, replyTexts } from '../support/event-stream.ts';
import { type FakeProvider, startFakeProvider } from '../support/fake-provider.ts';
import { startTestServer, TestClient, type TestServer } from '../support/server.ts';

process.env.AI_SDK_LOG_WARNINGS = 'false';

const ALPHA_REPLY = 'Alpha says hello to everyone here, and then a little more for good measure.';
const BETA_REPLY = 'Beta sees it differently, and says so at some length, word after word.';
const redisUrl = process.env.TEST_REDIS_URL;
const variants = testBackends().flatMap((kind) => [
  { kind, events: 'in-process', env: {} as Record<string, string> },
  ...(redisUrl ? [{ kind, events: 'Redis', env: { REDIS_URL: redisUrl } }] : []),
]);

type Person = { id: string; actor: Actor; apiKey: string };

for (const variant of variants) {
  describe(`conversation events on ${variant.kind}, ${variant.events}`, () => {
    let server: TestServer;
    let fake: FakeProvider;
    let ann: Person;
    let bob: Person;
    let cat: Person;
    let conversationId: string;

    const signUp = async (name: string): Promise<Person> => {
      const browser = new TestClient(server.baseUrl);
      const email = `${name.toLowerCase()}-${crypto.randomUUID()}@example.test`;
      const created = await browser.post('/api/auth/sign-up/email', {
        email,
        password: 'a long enough password',
        name,
      });
      assert.equal(created.status, 200, JSON.stringify(created.body));
      const key = await browser.post('/api/keys', { name: 'tests' });
      const user = await server.runtime.store.users.getById(created.body.user.id);
      return { id: user.id, actor: actorOf(user), apiKey: key.body.key };
    };

    /** Sends a message and reads the reply stream to its end; returns nothing the events do not show. */
    const say = async (person: Person, text: string, modelIds = ['fake:alpha', 'fake:beta'], id = conversationId) => {
      const response = await fetch(`${server.baseUrl}/api/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${person.apiKey}` },
        body: JSON.stringify({
          id,
          message: { id: crypto.randomUUID(), role: 'user', parts: [{ type: 'text', text }] },
          modelIds,
        }),
      });
      assert.equal(response.status, 200);
      await readChat(response.body!);
    };

    const follow = (person: Person, lastEventId?: string) =>
      EventStream.follow(server.baseUrl, conversationId, { bearer: person.apiKey, lastEventId });

    /** The turn answering the message with this text has ended, as seen on `stream`. */
    const turnEnded = async (stream: EventStream, text: string) => {
      const created = await stream.waitFor(
        (event) => event.type === 'message-created' && event.message.content === text,
      );
      const messageId = created.event.type === 'message-created' ? created.event.message.id : '';
      return stream.waitFor((event) => event.type === 'turn-finished' && event.parentId === messageId);
    };

    before(async () => {
      fake = await startFakeProvider({
        models: {
          alpha: { reply: ALPHA_REPLY, chunkDelayMs: 4, usage: { inputTokens: 10, outputTokens: 6 } },
          beta: { reply: BETA_REPLY, chunkDelayMs: 4 },
        },
      });
      server = await startTestServer(variant.kind, {
        CHORUS_PROVIDER_FAKE_BASE_URL: fake.baseURL,
        CHORUS_PROVIDER_FAKE_MODELS: 'alpha,beta',
        ...variant.env,
      });
      const db = server.runtime.database.db;
      await registerDeclaredModels(db, server.runtime.providers);
      await db
        .update(models)
        .set({ pricing: { input: 2, output: 8 } })
        .where(eq(models.id, 'fake:alpha'));
      await server.runtime.modelCache.refresh();
      ann = await signUp('Ann');
      bob = await signUp('Bob');
      cat = await signUp('Cat');
      conversationId = crypto.randomUUID();
      await say(ann, 'let us begin', ['fake:alpha']);
      await server.runtime.store.participants.add({ actor: ann.actor, conversationId, userId: bob.id });
    });
    after(async () => {
      await server?.close();
      await fake?.close();
    });

    test("a participant sees another's message, then every model's reply streaming and finishing", async () => {
      const bobs = await follow(bob);
      const text = 'what do you both think?';
      await say(ann, text);
      await turnEnded(bobs, text);
      await bobs.close();
      const events = bobs.events.map((received) => received.event);

      const created = events.find((event) => event.type === 'message-created');
      assert.ok(created?.type === 'message-created');
      assert.equal(created.message.content, text);
      assert.equal(created.message.senderId, ann.id);
      assert.deepEqual(created.sender, { id: ann.id, name: 'Ann', avatarUrl: null });

      const replies = events.flatMap((event) => (event.type === 'reply-created' ? [event] : []));
      assert.deepEqual(replies.map((reply) => reply.modelId).sort(), ['fake:alpha', 'fake:beta']);
      assert.ok(replies.every((reply) => reply.parentId === created.message.id));
      const modelOf = new Map(replies.map((reply) => [reply.messageId, reply.modelId]));
      const texts = replyTexts(bobs.events);
      const alphaId = replies.find((reply) => reply.modelId === 'fake:alpha')!.messageId;
      const betaId = replies.find((reply) => reply.modelId === 'fake:beta')!.messageId;
      assert.equal(texts.get(alphaId), ALPHA_REPLY);
      assert.equal(texts.get(betaId), BETA_REPLY);
      for (const event of events) {
        if (event.type === 'reply-delta')
          assert.equal(event.modelId, modelOf.get(event.messageId), 'each delta names its model');
      }

      const finished = events.flatMap((event) => (event.type === 'reply-finished' ? [event] : []));
      const alpha = finished.find((reply) => reply.messageId === alphaId)!;
      assert.equal(alpha.status, 'complete');
      assert.equal(alpha.inputTokens, 10);
      assert.equal(alpha.outputTokens, 6);
      assert.equal(alpha.costUsd, (10 * 2 + 6 * 8) / 1_000_000);
      assert.equal(finished.find((reply) => reply.messageId === betaId)!.status, 'complete');

      // Every reply's story in order: created, its text, finished; ids increase throughout.
      for (const messageId of [alphaId, betaId]) {
        const story = events
          .filter((event) => 'messageId' in event && event.messageId === messageId)
          .map((event) => event.type);
        assert.equal(story[0], 'reply-created');
        assert.equal(story.at(-1), 'reply-finished');
      }
      const ids = bobs.events.map((received) => received.id);
      assert.ok(
        ids.every((id, index) => index === 0 || compareEventIds(ids[index - 1]!, id) < 0),
        'ids increase',
      );
    });

    test('a reconnect with Last-Event-ID replays exactly what was missed, then goes on live', async () => {
      const watcher = await follow(ann);
      const dropped = await follow(bob);
      const text = 'tell me a story while I drive through a tunnel';
      const saying = say(ann, text);
      await dropped.waitFor((event) => event.type === 'reply-delta');
      await dropped.close();
      const lastSeen = dropped.lastId!;
      await turnEnded(watcher, text);
      await saying;

      const resumed = await follow(bob, lastSeen);
      await resumed.waitFor((event) => event.type === 'turn-finished');
      const missed = watcher.events.filter((received) => compareEventIds(received.id, lastSeen) > 0);
      assert.deepEqual(resumed.events, missed);
      assert.equal(replyTexts([...dropped.events, ...resumed.events]).size, 2);
      for (const [messageId, replyText] of replyTexts([...dropped.events, ...resumed.events])) {
        assert.equal(replyText, replyTexts(watcher.events).get(messageId));
      }

      // And then live, as if it had never left.
      await say(bob, 'back again', ['fake:beta']);
      await turnEnded(resumed, 'back again');
      await Promise.all([resumed.close(), watcher.close()]);
    });

    test('a client that drops before its first event resumes from the position the stream opened with', async () => {
      const quiet = await follow(bob);
      const position = await quiet.waitForPosition();
      await quiet.close();
      assert.equal(quiet.events.length, 0);
      await say(ann, 'said while Bob was away', ['fake:beta']);
      const resumed = await follow(bob, position);
      await turnEnded(resumed, 'said while Bob was away');
      assert.notEqual(resumed.events[0]?.event.type, 'reset');
      await resumed.close();
    });

    test('an id no longer kept gets a reset, then the events that follow it', async () => {
      for (const lastEventId of ['1-0', 'not-an-id', '99999999999999-0']) {
        const stream = await follow(bob, lastEventId);
        const first = await stream.waitFor(() => true);
        assert.equal(first.event.type, 'reset', `${lastEventId} resets`);
        await say(ann, `after ${lastEventId}`, ['fake:beta']);
        await turnEnded(stream, `after ${lastEventId}`);
        assert.equal(stream.events.filter((received) => received.event.type === 'reset').length, 1);
        await stream.close();
      }
    });

    test('someone not in the conversation gets 404, and nobody signed in gets 401', async () => {
      const outsider = await EventStream.open(server.baseUrl, conversationId, { bearer: cat.apiKey });
      assert.equal(outsider.status, 404);
      const nowhere = await EventStream.open(server.baseUrl, crypto.randomUUID(), { bearer: ann.apiKey });
      assert.equal(nowhere.status, 404);
      const anonymous = await EventStream.open(server.baseUrl, conversationId);
      assert.equal(anonymous.status, 401);
    });

    test('a regeneration tells the others which replies it removed', async () => {
      const text = 'answer this twice';
      await say(ann, text, ['fake:beta']);
      const [oldReply] = (await server.runtime.store.messages.page({ actor: ann.actor, conversationId, limit: 1 }))
        .items;
      const bobs = await follow(bob);
      const response = await fetch(`${server.baseUrl}/api/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ann.apiKey}` },
        body: JSON.stringify({
          id: conversationId,
          trigger: 'regenerate-message',
          messageId: oldReply!.id,
          modelIds: ['fake:beta'],
        }),
      });
      assert.equal(response.status, 200);
      await readChat(response.body!);
      const deleted = await bobs.waitFor((event) => event.type === 'messages-deleted');
      assert.deepEqual(deleted.event, { type: 'messages-deleted', messageIds: [oldReply!.id] });
      await bobs.close();
    });

    test("removing a member ends that member's stream, and only theirs", async () => {
      const dan = await signUp('Dan');
      await server.runtime.store.participants.add({ actor: ann.actor, conversationId, userId: dan.id });
      const dans = await follow(dan);
      const bobs = await follow(bob);
      const removal = await new TestClient(server.baseUrl, { bearer: ann.apiKey }).delete(
        `/api/conversations/${conversationId}/participants/${dan.id}`,
      );
      assert.equal(removal.status, 204);

      await dans.ended;
      assert.deepEqual(dans.events.at(-1)?.event, { type: 'member-removed', userId: dan.id, byUserId: ann.id });
      await bobs.waitFor((event) => event.type === 'member-removed');
      await say(ann, 'and then there were three', ['fake:beta']);
      await turnEnded(bobs, 'and then there were three');
      assert.ok(!dans.events.some((received) => received.event.type === 'message-created'));
      await bobs.close();

      const again = await EventStream.open(server.baseUrl, conversationId, { bearer: dan.apiKey });
      assert.equal(again.status, 404);
    });

    test('making a conversation private ends the streams of readers from outside it, not those of its people', async () => {
      const opened = crypto.randomUUID();
      await say(ann, 'open to all for now', ['fake:beta'], opened);
      await server.runtime.store.participants.add({ actor: ann.actor, conversationId: opened, userId: bob.id });
      const owner = new TestClient(server.baseUrl, { bearer: ann.apiKey });
      const setVisibility = (visibility: string) =>
        owner.request('PATCH', `/api/conversations/${opened}`, JSON.stringify({ visibility }));
      assert.equal((await setVisibility('public')).status, 200);
      const dan = await signUp('Dan');
      const cats = await EventStream.follow(server.baseUrl, opened, { bearer: cat.apiKey });
      const dans = await EventStream.follow(server.baseUrl, opened, { bearer: dan.apiKey });
      const bobs = await EventStream.follow(server.baseUrl, opened, { bearer: bob.apiKey });
      // Dan joins while following from outside: from then on he is one of its people.
      await server.runtime.store.participants.add({ actor: ann.actor, conversationId: opened, userId: dan.id });
      server.runtime.conversationEvents.publish(opened, { type: 'member-joined', userId: dan.id, role: 'member' });
      await dans.waitFor((event) => event.type === 'member-joined');

      assert.equal((await setVisibility('private')).status, 200);
      await cats.ended;
      assert.deepEqual(cats.events.at(-1)?.event, { type: 'visibility-changed', visibility: 'private' });
      await say(ann, 'just between us now', ['fake:beta'], opened);
      for (const stream of [bobs, dans]) await turnEnded(stream, 'just between us now');
      assert.ok(!cats.events.some((received) => received.event.type === 'message-created'));
      await Promise.all([bobs.close(), dans.close()]);
      assert.equal((await EventStream.open(server.baseUrl, opened, { bearer: cat.apiKey })).status, 404);
    });

    test('shutting the server down ends the streams still open, so it does not wait for their clients', async () => {
      const anns = await follow(ann);
      const closing = server.close();
      await Promise.all([anns.ended, closing]);
      server = undefined!;
    });
  });
}

describe('conversation events, the parts', () => {
  test("a reply's first words go out at once, the rest together: one event per reply per window, in order", async () => {
    const published: ConversationEvent[] = [];
    const recorder = {
      publish: (_: string, event: ConversationEvent) => void published.push(event),
      leftOutUnfollowed: () => false,
    } as Partial<ConversationEvents> as ConversationEvents;
    const parentId = crypto.randomUUID();
    const relay = relayTurns(
      recorder,
      20,
    )({ conversationId: crypto.randomUUID(), parentId, threadRootId: null, streamId: 'stream' });
    const replies = Array.from({ length: 5 }, (_, index) => ({
      messageId: crypto.randomUUID(),
      modelId: `fake:m${index}`,
    }));
    relay({ type: 'turn-started', streamId: 'stream', replyIds: replies.map((reply) => reply.messageId) });
    for (const reply of replies) relay({ type: 'reply-started', ...reply, parentId, isFirstResponder: false });
    for (const word of ['one ', 'two ', 'three ']) {
      for (const reply of replies) relay({ type: 'reply-text', ...reply, text: word });
    }
    const deltas = () => published.flatMap((event) => (event.type === 'reply-delta' ? [event.delta] : []));
    assert.deepEqual(
      published.map((event) => event.type),
      [...replies.map(() => 'reply-created'), ...replies.map(() => 'reply-delta')],
      'the replies and their first words are out before the window closes',
    );
    assert.ok(deltas().every((delta) => delta === 'one '));
    await new Promise((resolve) => setTimeout(resolve, 40));
    assert.equal(published.length, 15);
    assert.ok(
      deltas()
        .slice(5)
        .every((delta) => delta === 'two three '),
      'the rest of each reply merged into one event',
    );

    relay({ type: 'reply-text', ...replies[0]!, text: 'four' });
    relay({ type: 'reply-text-ended', ...replies[0]! });
    const finished = { ...replies[0]!, status: 'complete' as const, outputTokens: 4 };
    relay({ type: 'reply-finished', summary: finished });
    relay({ type: 'turn-finished', summaries: [finished] });
    // Anything but text sends what waits at once, the reply's last text before its end (as sent: JSON).
    assert.deepEqual(JSON.parse(JSON.stringify(published.slice(15))), [
      { type: 'reply-delta', ...replies[0], delta: 'four' },
      { type: 'reply-finished', ...replies[0], status: 'complete', outputTokens: 4 },
      { type: 'turn-finished', parentId },
    ]);
  });

  test('the history keeps the newest events: a client behind it gets a reset, one within it exactly what it missed', async () => {
    const events = new MemoryConversationEvents({ maxEvents: 3, maxAgeMs: 60_000 });
    const conversationId = crypto.randomUUID();
    const ids: string[] = [];
    for (const modelId of ['a:1', 'a:2', 'a:3', 'a:4', 'a:5']) {
      events.publish(conversationId, { type: 'model-added', modelId });
      ids.push(await events.latestId(conversationId));
    }

    const within = await collect(events.subscribe(conversationId, ids[1]!, new AbortController().signal), 3);
    assert.deepEqual(
      within,
      ids.slice(2).map((id, index) => ({ id, event: { type: 'model-added', modelId: `a:${index + 3}` } })),
    );
    const behind = await collect(events.subscribe(conversationId, ids[0]!, new AbortController().signal), 1);
    assert.deepEqual(behind, [{ id: ids[4], event: { type: 'reset' } }]);
    await events.close();
  });
});

describe('conversation events nobody follows', () => {
  /** A turn of one reply, told to the relay: its start, three pieces of text, its end. */
  const relayOneReply = (events: ConversationEvents, conversationId: string) => {
    const parentId = crypto.randomUUID();
    const reply = { messageId: crypto.randomUUID(), modelId: 'fake:m' };
    const relay = relayTurns(events, 5)({ conversationId, parentId, threadRootId: null, streamId: 'stream' });
    relay({ type: 'reply-started', ...reply, parentId, isFirstResponder: false });
    for (const word of ['one ', 'two ', 'three']) relay({ type: 'reply-text', ...reply, text: word });
    const finished = { ...reply, status: 'complete' as const };
    relay({ type: 'reply-finished', summary: finished });
    relay({ type: 'turn-finished', summaries: [finished] });
    return reply;
  };
  const types = (deliveries: DeliveredEvent[]) => deliveries.map(({ event }) => event.type);

  test("a reply's text is left out of a conversation nobody follows: a resume from before it gets a reset", async () => {
    const events = new MemoryConversationEvents();
    // A position in another conversation, taken before the reply: the one a client could hold.
    const before = await events.latestId(crypto.randomUUID());
    const conversationId = crypto.randomUUID();
    relayOneReply(events, conversationId);
    const resumed = await collect(events.subscribe(conversationId, before, new AbortController().signal), 1);
    assert.deepEqual(types(resumed), ['reset']);

    // From where it now stands, nothing is missing: what comes next is there.
    const from = await events.latestId(conversationId);
    events.publish(conversationId, { type: 'model-added', modelId: 'fake:n' });
    const next = await collect(events.subscribe(conversationId, from, new AbortController().signal), 1);
    assert.deepEqual(types(next), ['model-added']);
    await events.close();
  });

  test('once anyone has followed the conversation, or been given a position in it, every event is kept', async () => {
    const events = new MemoryConversationEvents();
    for (const follow of ['subscribed', 'position'] as const) {
      const conversationId = crypto.randomUUID();
      const from = await events.latestId(follow === 'subscribed' ? crypto.randomUUID() : conversationId);
      const stop = new AbortController();
      const following =
        follow === 'subscribed' ? collect(events.subscribe(conversationId, null, stop.signal), 5) : null;
      relayOneReply(events, conversationId);
      await new Promise((resolve) => setTimeout(resolve, 20));
      const replayed = await collect(events.subscribe(conversationId, from, new AbortController().signal), 5);
      assert.deepEqual(types(replayed), [
        'reply-created',
        'reply-delta',
        'reply-delta',
        'reply-finished',
        'turn-finished',
      ]);
      const delivered = await following;
      if (delivered) assert.deepEqual(types(delivered), types(replayed));
      stop.abort();
    }
    await events.close();
  });
});

/** The first `count` deliveries. */
async function collect(deliveries: AsyncIterable<DeliveredEvent>, count: number): Promise<DeliveredEvent[]> {
  const taken: DeliveredEvent[] = [];
  if (count === 0) return taken;
  for await (const delivered of deliveries) {
    taken.push(delivered);
    if (taken.length === count) break;
  }
  return taken;
}
