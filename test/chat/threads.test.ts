// Threads: replying to one message of a conversation (a person's or a model's) in a thread beside it. Posting is
// POST /api/chat with `threadId`; reading, GET /api/conversations/:id/threads/:messageId; the main list leaves the
// thread out but counts it. What a model in a thread is sent is checked on what the fake provider received.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { registerDeclaredModels } from '../../src/providers/index.ts';
import { readChat } from '../support/chat-stream.ts';
import { testBackends } from '../support/database.ts';
import { EventStream } from '../support/event-stream.ts';
import { type FakeProvider, startFakeProvider } from '../support/fake-provider.ts';
import { type Person, signUp } from '../support/people.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

process.env.AI_SDK_LOG_WARNINGS = 'false';

type ApiMessage = {
  id: string;
  role: string;
  content: string | null;
  threadRootId: string | null;
  parentId: string | null;
  thread: { replyCount: number; lastReplyAt: string } | null;
};

for (const kind of testBackends()) {
  describe(`threads on ${kind}`, () => {
    let server: TestServer;
    let fake: FakeProvider;
    let ann: Person;
    let bob: Person;
    let eve: Person;

    before(async () => {
      fake = await startFakeProvider({ models: { alpha: { reply: 'Alpha answers.', chunkDelayMs: 2 } } });
      server = await startTestServer(kind, {
        CHORUS_PROVIDER_FAKE_BASE_URL: fake.baseURL,
        CHORUS_PROVIDER_FAKE_MODELS: 'alpha',
      });
      await registerDeclaredModels(server.runtime.database.db, server.runtime.providers);
      await server.runtime.modelCache.refresh();
      ann = await signUp(server, 'Ann');
      bob = await signUp(server, 'Bob');
      eve = await signUp(server, 'Eve');
    });
    after(async () => {
      await server?.close();
      await fake?.close();
    });

    const post = (person: Person, conversationId: string, text: string, threadId?: string) =>
      person.client.open(
        'POST',
        '/api/chat',
        JSON.stringify({
          id: conversationId,
          message: { id: crypto.randomUUID(), role: 'user', parts: [{ type: 'text', text }] },
          modelIds: ['fake:alpha'],
          ...(threadId ? { threadId } : {}),
        }),
      );
    const say = async (person: Person, conversationId: string, text: string, threadId?: string) => {
      const response = await post(person, conversationId, text, threadId);
      assert.equal(response.status, 200, await response.clone().text());
      await readChat(response.body!);
    };
    const mainLine = async (person: Person, conversationId: string): Promise<ApiMessage[]> => {
      const page = await person.client.get(`/api/conversations/${conversationId}/messages`);
      assert.equal(page.status, 200, JSON.stringify(page.body));
      return [...page.body.items].reverse();
    };
    const requestWith = (text: string) =>
      JSON.stringify(fake.requestsFor('alpha').findLast((request) => JSON.stringify(request.messages).includes(text)));

    /** Ann's conversation with Bob in it: a question, its reply, and a later message with its reply. */
    const conversationWithBob = async () => {
      const conversationId = crypto.randomUUID();
      await say(ann, conversationId, 'First, the question about tides.');
      await server.runtime.store.participants.add({ actor: ann.actor, conversationId, userId: bob.id });
      return conversationId;
    };

    test("a reply in a model's message's thread: the thread reads back, and the main list leaves it out but counts it", async () => {
      const conversationId = await conversationWithBob();
      const [question, answer] = await mainLine(ann, conversationId);
      assert.equal(answer!.role, 'assistant');
      await say(bob, conversationId, 'Why the moon, though?', answer!.id);

      const thread = await ann.client.get(`/api/conversations/${conversationId}/threads/${answer!.id}`);
      assert.equal(thread.status, 200, JSON.stringify(thread.body));
      assert.equal(thread.body.root.id, answer!.id);
      const items = thread.body.items as ApiMessage[];
      assert.deepEqual(
        items.map((message) => [message.role, message.content]),
        [
          ['user', 'Why the moon, though?'],
          ['assistant', 'Alpha answers.'],
        ],
      );
      assert.ok(items.every((message) => message.threadRootId === answer!.id));
      assert.equal(items[1]!.parentId, items[0]!.id, 'the reply answers the person in the thread');

      const main = await mainLine(ann, conversationId);
      assert.deepEqual(
        main.map((message) => message.id),
        [question!.id, answer!.id],
        'the thread stays out of the main list',
      );
      assert.equal(main[0]!.thread, null);
      assert.equal(main[1]!.thread?.replyCount, 2);
      assert.equal(main[1]!.thread?.lastReplyAt, thread.body.items[1].createdAt);
      assert.equal(thread.body.root.thread.replyCount, 2);

      // Replying to a message inside the thread posts in the same thread: threads do not nest.
      await say(ann, conversationId, 'Gravity, mostly.', items[0]!.id);
      const again = await ann.client.get(`/api/conversations/${conversationId}/threads/${items[1]!.id}`);
      assert.equal(again.body.root.id, answer!.id);
      assert.equal(again.body.items.length, 4);
    });

    test("a model in a thread sees the conversation up to the thread's message and the thread, not what came later", async () => {
      const conversationId = await conversationWithBob();
      const [question] = await mainLine(ann, conversationId);
      await say(ann, conversationId, 'Later, an unrelated note on volcanoes.');
      await say(bob, conversationId, 'In the thread: and spring tides?', question!.id);

      const inThread = requestWith('In the thread: and spring tides?');
      assert.match(inThread, /the question about tides/, 'the message the thread hangs on');
      assert.doesNotMatch(inThread, /volcanoes/, 'no later main-conversation message');

      // And the main conversation no longer sees the thread.
      await say(ann, conversationId, 'Back in the main line: what next?');
      const inMain = requestWith('Back in the main line: what next?');
      assert.match(inMain, /volcanoes/);
      assert.doesNotMatch(inMain, /spring tides/, 'no thread message in the main context');
    });

    test('threadId must name a message of the same conversation (400 naming the field)', async () => {
      const conversationId = await conversationWithBob();
      const elsewhere = crypto.randomUUID();
      await say(ann, elsewhere, 'Another conversation entirely.');
      const [foreign] = await mainLine(ann, elsewhere);
      for (const threadId of [foreign!.id, crypto.randomUUID()]) {
        const response = await post(ann, conversationId, 'misplaced', threadId);
        assert.equal(response.status, 400);
        const body = (await response.json()) as { error: { code: string; message: string } };
        assert.equal(body.error.code, 'invalid_input');
        assert.match(body.error.message, /threadId/);
      }
      const malformed = await post(ann, conversationId, 'misplaced', 'not-a-uuid');
      assert.equal(malformed.status, 400);
      assert.match(await malformed.text(), /threadId/);
      const main = await mainLine(ann, conversationId);
      assert.ok(!main.some((message) => message.content === 'misplaced'), 'nothing was saved');
    });

    test("someone outside the conversation neither reads its threads nor posts in them, like the conversation's own rules", async () => {
      const conversationId = await conversationWithBob();
      const [question] = await mainLine(ann, conversationId);
      await say(bob, conversationId, 'A thread Eve must not see.', question!.id);

      const read = await eve.client.get(`/api/conversations/${conversationId}/threads/${question!.id}`);
      assert.equal(read.status, 404);
      const posted = await post(eve, conversationId, 'let me in', question!.id);
      assert.equal(posted.status, 404);
      const unknown = await ann.client.get(`/api/conversations/${conversationId}/threads/${crypto.randomUUID()}`);
      assert.equal(unknown.status, 404);

      // A public conversation: a reader from outside reads the thread but may not post in it.
      const shared = await ann.client.request(
        'PATCH',
        `/api/conversations/${conversationId}`,
        JSON.stringify({ visibility: 'public' }),
      );
      assert.equal(shared.status, 200, JSON.stringify(shared.body));
      const readPublic = await eve.client.get(`/api/conversations/${conversationId}/threads/${question!.id}`);
      assert.equal(readPublic.status, 200);
      assert.equal(readPublic.body.items[0].content, 'A thread Eve must not see.');
      const postedPublic = await post(eve, conversationId, 'still not a member', question!.id);
      assert.equal(postedPublic.status, 403);
    });

    test('a thread message and its reply reach everyone following the conversation, marked with their thread', async () => {
      const conversationId = await conversationWithBob();
      const [question] = await mainLine(ann, conversationId);
      const key = await bob.client.post('/api/keys', { name: 'events' });
      const bobs = await EventStream.follow(server.baseUrl, conversationId, { bearer: key.body.key });
      try {
        await say(ann, conversationId, 'Thread news for Bob.', question!.id);
        const created = await bobs.waitFor(
          (event) => event.type === 'message-created' && event.message.content === 'Thread news for Bob.',
        );
        assert.ok(created.event.type === 'message-created');
        assert.equal(created.event.message.threadRootId, question!.id);
        const reply = await bobs.waitFor((event) => event.type === 'reply-created');
        assert.ok(reply.event.type === 'reply-created');
        assert.equal(reply.event.threadRootId, question!.id);
        assert.equal(reply.event.parentId, created.event.message.id);
      } finally {
        await bobs.close();
      }
    });

    test('editing a message in the main line removes the threads of what it removes, and only those', async () => {
      const conversationId = await conversationWithBob();
      const [question] = await mainLine(ann, conversationId);
      await say(ann, conversationId, 'A second question.');
      const [, , second] = await mainLine(ann, conversationId);
      await say(ann, conversationId, 'On the first question.', question!.id);
      await say(ann, conversationId, 'On the second question.', second!.id);

      const edited = await ann.client.open(
        'POST',
        '/api/chat',
        JSON.stringify({
          id: conversationId,
          messageId: second!.id,
          message: { id: crypto.randomUUID(), role: 'user', parts: [{ type: 'text', text: 'A better question.' }] },
          modelIds: ['fake:alpha'],
        }),
      );
      assert.equal(edited.status, 200, await edited.clone().text());
      await readChat(edited.body!);
      const first = await ann.client.get(`/api/conversations/${conversationId}/threads/${question!.id}`);
      assert.equal(first.body.items.length, 2, "the first question's thread stays");
      const gone = await ann.client.get(`/api/conversations/${conversationId}/threads/${second!.id}`);
      assert.equal(gone.status, 404, 'the edited message went, with its thread');
    });

    test('a thread survives export and import: the transcript says which thread each message is in', async () => {
      const conversationId = await conversationWithBob();
      const [question] = await mainLine(ann, conversationId);
      // Named by the id the client gave the question: a page that sent it knows only that.
      const stored = await server.runtime.store.messages.getById({ actor: ann.actor, id: question!.id });
      await say(ann, conversationId, 'A thread to keep.', stored.requestId!);

      const exported = await ann.client.get(`/api/conversations/${conversationId}/export?format=json`);
      assert.equal(exported.status, 200);
      const inThread = exported.body.messages.filter((message: ApiMessage) => message.threadRootId === question!.id);
      assert.equal(inThread.length, 2);
      const imported = await ann.client.post('/api/conversations/import', exported.body);
      assert.equal(imported.status, 201, JSON.stringify(imported.body));
      const copyId = imported.body.conversations[0].id;
      const copy = await mainLine(ann, copyId);
      assert.equal(copy.length, 2, 'the thread stays out of the main line');
      assert.equal(copy[0]!.thread?.replyCount, 2);
      const thread = await ann.client.get(`/api/conversations/${copyId}/threads/${copy[0]!.id}`);
      assert.equal(thread.body.items[0].content, 'A thread to keep.');
    });

    test('a search hit in a thread names the message the thread hangs on', async () => {
      const conversationId = await conversationWithBob();
      const [question] = await mainLine(ann, conversationId);
      await say(bob, conversationId, 'Bioluminescent plankton glow at night.', question!.id);
      const found = await ann.client.get(
        `/api/search?q=${encodeURIComponent('bioluminescent')}&conversationId=${conversationId}`,
      );
      assert.equal(found.status, 200, JSON.stringify(found.body));
      assert.equal(found.body.items.length, 1);
      assert.equal(found.body.items[0].threadRootId, question!.id);
    });
  });
}
