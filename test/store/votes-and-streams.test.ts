import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { eq } from 'drizzle-orm';
import { conversationParticipants, messages, streams, transcripts, votes } from '../../src/db/schema/index.ts';
import { type Actor, actorOf, createStore, type Store } from '../../src/store/index.ts';
import { openTestDatabase, type TestDatabase, testBackends } from '../support/database.ts';

for (const kind of testBackends()) {
  describe(`votes and streams on ${kind}`, () => {
    let database: TestDatabase;
    let store: Store;
    before(async () => {
      database = await openTestDatabase(kind);
      store = createStore(database.db);
    });
    after(() => database.close());

    const newUser = async (): Promise<Actor> => {
      const user = await store.users.create({ displayName: 'Someone' });
      return actorOf(user);
    };
    /** A conversation with one question and one answer. */
    const newChat = async (owner: Actor, visibility: 'private' | 'public' = 'private') => {
      const conversation = await store.conversations.create({ actor: owner, title: 'Chat', visibility });
      const [question, answer] = await store.messages.save({
        actor: owner,
        conversationId: conversation.id,
        messages: [
          { role: 'user', content: 'question' },
          { role: 'assistant', content: 'answer' },
        ],
      });
      return { conversation, question: question!, answer: answer! };
    };

    describe('votes', () => {
      test('a person has one vote per message; voting again changes it', async () => {
        const owner = await newUser();
        const { conversation, answer } = await newChat(owner);
        const first = await store.votes.vote({
          actor: owner,
          conversationId: conversation.id,
          messageId: answer.id,
          isUpvoted: true,
        });
        assert.equal(first.isUpvoted, true);
        const second = await store.votes.vote({
          actor: owner,
          conversationId: conversation.id,
          messageId: answer.id,
          isUpvoted: false,
        });
        assert.equal(second.isUpvoted, false);
        const listed = await store.votes.listForConversation({ actor: owner, conversationId: conversation.id });
        assert.equal(listed.length, 1);
        assert.deepEqual([listed[0]!.messageId, listed[0]!.userId, listed[0]!.isUpvoted], [answer.id, owner.id, false]);
      });

      test('each member votes for themselves; the list holds every vote of the conversation and only it', async () => {
        const owner = await newUser();
        const member = await newUser();
        const { conversation, question, answer } = await newChat(owner);
        const other = await newChat(owner);
        await database.db
          .insert(conversationParticipants)
          .values({ conversationId: conversation.id, userId: member.id });
        await store.votes.vote({
          actor: owner,
          conversationId: conversation.id,
          messageId: answer.id,
          isUpvoted: true,
        });
        await store.votes.vote({
          actor: member,
          conversationId: conversation.id,
          messageId: answer.id,
          isUpvoted: false,
        });
        await store.votes.vote({
          actor: member,
          conversationId: conversation.id,
          messageId: question.id,
          isUpvoted: true,
        });
        await store.votes.vote({
          actor: owner,
          conversationId: other.conversation.id,
          messageId: other.answer.id,
          isUpvoted: true,
        });
        const listed = await store.votes.listForConversation({ actor: member, conversationId: conversation.id });
        assert.equal(listed.length, 3);
        assert.ok(listed.every((vote) => vote.conversationId === conversation.id));
      });

      test('a conversation without votes lists none', async () => {
        const owner = await newUser();
        const { conversation } = await newChat(owner);
        assert.deepEqual(await store.votes.listForConversation({ actor: owner, conversationId: conversation.id }), []);
      });

      test('a message of another conversation cannot be voted on through this one', async () => {
        const owner = await newUser();
        const { conversation } = await newChat(owner);
        const other = await newChat(owner);
        await assert.rejects(
          store.votes.vote({
            actor: owner,
            conversationId: conversation.id,
            messageId: other.answer.id,
            isUpvoted: true,
          }),
          { code: 'not_found' },
        );
      });

      test('strangers and readers of a public conversation neither vote nor list votes', async () => {
        const owner = await newUser();
        const stranger = await newUser();
        for (const visibility of ['private', 'public'] as const) {
          const { conversation, answer } = await newChat(owner, visibility);
          await store.votes.vote({
            actor: owner,
            conversationId: conversation.id,
            messageId: answer.id,
            isUpvoted: true,
          });
          await assert.rejects(
            store.votes.vote({
              actor: stranger,
              conversationId: conversation.id,
              messageId: answer.id,
              isUpvoted: false,
            }),
            { code: 'not_found' },
          );
          await assert.rejects(store.votes.listForConversation({ actor: stranger, conversationId: conversation.id }), {
            code: 'not_found',
          });
        }
      });

      test('a person takes back their own vote only; clearing no vote is fine, an unknown message is not found', async () => {
        const owner = await newUser();
        const member = await newUser();
        const { conversation, answer } = await newChat(owner);
        await database.db
          .insert(conversationParticipants)
          .values({ conversationId: conversation.id, userId: member.id });
        const target = { conversationId: conversation.id, messageId: answer.id };
        await store.votes.vote({ actor: owner, ...target, isUpvoted: true });
        await store.votes.vote({ actor: member, ...target, isUpvoted: false });
        await store.votes.clear({ actor: owner, ...target });
        await store.votes.clear({ actor: owner, ...target });
        const left = await store.votes.listForConversation({ actor: owner, conversationId: conversation.id });
        assert.deepEqual(
          left.map((vote) => vote.userId),
          [member.id],
        );
        await assert.rejects(
          store.votes.clear({ actor: owner, conversationId: conversation.id, messageId: crypto.randomUUID() }),
          { code: 'not_found' },
        );
      });

      test('a stranger cannot take back a vote, even in a public conversation', async () => {
        const owner = await newUser();
        const stranger = await newUser();
        const { conversation, answer } = await newChat(owner, 'public');
        await assert.rejects(
          store.votes.clear({ actor: stranger, conversationId: conversation.id, messageId: answer.id }),
          {
            code: 'not_found',
          },
        );
      });

      test("listMine holds the actor's own votes, optionally for some messages; readers of a public one have none", async () => {
        const owner = await newUser();
        const member = await newUser();
        const reader = await newUser();
        const stranger = await newUser();
        const { conversation, question, answer } = await newChat(owner, 'public');
        await database.db
          .insert(conversationParticipants)
          .values({ conversationId: conversation.id, userId: member.id });
        const conversationId = conversation.id;
        await store.votes.vote({ actor: owner, conversationId, messageId: answer.id, isUpvoted: true });
        await store.votes.vote({ actor: owner, conversationId, messageId: question.id, isUpvoted: false });
        await store.votes.vote({ actor: member, conversationId, messageId: answer.id, isUpvoted: false });
        const mine = await store.votes.listMine({ actor: owner, conversationId });
        assert.deepEqual(
          mine.map((vote) => [vote.messageId, vote.isUpvoted]).sort(),
          [
            [answer.id, true],
            [question.id, false],
          ].sort(),
        );
        const narrowed = await store.votes.listMine({ actor: owner, conversationId, messageIds: [answer.id] });
        assert.deepEqual(
          narrowed.map((vote) => vote.messageId),
          [answer.id],
        );
        assert.deepEqual(await store.votes.listMine({ actor: reader, conversationId }), []);

        const secret = await newChat(owner);
        await assert.rejects(store.votes.listMine({ actor: stranger, conversationId: secret.conversation.id }), {
          code: 'not_found',
        });
      });
    });

    describe('streams', () => {
      test('stream ids are listed newest first and can be removed', async () => {
        const owner = await newUser();
        const { conversation } = await newChat(owner);
        // Ids sort against time, so the order shown can only come from the times.
        for (const streamId of ['s-c', 's-b', 's-a']) {
          await store.turnStreams.record({
            actor: owner,
            conversationId: conversation.id,
            streamId: `${streamId}-${conversation.id}`,
          });
          await sleep(3);
        }
        const ids = await store.turnStreams.listIds({ actor: owner, conversationId: conversation.id });
        assert.deepEqual(
          ids,
          ['s-a', 's-b', 's-c'].map((id) => `${id}-${conversation.id}`),
        );
        await store.turnStreams.delete({ actor: owner, conversationId: conversation.id, streamId: ids[0]! });
        assert.deepEqual(
          await store.turnStreams.listIds({ actor: owner, conversationId: conversation.id }),
          ids.slice(1),
        );
        await assert.rejects(
          store.turnStreams.delete({ actor: owner, conversationId: conversation.id, streamId: ids[0]! }),
          {
            code: 'not_found',
          },
        );
      });

      test('a conversation without streams lists none; the same stream id twice is a conflict', async () => {
        const owner = await newUser();
        const { conversation } = await newChat(owner);
        assert.deepEqual(await store.turnStreams.listIds({ actor: owner, conversationId: conversation.id }), []);
        await store.turnStreams.record({
          actor: owner,
          conversationId: conversation.id,
          streamId: `dup-${conversation.id}`,
        });
        await assert.rejects(
          store.turnStreams.record({
            actor: owner,
            conversationId: conversation.id,
            streamId: `dup-${conversation.id}`,
          }),
          { code: 'conflict' },
        );
      });

      test('readers of a public conversation may list its streams to re-attach, but not record or remove them', async () => {
        const owner = await newUser();
        const reader = await newUser();
        const { conversation } = await newChat(owner, 'public');
        const streamId = `pub-${conversation.id}`;
        await store.turnStreams.record({ actor: owner, conversationId: conversation.id, streamId });
        assert.deepEqual(await store.turnStreams.listIds({ actor: reader, conversationId: conversation.id }), [
          streamId,
        ]);
        await assert.rejects(
          store.turnStreams.record({ actor: reader, conversationId: conversation.id, streamId: 'x' }),
          {
            code: 'not_found',
          },
        );
        await assert.rejects(store.turnStreams.delete({ actor: reader, conversationId: conversation.id, streamId }), {
          code: 'not_found',
        });
      });

      test('another user gets not-found for the streams of a private conversation', async () => {
        const owner = await newUser();
        const stranger = await newUser();
        const { conversation } = await newChat(owner);
        await store.turnStreams.record({
          actor: owner,
          conversationId: conversation.id,
          streamId: `priv-${conversation.id}`,
        });
        await assert.rejects(store.turnStreams.listIds({ actor: stranger, conversationId: conversation.id }), {
          code: 'not_found',
        });
        await assert.rejects(
          store.turnStreams.delete({
            actor: stranger,
            conversationId: conversation.id,
            streamId: `priv-${conversation.id}`,
          }),
          { code: 'not_found' },
        );
      });
    });

    test('deleting a conversation removes its messages, votes, streams and transcripts', async () => {
      const owner = await newUser();
      const { conversation, answer } = await newChat(owner);
      const kept = await newChat(owner);
      for (const { conversation: target, answer: message } of [{ conversation, answer }, kept]) {
        await store.votes.vote({ actor: owner, conversationId: target.id, messageId: message.id, isUpvoted: true });
        await store.turnStreams.record({ actor: owner, conversationId: target.id, streamId: `del-${target.id}` });
        await database.db.insert(transcripts).values({
          conversationId: target.id,
          storageKey: `transcripts/${target.id}.json`,
          format: 'json',
          fileSizeBytes: 10,
          messageCount: 2,
          createdBy: owner.id,
        });
      }
      await store.conversations.delete({ actor: owner, id: conversation.id });
      const count = async (conversationId: string) => ({
        messages: (await database.db.select().from(messages).where(eq(messages.conversationId, conversationId))).length,
        votes: (await database.db.select().from(votes).where(eq(votes.conversationId, conversationId))).length,
        streams: (await database.db.select().from(streams).where(eq(streams.conversationId, conversationId))).length,
        transcripts: (
          await database.db.select().from(transcripts).where(eq(transcripts.conversationId, conversationId))
        ).length,
      });
      assert.deepEqual(await count(conversation.id), { messages: 0, votes: 0, streams: 0, transcripts: 0 });
      assert.deepEqual(await count(kept.conversation.id), { messages: 2, votes: 1, streams: 1, transcripts: 1 });
    });
  });
}
