import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { PartialReplySaves } from '../../src/chat/partial-reply-saves.ts';
import { models } from '../../src/db/schema/index.ts';
import { type Actor, actorOf, createStore, type Store } from '../../src/store/index.ts';
import type { GrowingReply } from '../../src/store/replies.ts';
import { openTestDatabase, type TestDatabase, testBackends } from '../support/database.ts';

const INTERVAL_MS = 20;
const textOf = (content: string) => ({ content, parts: [{ type: 'text', text: content }] });

for (const kind of testBackends()) {
  describe(`partial reply saves on ${kind}`, () => {
    let database: TestDatabase;
    let store: Store;
    let owner: Actor;
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
      owner = actorOf(await store.users.create({ displayName: 'Someone' }));
    });
    after(() => database.close());

    const pendingReplies = async (count: number) => {
      const conversation = await store.conversations.create({ actor: owner, title: 'Chat', visibility: 'private' });
      const [question] = await store.messages.save({
        actor: owner,
        conversationId: conversation.id,
        messages: [{ role: 'user', content: 'go', parts: [{ type: 'text', text: 'go' }] }],
      });
      const pending = await store.replies.createPendingReplies(
        conversation.id,
        Array.from({ length: count }, () => ({ modelId: 'test:writer', parentId: question!.id })),
      );
      return pending.map((reply) => reply.id);
    };
    const contentOf = async (id: string) => (await store.messages.getById({ actor: owner, id })).content;

    /** The real store's saves, each batch recorded (the ids it held) and, when `gate` is set, held until it opens. */
    const recordedSaves = () => {
      const batches: string[][] = [];
      let gate: Promise<void> | undefined;
      const replies = {
        saveTexts: async (growing: GrowingReply[]) => {
          batches.push(growing.map((reply) => reply.id));
          await gate;
          await store.replies.saveTexts(growing);
        },
      };
      return { batches, replies, hold: (until: Promise<void>) => (gate = until) };
    };

    test('the replies that grew within an interval are written in one statement, each with its latest text', async () => {
      const [first, second] = await pendingReplies(2);
      const { batches, replies } = recordedSaves();
      const saves = new PartialReplySaves(replies, INTERVAL_MS);
      for (const text of ['Wh', 'Why', 'Why not']) saves.offer(first!, () => textOf(text));
      saves.offer(second!, () => textOf('Because'));
      await sleep(INTERVAL_MS * 5);
      assert.deepEqual(batches, [[first, second]]);
      assert.deepEqual([await contentOf(first!), await contentOf(second!)], ['Why not', 'Because']);

      saves.offer(first!, () => textOf('Why not, then?'));
      await sleep(INTERVAL_MS * 5);
      assert.deepEqual(batches, [[first, second], [first]], 'only what grew since is written again');
      assert.equal(await contentOf(first!), 'Why not, then?');
    });

    test("a reply's end is never overtaken by its partial save: settling waits for the write in flight", async () => {
      const [id] = await pendingReplies(1);
      const { batches, replies, hold } = recordedSaves();
      let open!: () => void;
      hold(new Promise((resolve) => (open = resolve)));
      const saves = new PartialReplySaves(replies, INTERVAL_MS);
      saves.offer(id!, () => textOf('Half a'));
      while (batches.length === 0) await sleep(INTERVAL_MS);

      let settled = false;
      const settling = saves.settle(id!).then(() => (settled = true));
      await sleep(INTERVAL_MS * 3);
      assert.equal(settled, false, 'the partial save is still being written');
      open();
      await settling;
      await store.replies.finish(id!, { ...textOf('Half a reply.'), status: 'complete', metadata: {} });
      await sleep(INTERVAL_MS * 3);
      assert.equal(await contentOf(id!), 'Half a reply.');
    });

    test('a reply settled before its turn to be written is not written at all', async () => {
      const [id] = await pendingReplies(1);
      const { batches, replies } = recordedSaves();
      const saves = new PartialReplySaves(replies, INTERVAL_MS);
      saves.offer(id!, () => textOf('Half a'));
      await saves.settle(id!);
      await store.replies.finish(id!, { ...textOf('Half a reply.'), status: 'complete', metadata: {} });
      await sleep(INTERVAL_MS * 5);
      assert.deepEqual(batches, []);
      assert.equal(await contentOf(id!), 'Half a reply.');
    });
  });
}
