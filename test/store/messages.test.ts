import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { conversationParticipants, conversations, messages, models } from '../../src/db/schema/index.ts';
import type { AppError } from '../../src/errors.ts';
import { createOrderedIdGenerator } from '../../src/store/ids.ts';
import { type Actor, actorOf, createStore, type Store } from '../../src/store/index.ts';
import type { NewMessage } from '../../src/store/messages.ts';
import { openTestDatabase, type TestDatabase, testBackends } from '../support/database.ts';

describe('message ids', () => {
  test('ids made in order sort in order, within one millisecond and when the clock goes back', () => {
    const clock = [1_000, 1_000, 1_000, 999, 1_001, 1_001];
    const newId = createOrderedIdGenerator(() => clock.shift()!);
    const ids = Array.from({ length: 6 }, () => newId());
    assert.deepEqual([...ids].sort(), ids);
    assert.equal(new Set(ids).size, ids.length);
  });

  test('ids are version 7 UUIDs carrying their millisecond', () => {
    const newId = createOrderedIdGenerator(() => Date.UTC(2026, 0, 2));
    const id = newId();
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(parseInt(id.replaceAll('-', '').slice(0, 12), 16), Date.UTC(2026, 0, 2));
  });

  test('thousands of ids in one millisecond stay unique and ordered', () => {
    const newId = createOrderedIdGenerator(() => 5);
    const ids = Array.from({ length: 10_000 }, () => newId());
    assert.deepEqual([...ids].sort(), ids);
    assert.equal(new Set(ids).size, ids.length);
  });
});

for (const kind of testBackends()) {
  describe(`message store on ${kind}`, () => {
    let database: TestDatabase;
    let store: Store;
    before(async () => {
      database = await openTestDatabase(kind);
      store = createStore(database.db);
      await database.db.insert(models).values({
        id: 'test:writer',
        provider: 'test',
        providerModelId: 'writer',
        name: 'Writer',
        contextWindow: 8_000,
        pricing: { input: 1, output: 2 },
      });
    });
    after(() => database.close());

    const newUser = async (): Promise<Actor> => {
      const user = await store.users.create({ displayName: 'Someone' });
      return actorOf(user);
    };
    const newConversation = (owner: Actor, visibility: 'private' | 'public' = 'private') =>
      store.conversations.create({ actor: owner, title: 'Chat', visibility });
    const say = (content: string, extra: Partial<NewMessage> = {}): NewMessage => ({
      role: 'user',
      content,
      parts: [{ type: 'text', text: content }],
      ...extra,
    });
    const walkAllPages = async (actor: Actor, conversationId: string, limit: number) => {
      const seen: string[] = [];
      let before: string | null = null;
      do {
        const page = await store.messages.page({ actor, conversationId, limit, before });
        assert.ok(page.items.length <= limit);
        seen.push(...page.items.map((message) => message.content!));
        before = page.nextCursor;
      } while (before);
      return seen;
    };

    test('a batch is saved in order: people as senders, models as authors, the conversation moved to the top', async () => {
      const owner = await newUser();
      const conversation = await newConversation(owner);
      const saved = await store.messages.save({
        actor: owner,
        conversationId: conversation.id,
        messages: [
          say('hello', { attachments: [{ key: 'files/a.png', name: 'a.png', mediaType: 'image/png', sizeBytes: 3 }] }),
          {
            role: 'assistant',
            content: 'hi',
            parts: [{ type: 'text', text: 'hi' }],
            modelId: 'test:writer',
            costUsd: 0.000125,
            inputTokens: 3,
            outputTokens: 1,
          },
        ],
      });
      assert.deepEqual(
        saved.map((message) => message.content),
        ['hello', 'hi'],
      );
      assert.equal(saved[0]!.senderId, owner.id);
      assert.equal(saved[0]!.attachments[0]!.name, 'a.png');
      assert.equal(saved[1]!.senderId, null);
      assert.equal(saved[1]!.modelId, 'test:writer');
      assert.equal(saved[1]!.costUsd, 0.000125);
      assert.equal(saved[1]!.status, 'complete');
      assert.ok(saved[0]!.id < saved[1]!.id, 'ids made in order sort in order');
      assert.ok(saved[0]!.createdAt <= saved[1]!.createdAt);
      const moved = await store.conversations.get({ actor: owner, id: conversation.id });
      assert.ok(moved.lastMessageAt >= saved[1]!.createdAt);
    });

    test('a retried request id returns the stored message and never doubles it, also within one batch', async () => {
      const owner = await newUser();
      const conversation = await newConversation(owner);
      const first = await store.messages.save({
        actor: owner,
        conversationId: conversation.id,
        messages: [say('once', { requestId: `req-${conversation.id}` })],
      });
      const retried = await store.messages.save({
        actor: owner,
        conversationId: conversation.id,
        messages: [
          say('once, again', { requestId: `req-${conversation.id}` }),
          say('new', { requestId: `new-${conversation.id}` }),
          say('new', { requestId: `new-${conversation.id}` }),
        ],
      });
      assert.equal(retried[0]!.id, first[0]!.id);
      assert.equal(retried[0]!.content, 'once');
      assert.equal(retried[1]!.id, retried[2]!.id);
      const stored = await database.db.select().from(messages).where(eq(messages.conversationId, conversation.id));
      assert.equal(stored.length, 2);
    });

    test('a request id used in another conversation is a new message here, and reveals nothing of the other', async () => {
      const owner = await newUser();
      const stranger = await newUser();
      const theirs = await newConversation(owner);
      const mine = await newConversation(stranger);
      await store.messages.save({
        actor: owner,
        conversationId: theirs.id,
        messages: [say('private', { requestId: `shared-${theirs.id}` })],
      });
      const [saved] = await store.messages.save({
        actor: stranger,
        conversationId: mine.id,
        messages: [say('guess', { requestId: `shared-${theirs.id}` })],
      });
      assert.equal(saved!.content, 'guess');
      assert.equal(saved!.conversationId, mine.id);
      const page = await store.messages.page({ actor: stranger, conversationId: mine.id });
      assert.deepEqual(
        page.items.map((message) => message.content),
        ['guess'],
      );
      assert.deepEqual(
        (await store.messages.page({ actor: owner, conversationId: theirs.id })).items.map(
          (message) => message.content,
        ),
        ['private'],
      );
    });

    test('another user gets not-found for every message function of a private conversation, never data', async () => {
      const owner = await newUser();
      const stranger = await newUser();
      const conversation = await newConversation(owner);
      const [message] = await store.messages.save({
        actor: owner,
        conversationId: conversation.id,
        messages: [say('secret')],
      });
      const notFound = { code: 'not_found' };
      await assert.rejects(
        store.messages.save({ actor: stranger, conversationId: conversation.id, messages: [say('x')] }),
        notFound,
      );
      await assert.rejects(
        store.messages.save({ actor: stranger, conversationId: conversation.id, messages: [] }),
        notFound,
      );
      await assert.rejects(store.messages.page({ actor: stranger, conversationId: conversation.id }), notFound);
      await assert.rejects(store.messages.getById({ actor: stranger, id: message!.id }), notFound);
      await assert.rejects(
        store.messages.deleteFollowing({
          actor: stranger,
          conversationId: conversation.id,
          messageId: message!.id,
          inclusive: true,
        }),
        notFound,
      );
      assert.equal((await store.messages.page({ actor: owner, conversationId: conversation.id })).items.length, 1);
    });

    test('a public conversation is readable by anyone but writable only by its members', async () => {
      const owner = await newUser();
      const member = await newUser();
      const reader = await newUser();
      const conversation = await newConversation(owner, 'public');
      await database.db.insert(conversationParticipants).values({ conversationId: conversation.id, userId: member.id });
      const [message] = await store.messages.save({
        actor: member,
        conversationId: conversation.id,
        messages: [say('from a member')],
      });
      assert.equal(message!.senderId, member.id);
      const page = await store.messages.page({ actor: reader, conversationId: conversation.id });
      assert.deepEqual(
        page.items.map((item) => item.content),
        ['from a member'],
      );
      assert.equal((await store.messages.getById({ actor: reader, id: message!.id })).content, 'from a member');
      await assert.rejects(
        store.messages.save({ actor: reader, conversationId: conversation.id, messages: [say('drive-by')] }),
        {
          code: 'not_found',
        },
      );
      await assert.rejects(
        store.messages.deleteFollowing({
          actor: reader,
          conversationId: conversation.id,
          messageId: message!.id,
          inclusive: true,
        }),
        { code: 'not_found' },
      );
    });

    test('pages walk newest first without gaps or repeats, across batches and within one batch', async () => {
      const owner = await newUser();
      const conversation = await newConversation(owner);
      const written: string[] = [];
      for (const size of [1, 12, 3, 7]) {
        const batch = Array.from({ length: size }, (_, index) => say(`m${written.length + index}`));
        await store.messages.save({ actor: owner, conversationId: conversation.id, messages: batch });
        written.push(...batch.map((message) => message.content!));
      }
      const expected = [...written].reverse();
      for (const limit of [1, 4, 5, 23, 100]) {
        assert.deepEqual(await walkAllPages(owner, conversation.id, limit), expected, `limit ${limit}`);
      }
    });

    test('messages sharing one created_at are ordered by their id', async () => {
      const owner = await newUser();
      const conversation = await newConversation(owner);
      const at = new Date('2026-03-01T10:00:00.000Z');
      await store.messages.save({
        actor: owner,
        conversationId: conversation.id,
        messages: ['a', 'b', 'c', 'd', 'e'].map((content) => say(content, { createdAt: at })),
      });
      assert.deepEqual(await walkAllPages(owner, conversation.id, 2), ['e', 'd', 'c', 'b', 'a']);
    });

    test('an empty conversation has an empty page; a malformed cursor is invalid input', async () => {
      const owner = await newUser();
      const conversation = await newConversation(owner);
      assert.deepEqual(await store.messages.page({ actor: owner, conversationId: conversation.id }), {
        items: [],
        nextCursor: null,
      });
      await assert.rejects(store.messages.page({ actor: owner, conversationId: conversation.id, before: 'garbage' }), {
        code: 'invalid_input',
      });
    });

    test('a thousand messages are saved in one batch, in order', async () => {
      const owner = await newUser();
      const conversation = await newConversation(owner);
      const batch = Array.from({ length: 1_000 }, (_, index) =>
        say(`bulk ${index}`, { requestId: `bulk-${conversation.id}-${index}` }),
      );
      const saved = await store.messages.save({ actor: owner, conversationId: conversation.id, messages: batch });
      assert.equal(saved.length, 1_000);
      assert.deepEqual(
        saved.map((message) => message.content),
        batch.map((message) => message.content),
      );
      const page = await store.messages.page({ actor: owner, conversationId: conversation.id, limit: 3 });
      assert.deepEqual(
        page.items.map((message) => message.content),
        ['bulk 999', 'bulk 998', 'bulk 997'],
      );
    });

    test('an unknown model is invalid input and saves nothing of the batch', async () => {
      const owner = await newUser();
      const conversation = await newConversation(owner);
      await assert.rejects(
        store.messages.save({
          actor: owner,
          conversationId: conversation.id,
          messages: [say('fine'), { role: 'assistant', content: '?', modelId: 'test:nobody' }],
        }),
        { code: 'invalid_input' },
      );
      assert.equal((await store.messages.page({ actor: owner, conversationId: conversation.id })).items.length, 0);
    });

    test('deleteFollowing removes what comes after a message, exactly, even within one millisecond', async () => {
      const owner = await newUser();
      const stranger = await newUser();
      const conversation = await newConversation(owner);
      const sameMoment = new Date('2026-04-02T00:00:00.000Z');
      const saved = await store.messages.save({
        actor: owner,
        conversationId: conversation.id,
        messages: ['q1', 'a1', 'q2', 'a2'].map((content) => say(content, { createdAt: sameMoment })),
      });
      await assert.rejects(
        store.messages.deleteFollowing({ actor: stranger, conversationId: conversation.id, messageId: saved[1]!.id }),
        { code: 'not_found' },
      );
      assert.deepEqual(
        await store.messages.deleteFollowing({
          actor: owner,
          conversationId: conversation.id,
          messageId: saved[2]!.id,
        }),
        [saved[3]!.id],
      );
      assert.deepEqual(await walkAllPages(owner, conversation.id, 10), ['q2', 'a1', 'q1']);
      assert.deepEqual(
        (
          await store.messages.deleteFollowing({
            actor: owner,
            conversationId: conversation.id,
            messageId: saved[1]!.id,
            inclusive: true,
          })
        ).sort(),
        [saved[1]!.id, saved[2]!.id].sort(),
      );
      assert.deepEqual(await walkAllPages(owner, conversation.id, 10), ['q1']);
    });

    test("deleteFollowing counts a model's reply to another person's message as theirs, and removes nothing then", async () => {
      const owner = await newUser();
      const member = await newUser();
      const conversation = await newConversation(owner);
      await database.db.insert(conversationParticipants).values({ conversationId: conversation.id, userId: member.id });
      const base = Date.parse('2026-04-03T00:00:00.000Z');
      const [question] = await store.messages.save({
        actor: owner,
        conversationId: conversation.id,
        messages: [say('the owner asks', { createdAt: new Date(base) })],
      });
      const [own] = await store.messages.save({
        actor: member,
        conversationId: conversation.id,
        messages: [say('the member adds', { createdAt: new Date(base + 1_000) })],
      });
      // A reply to the owner's question that began after the member wrote (a follower of a first-responder turn).
      await store.replies.createPendingReplies(conversation.id, [{ parentId: question!.id, modelId: 'test:writer' }]);
      const edit = { conversationId: conversation.id, messageId: own!.id, inclusive: true };
      await assert.rejects(store.messages.deleteFollowing({ actor: member, ...edit }), { code: 'conflict' });
      assert.equal((await store.messages.page({ actor: owner, conversationId: conversation.id })).items.length, 3);
      assert.equal((await store.messages.deleteFollowing({ actor: owner, ...edit })).length, 2, 'the owner may');
    });

    test('countBySenderSince counts one person’s messages in a time window', async () => {
      const owner = await newUser();
      const conversation = await newConversation(owner);
      const since = new Date(Date.now() - 60_000);
      await store.messages.save({
        actor: owner,
        conversationId: conversation.id,
        messages: [
          say('old', { createdAt: new Date(since.getTime() - 1_000) }),
          say('one'),
          say('two'),
          { role: 'assistant', content: 'not a person' },
        ],
      });
      assert.equal(await store.messages.countBySenderSince({ userId: owner.id, since }), 2);
      assert.equal(await store.messages.countBySenderSince({ userId: (await newUser()).id, since }), 0);
    });

    test('a pending reply streams in through updates and ends complete with usage, cost and latency', async () => {
      const owner = await newUser();
      const conversation = await newConversation(owner);
      const [question] = await store.messages.save({
        actor: owner,
        conversationId: conversation.id,
        messages: [say('why?')],
      });
      const [pending] = await store.replies.createPendingReplies(conversation.id, [
        { modelId: 'test:writer', parentId: question!.id },
      ]);
      assert.ok(pending);
      assert.equal(pending.status, 'streaming');
      assert.equal(pending.role, 'assistant');
      assert.deepEqual(pending.parts, []);
      await store.replies.update(pending.id, { content: 'Bec', parts: [{ type: 'text', text: 'Bec' }] });
      await store.replies.update(pending.id, {
        attachments: [{ key: 'k', name: 'chart.png', mediaType: 'image/png', sizeBytes: 9 }],
      });
      const done = await store.replies.update(pending.id, {
        content: 'Because.',
        status: 'complete',
        inputTokens: 10,
        outputTokens: 2,
        costUsd: 0.0000123456,
        latencyMs: 420,
      });
      assert.equal(done.content, 'Because.');
      assert.deepEqual(done.parts, [{ type: 'text', text: 'Bec' }], 'a partial change keeps the other text fields');
      assert.equal(done.attachments[0]!.name, 'chart.png');
      assert.equal(done.status, 'complete');
      assert.equal(done.costUsd, 0.0000123456);
      assert.equal(done.latencyMs, 420);
      const page = await store.messages.page({ actor: owner, conversationId: conversation.id });
      assert.deepEqual(
        page.items.map((message) => message.content),
        ['Because.', 'why?'],
      );
      await assert.rejects(store.replies.update('00000000-0000-7000-8000-000000000000', { status: 'stopped' }), {
        code: 'not_found',
      });
    });

    test("the turn runner's writes of a reply: its text as it grows, then its end, each moving updated_at", async () => {
      const owner = await newUser();
      const conversation = await newConversation(owner);
      const [question] = await store.messages.save({
        actor: owner,
        conversationId: conversation.id,
        messages: [say('how?')],
      });
      const [pending] = await store.replies.createPendingReplies(conversation.id, [
        { modelId: 'test:writer', parentId: question!.id },
      ]);
      const updatedAt = async () =>
        (await database.db.select().from(messages).where(eq(messages.id, pending!.id)))[0]!.updatedAt;
      const longAgo = new Date(Date.now() - 60 * 60_000);
      await database.db.update(messages).set({ updatedAt: longAgo }).where(eq(messages.id, pending!.id));

      await store.replies.saveTexts([
        { id: pending!.id, text: { content: 'Car', parts: [{ type: 'text', text: 'Car' }] } },
      ]);
      const grown = await store.messages.getById({ actor: owner, id: pending!.id });
      assert.equal(grown.content, 'Car');
      assert.equal(grown.status, 'streaming');
      assert.ok((await updatedAt()) > longAgo, 'a growing reply is not taken for an abandoned one');

      await database.db.update(messages).set({ updatedAt: longAgo }).where(eq(messages.id, pending!.id));
      const ending = {
        content: 'Carefully.',
        parts: [{ type: 'text', text: 'Carefully.' }],
        status: 'complete' as const,
      };
      await store.replies.finish(pending!.id, {
        ...ending,
        inputTokens: 7,
        outputTokens: 3,
        costUsd: 0.0000042,
        latencyMs: 99,
        metadata: {},
      });
      const done = await store.messages.getById({ actor: owner, id: pending!.id });
      assert.deepEqual(
        [
          done.content,
          done.parts,
          done.status,
          done.inputTokens,
          done.outputTokens,
          done.cachedInputTokens,
          done.costUsd,
          done.latencyMs,
        ],
        ['Carefully.', ending.parts, 'complete', 7, 3, null, 0.0000042, 99],
      );
      assert.ok((await updatedAt()) > longAgo);

      // A provider that reported nothing: the accounting stays empty, the error is kept.
      const [failed] = await store.replies.createPendingReplies(conversation.id, [
        { modelId: 'test:writer', parentId: question!.id },
      ]);
      await store.replies.finish(failed!.id, {
        content: '',
        parts: [],
        status: 'error',
        metadata: { error: 'the provider refused' },
      });
      const refused = await store.messages.getById({ actor: owner, id: failed!.id });
      assert.deepEqual(
        [refused.status, refused.inputTokens, refused.costUsd, refused.metadata],
        ['error', null, null, { error: 'the provider refused' }],
      );
      await assert.rejects(store.replies.finish('00000000-0000-7000-8000-000000000000', { ...ending, metadata: {} }), {
        code: 'not_found',
      });
    });

    test('the growing texts of several replies are saved together, each into its own row', async () => {
      const owner = await newUser();
      const conversation = await newConversation(owner);
      const [question] = await store.messages.save({
        actor: owner,
        conversationId: conversation.id,
        messages: [say('both of you?')],
      });
      const pending = await store.replies.createPendingReplies(conversation.id, [
        { modelId: 'test:writer', parentId: question!.id },
        { modelId: 'test:writer', parentId: question!.id },
      ]);
      const textOf = (content: string) => ({ content, parts: [{ type: 'text', text: content }] });
      await store.replies.saveTexts([
        { id: pending[0]!.id, text: textOf('One') },
        { id: pending[1]!.id, text: textOf('Two, with a NUL\u0000') },
      ]);
      const saved = await Promise.all(pending.map(({ id }) => store.messages.getById({ actor: owner, id })));
      assert.deepEqual(
        saved.map((reply) => [reply.content, reply.parts, reply.status]),
        [
          ['One', [{ type: 'text', text: 'One' }], 'streaming'],
          ['Two, with a NUL\uFFFD', [{ type: 'text', text: 'Two, with a NUL\uFFFD' }], 'streaming'],
        ],
      );
      // A reply gone (its conversation deleted meanwhile) fails its save; the others are saved all the same.
      await assert.rejects(
        store.replies.saveTexts([
          { id: '00000000-0000-7000-8000-000000000000', text: textOf('lost') },
          { id: pending[0]!.id, text: textOf('One more') },
        ]),
        { code: 'not_found' },
      );
      assert.equal((await store.messages.getById({ actor: owner, id: pending[0]!.id })).content, 'One more');
    });

    test('replies ending at the same time are each written with their own end; an unknown one fails alone', async () => {
      const owner = await newUser();
      const conversation = await newConversation(owner);
      const [question] = await store.messages.save({
        actor: owner,
        conversationId: conversation.id,
        messages: [say('all of you?')],
      });
      const pending = await store.replies.createPendingReplies(
        conversation.id,
        [1, 2, 3].map(() => ({ modelId: 'test:writer', parentId: question!.id })),
      );
      const endOf = (index: number) => ({
        content: `Reply ${index}`,
        parts: [{ type: 'text', text: `Reply ${index}` }],
        status: index === 2 ? ('error' as const) : ('complete' as const),
        inputTokens: index,
        outputTokens: 10 * index,
        costUsd: index / 1_000_000,
        latencyMs: 100 * index,
        metadata: index === 2 ? { error: 'the provider refused' } : {},
      });
      const outcomes = await Promise.allSettled([
        ...pending.map((reply, index) => store.replies.finish(reply.id, endOf(index + 1))),
        store.replies.finish('00000000-0000-7000-8000-000000000000', endOf(4)),
      ]);
      assert.deepEqual(
        outcomes.map((outcome) => (outcome.status === 'fulfilled' ? 'written' : (outcome.reason as AppError).code)),
        ['written', 'written', 'written', 'not_found'],
      );
      const ended = await Promise.all(pending.map(({ id }) => store.messages.getById({ actor: owner, id })));
      assert.deepEqual(
        ended.map((reply) => [
          reply.content,
          reply.status,
          reply.inputTokens,
          reply.outputTokens,
          reply.costUsd,
          reply.latencyMs,
          reply.metadata,
        ]),
        [1, 2, 3].map((index) => {
          const end = endOf(index);
          return [end.content, end.status, index, 10 * index, end.costUsd, end.latencyMs, end.metadata];
        }),
      );
    });

    test('replies left streaming and quiet are ended as errors with their text kept; live ones are not', async () => {
      const owner = await newUser();
      const conversation = await newConversation(owner);
      const [question] = await store.messages.save({
        actor: owner,
        conversationId: conversation.id,
        messages: [say('go')],
      });
      const pending = async () =>
        (
          await store.replies.createPendingReplies(conversation.id, [
            { modelId: 'test:writer', parentId: question!.id },
          ])
        )[0]!;
      const abandoned = await pending();
      await store.replies.update(abandoned.id, { content: 'half a', parts: [{ type: 'text', text: 'half a' }] });
      const live = await pending();
      await database.db
        .update(messages)
        .set({ updatedAt: new Date(Date.now() - 10 * 60_000) })
        .where(eq(messages.id, abandoned.id));
      assert.equal(await store.replies.countStreaming(conversation.id), 2);

      const ended = await store.replies.endAbandonedReplies({ quietSince: new Date(Date.now() - 60_000) });
      assert.deepEqual(ended, [{ id: abandoned.id, conversationId: conversation.id, modelId: 'test:writer' }]);
      const after = await store.messages.getById({ actor: owner, id: abandoned.id });
      assert.equal(after.status, 'error');
      assert.equal(after.content, 'half a');
      assert.match(String(after.metadata.error), /server stopped before the reply finished/);
      assert.equal((await store.messages.getById({ actor: owner, id: live.id })).status, 'streaming');
      assert.equal(await store.replies.countStreaming(conversation.id), 1);
    });

    test('the models that wrote messages are named, also once retired', async () => {
      await database.db.insert(models).values({
        id: 'test:retired',
        provider: 'test',
        providerModelId: 'retired',
        name: 'Retired',
        displayName: 'Old Faithful',
        contextWindow: 8_000,
        pricing: { input: 1, output: 2 },
        status: 'deprecated',
      });
      const names = await store.messages.modelNames(['test:writer', 'test:retired', 'test:writer', 'test:unknown']);
      assert.deepEqual(Object.fromEntries(names), {
        'test:writer': { name: 'Writer', displayName: null, avatar: null },
        'test:retired': { name: 'Retired', displayName: 'Old Faithful', avatar: null },
      });
      assert.equal((await store.messages.modelNames([])).size, 0);
    });

    test('a first message creates its conversation, with its owner and models, in the same statement', async () => {
      const owner = await newUser();
      const id = crypto.randomUUID();
      const {
        conversation,
        messages: [first],
      } = await store.messages.saveInNewConversation({
        actor: owner,
        conversation: { id, title: 'Fresh', modelIds: ['test:writer'] },
        messages: [say('hello')],
      });
      assert.equal(conversation.id, id);
      assert.equal(conversation.ownerId, owner.id);
      assert.equal(conversation.title, 'Fresh');
      assert.equal(first!.conversationId, id);
      assert.equal(first!.senderId, owner.id);
      const found = await store.conversations.findWritableWithMembers({ actor: owner, id });
      assert.deepEqual(
        found?.members.map((member) => member.modelId),
        ['test:writer'],
      );
      const listed = await store.conversations.listForUser({ actor: owner });
      assert.deepEqual(
        listed.items.map((item) => [item.id, item.role]),
        [[id, 'owner']],
      );
      const page = await store.messages.page({ actor: owner, conversationId: id });
      assert.deepEqual(
        page.items.map((message) => message.content),
        ['hello'],
      );
    });

    test('a first message for a taken conversation id, or naming an unknown model, writes nothing', async () => {
      const owner = await newUser();
      const other = await newUser();
      const taken = await newConversation(other);
      await assert.rejects(
        store.messages.saveInNewConversation({
          actor: owner,
          conversation: { id: taken.id },
          messages: [say('mine?')],
        }),
        { code: 'conflict' },
      );
      const unknownModel = crypto.randomUUID();
      await assert.rejects(
        store.messages.saveInNewConversation({
          actor: owner,
          conversation: { id: unknownModel, modelIds: ['test:nobody'] },
          messages: [say('anyone?')],
        }),
        { code: 'invalid_input' },
      );
      for (const id of [taken.id, unknownModel]) {
        const saved = await database.db.select().from(messages).where(eq(messages.conversationId, id));
        assert.equal(saved.length, 0);
      }
      assert.equal(
        (await database.db.select().from(conversations).where(eq(conversations.id, unknownModel))).length,
        0,
      );
    });

    test("pending replies are written together, with the turn's stream, and only in a conversation that exists", async () => {
      const owner = await newUser();
      const conversation = await newConversation(owner);
      const streamId = crypto.randomUUID();
      const replies = await store.replies.createPendingReplies(
        conversation.id,
        [{ modelId: 'test:writer' }, { modelId: 'test:writer', isFirstResponder: true }],
        { streamId },
      );
      assert.deepEqual(
        replies.map((reply) => [reply.role, reply.status, reply.isFirstResponder]),
        [
          ['assistant', 'streaming', false],
          ['assistant', 'streaming', true],
        ],
      );
      const page = await store.messages.page({ actor: owner, conversationId: conversation.id });
      assert.deepEqual(
        page.items.map((message) => message.id).reverse(),
        replies.map((reply) => reply.id),
        'in the given order',
      );
      assert.deepEqual(await store.turnStreams.listIds({ actor: owner, conversationId: conversation.id }), [streamId]);
      await assert.rejects(store.replies.createPendingReplies(crypto.randomUUID(), [{ modelId: 'test:writer' }]), {
        code: 'invalid_input',
      });
    });

    test('deleting a conversation deletes its messages', async () => {
      const owner = await newUser();
      const conversation = await newConversation(owner);
      await store.messages.save({ actor: owner, conversationId: conversation.id, messages: [say('gone soon')] });
      await store.conversations.delete({ actor: owner, id: conversation.id });
      const left = await database.db.select().from(messages).where(eq(messages.conversationId, conversation.id));
      assert.equal(left.length, 0);
      assert.equal(
        (await database.db.select().from(conversations).where(eq(conversations.id, conversation.id))).length,
        0,
      );
    });
  });
}
