import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { asc, eq } from 'drizzle-orm';
import { messages } from '../../src/db/schema/index.ts';
import { priceUsage } from '../../src/models/pricing.ts';
import { ModelRegistry } from '../../src/registry/registry-service.ts';
import { type Actor, actorOf, createStore, type Store } from '../../src/store/index.ts';
import { openTestDatabase, type TestDatabase, testBackends } from '../support/database.ts';

const at = (iso: string) => new Date(iso);
const JANUARY = { since: at('2026-01-01T00:00:00Z'), until: at('2026-02-01T00:00:00Z') };

// acme:cheap has a cache price, acme:plain has none (its cached tokens cost the ordinary input price).
const CHEAP_V1 = { input: 1, output: 2, cacheRead: 0.5 };
const PLAIN = { input: 3, output: 15, cacheRead: null };

for (const kind of testBackends()) {
  describe(`repricing past replies and usage analytics on ${kind}`, () => {
    let database: TestDatabase;
    let store: Store;
    let registry: ModelRegistry;
    let admin: Actor;
    let alice: Actor;
    let bob: Actor;

    /** A question from `asker` and the given replies to it, all at `time`. */
    async function turn(
      asker: Actor,
      time: string,
      replies: {
        modelId: string;
        inputTokens?: number;
        cachedInputTokens?: number;
        outputTokens?: number;
        status?: 'streaming';
      }[],
    ) {
      const conversation = await store.conversations.create({ actor: asker, title: time });
      const [question] = await store.messages.save({
        actor: asker,
        conversationId: conversation.id,
        messages: [{ role: 'user', content: 'Why?', createdAt: at(time) }],
      });
      const pricing = (modelId: string) => (modelId === 'acme:cheap' ? CHEAP_V1 : PLAIN);
      return store.messages.save({
        actor: asker,
        conversationId: conversation.id,
        messages: replies.map((reply) => ({
          role: 'assistant' as const,
          content: 'Because.',
          parentId: question!.id,
          modelVersion: 1,
          createdAt: at(time),
          status: reply.status ?? 'complete',
          ...reply,
          costUsd:
            reply.inputTokens === undefined
              ? null
              : priceUsage(pricing(reply.modelId), {
                  inputTokens: reply.inputTokens,
                  outputTokens: reply.outputTokens ?? 0,
                  cachedInputTokens: reply.cachedInputTokens ?? 0,
                }),
        })),
      });
    }

    before(async () => {
      database = await openTestDatabase(kind);
      store = createStore(database.db);
      registry = new ModelRegistry(store);
      admin = actorOf(await store.users.create({ displayName: 'Admin', role: 'admin' }));
      alice = actorOf(await store.users.create({ displayName: 'Alice' }));
      bob = actorOf(await store.users.create({ displayName: 'Bob' }));
      for (const [id, pricing] of [
        ['acme:cheap', CHEAP_V1],
        ['acme:plain', PLAIN],
      ] as const) {
        const [provider, providerModelId] = id.split(':');
        const model = {
          id,
          provider: provider!,
          providerModelId: providerModelId!,
          name: id,
          contextWindow: 8000,
          pricing,
        };
        await registry.create({ actor: admin, model });
      }
      await turn(alice, '2026-01-10T10:00:00Z', [
        { modelId: 'acme:cheap', inputTokens: 1000, cachedInputTokens: 200, outputTokens: 500 }, // 0.0019
        { modelId: 'acme:plain', inputTokens: 2000, cachedInputTokens: 100, outputTokens: 100 }, // 0.0075
      ]);
      await turn(bob, '2026-01-11T12:00:00Z', [
        { modelId: 'acme:cheap', inputTokens: 1_000_000, cachedInputTokens: 400_000, outputTokens: 10_000 }, // 0.82
        { modelId: 'acme:plain', status: 'streaming' }, // still being written: neither repriced nor counted
      ]);
      await turn(bob, '2025-12-31T23:59:59.999Z', [{ modelId: 'acme:cheap', inputTokens: 5000, outputTokens: 5000 }]);
    });
    after(() => database.close());

    const costs = async () =>
      database.db
        .select({
          modelId: messages.modelId,
          createdAt: messages.createdAt,
          costUsd: messages.costUsd,
          modelVersion: messages.modelVersion,
        })
        .from(messages)
        .where(eq(messages.role, 'assistant'))
        .orderBy(asc(messages.createdAt), asc(messages.costUsd));

    test('usage by model, by the person who asked, and by day, over a period', async () => {
      const period = { actor: admin, from: JANUARY.since, to: JANUARY.until };
      assert.deepEqual(await registry.usage({ ...period, groupBy: 'model' }), [
        {
          key: 'acme:cheap',
          messages: 2,
          inputTokens: 1_001_000,
          outputTokens: 10_500,
          cachedInputTokens: 400_200,
          costUsd: 0.8219,
        },
        {
          key: 'acme:plain',
          messages: 1,
          inputTokens: 2000,
          outputTokens: 100,
          cachedInputTokens: 100,
          costUsd: 0.0075,
        },
      ]);
      const byUser = await registry.usage({ ...period, groupBy: 'user' });
      assert.deepEqual(Object.fromEntries(byUser.map(({ key, ...totals }) => [key, totals])), {
        [alice.id]: { messages: 2, inputTokens: 3000, outputTokens: 600, cachedInputTokens: 300, costUsd: 0.0094 },
        [bob.id]: {
          messages: 1,
          inputTokens: 1_000_000,
          outputTokens: 10_000,
          cachedInputTokens: 400_000,
          costUsd: 0.82,
        },
      });
      assert.deepEqual(
        (await registry.usage({ ...period, groupBy: 'day' })).map(({ key, messages: count, costUsd }) => ({
          key,
          count,
          costUsd,
        })),
        [
          { key: '2026-01-10', count: 2, costUsd: 0.0094 },
          { key: '2026-01-11', count: 1, costUsd: 0.82 },
        ],
      );
      const lastDayOf2025 = await registry.usage({
        actor: admin,
        from: at('2025-12-31T00:00:00Z'),
        to: JANUARY.since,
        groupBy: 'day',
      });
      assert.deepEqual(
        lastDayOf2025.map((row) => [row.key, row.messages]),
        [['2025-12-31', 1]],
      );
      await assert.rejects(registry.usage({ actor: admin, from: JANUARY.until, to: JANUARY.since, groupBy: 'day' }), {
        code: 'invalid_input',
      });
    });

    test('a price change, then a reprice of January: new costs with cached tokens, the differences reported', async () => {
      const before = await costs();
      const repriced = await registry.update({
        actor: admin,
        id: 'acme:cheap',
        updates: { pricing: { input: 0.5, cacheRead: 0.1 } },
      });
      assert.equal(repriced.model.version, 2);

      const result = await registry.repriceMessages({ actor: admin, ...JANUARY });

      // acme:cheap was (800 × 1 + 200 × 0.5 + 500 × 2) / 1e6 = 0.0019 and
      // (600,000 × 1 + 400,000 × 0.5 + 10,000 × 2) / 1e6 = 0.82; at the new prices (800 × 0.5 + 200 × 0.1 + 500 × 2) / 1e6
      // = 0.00142 and (600,000 × 0.5 + 400,000 × 0.1 + 20,000) / 1e6 = 0.36.
      // acme:plain has no cache price: (2,000 × 3 + 100 × 15) / 1e6 = 0.0075, before and after.
      assert.deepEqual(result, {
        since: JANUARY.since,
        until: JANUARY.until,
        messages: 3,
        previousTotalUsd: 0.8294,
        newTotalUsd: 0.36892,
        differenceUsd: -0.46048,
        changedMessages: 2,
        byModel: [
          {
            modelId: 'acme:cheap',
            modelVersion: 2,
            messages: 2,
            previousTotalUsd: 0.8219,
            newTotalUsd: 0.36142,
            differenceUsd: -0.46048,
          },
          {
            modelId: 'acme:plain',
            modelVersion: 1,
            messages: 1,
            previousTotalUsd: 0.0075,
            newTotalUsd: 0.0075,
            differenceUsd: 0,
          },
        ],
      });

      const after = await costs();
      assert.deepEqual(
        after.map(({ modelId, costUsd, modelVersion }) => [modelId, costUsd, modelVersion]),
        [
          ['acme:cheap', 0.015, 1], // December: outside the period, untouched
          ['acme:cheap', 0.00142, 2],
          ['acme:plain', 0.0075, 1],
          ['acme:cheap', 0.36, 2],
          ['acme:plain', null, 1], // streaming: untouched
        ],
      );
      assert.equal(before.length, after.length);
      const january = await registry.usage({ actor: admin, from: JANUARY.since, to: JANUARY.until, groupBy: 'model' });
      assert.deepEqual(
        january.map((row) => [row.key, row.costUsd]),
        [
          ['acme:cheap', 0.36142],
          ['acme:plain', 0.0075],
        ],
      );
    });

    test('repricing again at the same prices changes nothing', async () => {
      const before = await costs();
      const result = await registry.repriceMessages({ actor: admin, ...JANUARY });
      assert.equal(result.changedMessages, 0);
      assert.equal(result.differenceUsd, 0);
      assert.equal(result.messages, 3);
      assert.deepEqual(await costs(), before);
    });

    test('a period that ends before it starts is refused', async () => {
      await assert.rejects(registry.repriceMessages({ actor: admin, since: JANUARY.until, until: JANUARY.since }), {
        code: 'invalid_input',
      });
    });
  });
}
