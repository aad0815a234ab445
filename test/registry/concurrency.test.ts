// Two admins changing one model at the same moment. The registry locks the model's row for the length of each
// change, so concurrent changes apply one after the other (versions n+1, n+2), each on top of the other's result;
// `expectedVersion` turns "someone changed it since I read it" into a 409 instead of an overwrite.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { asc, eq, sql } from 'drizzle-orm';
import { queryOne } from '../../src/db/rows.ts';
import { modelHistory, models } from '../../src/db/schema/index.ts';
import { AppError } from '../../src/errors.ts';
import { ModelRegistry } from '../../src/registry/registry-service.ts';
import { type Actor, actorOf, createStore } from '../../src/store/index.ts';
import { openTestDatabase, type TestDatabase, testBackends } from '../support/database.ts';

const model = (providerModelId: string) => ({
  id: `acme:${providerModelId}`,
  provider: 'acme',
  providerModelId,
  name: 'Acme',
  contextWindow: 32_000,
  pricing: { input: 1, output: 4, cacheRead: 0.5 },
});

for (const kind of testBackends()) {
  describe(`concurrent changes of one model on ${kind}`, () => {
    let database: TestDatabase;
    let registry: ModelRegistry;
    let admin: Actor;
    before(async () => {
      database = await openTestDatabase(kind);
      const store = createStore(database.db);
      registry = new ModelRegistry(store);
      admin = actorOf(await store.users.create({ displayName: 'Admin', role: 'admin' }));
    });
    after(() => database.close());

    const historyOf = (id: string) =>
      database.db.select().from(modelHistory).where(eq(modelHistory.modelId, id)).orderBy(asc(modelHistory.version));

    test('updates fired together all apply, with consecutive versions and each its own changes', async () => {
      const { id } = await registry.create({ actor: admin, model: model('together') });
      const updates = [
        { pricing: { input: 2 } },
        { pricing: { output: 5 } },
        { name: 'Acme Together' },
        { description: 'x' },
      ];
      const results = await Promise.all(
        updates.map((change) => registry.update({ actor: admin, id, updates: change })),
      );
      assert.deepEqual(results.map((result) => result.model.version).sort(), [2, 3, 4, 5]);
      const stored = await registry.get(id);
      assert.equal(stored.version, 5);
      assert.deepEqual(stored.pricing, { input: 2, output: 5, cacheRead: 0.5 }, 'neither price change was lost');
      assert.equal(stored.name, 'Acme Together');
      assert.equal(stored.description, 'x');
      const history = await historyOf(id);
      assert.deepEqual(
        history.map((entry) => entry.version),
        [1, 2, 3, 4, 5],
      );
      assert.deepEqual(
        history
          .slice(1)
          .map((entry) => entry.changes.map((change) => change.field).join())
          .sort(),
        ['description', 'name', 'pricing.input', 'pricing.output'],
      );
    });
  });
}

if (testBackends().includes('postgres')) {
  describe('truly concurrent transactions on postgres', () => {
    let database: TestDatabase;
    let registry: ModelRegistry;
    let admin: Actor;
    before(async () => {
      database = await openTestDatabase('postgres');
      const store = createStore(database.db);
      registry = new ModelRegistry(store);
      admin = actorOf(await store.users.create({ displayName: 'Admin', role: 'admin' }));
    });
    after(() => database.close());

    /**
     * Holds the model's row locked in a transaction of its own until `release` is called, so the changes started
     * meanwhile are all in flight at once; `waiting` resolves when `count` other sessions wait on a lock.
     */
    async function holdModel(id: string) {
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let locked!: () => void;
      const isLocked = new Promise<void>((resolve) => (locked = resolve));
      const holder = database.db.transaction(async (tx) => {
        await tx.select().from(models).where(eq(models.id, id)).for('update');
        locked();
        await released;
      });
      await isLocked;
      const waiting = async (count: number) => {
        for (let attempt = 0; attempt < 200; attempt++) {
          const row = await queryOne<{ waiting: number }>(
            database.db,
            sql`select count(*)::int as waiting from pg_stat_activity
                where datname = current_database() and wait_event_type = 'Lock'`,
          );
          if (row!.waiting >= count) return;
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        assert.fail(`${count} sessions never waited on the model's lock`);
      };
      return {
        waiting,
        release: async () => {
          release();
          return holder;
        },
      };
    }

    test('two updates in flight at once: both are applied in turn, versions n+1 and n+2, nothing lost', async () => {
      const { id } = await registry.create({ actor: admin, model: model('race') });
      await registry.update({ actor: admin, id, updates: { description: 'v2' } });
      const hold = await holdModel(id);
      const first = registry.update({ actor: admin, id, updates: { pricing: { input: 3 } }, reason: 'A' });
      const second = registry.update({ actor: admin, id, updates: { pricing: { output: 6 } }, reason: 'B' });
      await hold.waiting(2);
      await hold.release();
      const results = await Promise.all([first, second]);
      assert.deepEqual(results.map((result) => result.model.version).sort(), [3, 4]);
      const stored = await registry.get(id);
      assert.equal(stored.version, 4);
      assert.deepEqual(stored.pricing, { input: 3, output: 6, cacheRead: 0.5 });
      const history = await registry.history(id);
      assert.deepEqual(
        history.slice(0, 2).map((entry) => entry.version),
        [4, 3],
      );
      // Each history row holds exactly its own change, measured against the state the other one left.
      const byReason = Object.fromEntries(history.slice(0, 2).map((entry) => [entry.reason, entry.changes]));
      assert.deepEqual(byReason, {
        A: [{ field: 'pricing.input', oldValue: 1, newValue: 3 }],
        B: [{ field: 'pricing.output', oldValue: 4, newValue: 6 }],
      });
      const newest = history[0]!.snapshot as { pricing: unknown; version: number };
      assert.deepEqual([newest.pricing, newest.version], [stored.pricing, 4]);
    });

    test('two updates both made against version n: the first wins, the second is a 409 and writes nothing', async () => {
      const { id } = await registry.create({ actor: admin, model: model('optimistic') });
      const hold = await holdModel(id);
      const attempts = [
        registry.update({ actor: admin, id, updates: { name: 'Mine' }, expectedVersion: 1 }),
        registry.update({ actor: admin, id, updates: { name: 'Yours' }, expectedVersion: 1 }),
      ];
      await hold.waiting(2);
      await hold.release();
      const outcomes = await Promise.allSettled(attempts);
      const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
      const lost = outcomes.filter((outcome) => outcome.status === 'rejected');
      assert.equal(won.length, 1);
      assert.equal(lost.length, 1);
      const error = (lost[0] as PromiseRejectedResult).reason;
      assert.ok(error instanceof AppError);
      assert.equal(error.code, 'conflict');
      assert.deepEqual(error.details, { id, expectedVersion: 1, currentVersion: 2 });
      const stored = await registry.get(id);
      assert.equal(stored.version, 2);
      assert.equal(stored.name, (won[0] as PromiseFulfilledResult<{ model: { name: string } }>).value.model.name);
      assert.equal((await registry.history(id)).length, 2);
    });

    test('a deprecation and an import of the same model in flight at once both land, one version each', async () => {
      const { id } = await registry.create({ actor: admin, model: model('mixed') });
      const hold = await holdModel(id);
      const deprecation = registry.deprecate({ actor: admin, id });
      const imported = registry.importModels({ actor: admin, entries: [{ ...model('mixed'), contextWindow: 64_000 }] });
      await hold.waiting(2);
      await hold.release();
      await Promise.all([deprecation, imported]);
      const stored = await registry.get(id);
      assert.equal(stored.version, 3);
      assert.equal(stored.contextWindow, 64_000);
      const kinds = (await registry.history(id))
        .map((entry) => entry.kind)
        .slice(0, 2)
        .sort();
      assert.deepEqual(kinds, ['deprecated', 'imported']);
    });
  });
}
