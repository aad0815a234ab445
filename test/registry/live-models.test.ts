// The in-process model cache follows changes announced by any process, and the `models.source` flag picks, per
// person, the shipped file or the database — with a stable, proportional rollout.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { openDatabase } from '../../src/db/client.ts';
import { announce, CHANNELS, type ChangeListener, createChangeListener } from '../../src/db/notifications.ts';
import { models } from '../../src/db/schema/index.ts';
import { OFFLINE_MODEL } from '../../src/models/catalog.ts';
import { seedModels } from '../../src/models/seed.ts';
import { ModelCache } from '../../src/registry/model-cache.ts';
import {
  compareSources,
  MODEL_SOURCE_KEY,
  ModelSource,
  readsFromDatabase,
  rolloutBucket,
  staticModelRows,
} from '../../src/registry/model-source.ts';
import { actorOf, createStore, type Store } from '../../src/store/index.ts';
import { ModelStore } from '../../src/store/models.ts';
import { openTestDatabase, type TestDatabase, testBackends } from '../support/database.ts';

describe('rollout buckets', () => {
  test('a person keeps their bucket: it depends on the id alone', () => {
    const id = '0190f5c2-1111-7abc-8def-0123456789ab';
    assert.equal(rolloutBucket(id), rolloutBucket(`${id}`));
    assert.ok(rolloutBucket(id) >= 0 && rolloutBucket(id) < 100);
    assert.notEqual(rolloutBucket(id), rolloutBucket('0190f5c2-1111-7abc-8def-0123456789ac'));
  });

  test('a percentage reaches that share of 10,000 people, within 2 points', () => {
    const ids = Array.from({ length: 10_000 }, () => randomUUID());
    for (const percentage of [1, 10, 25, 50, 90]) {
      const reached = ids.filter((id) => readsFromDatabase({ mode: 'rollout', percentage }, id)).length;
      assert.ok(Math.abs(reached / 100 - percentage) <= 2, `${percentage} %: reached ${reached / 100} %`);
    }
    assert.equal(ids.filter((id) => readsFromDatabase({ mode: 'rollout', percentage: 0 }, id)).length, 0);
    assert.equal(ids.filter((id) => readsFromDatabase({ mode: 'rollout', percentage: 100 }, id)).length, 10_000);
    assert.equal(
      readsFromDatabase({ mode: 'rollout', percentage: 100 }, null),
      false,
      'anonymous readers stay on the file',
    );
  });

  test('the file and the database are compared model by model, field by field', () => {
    const [offline] = staticModelRows([OFFLINE_MODEL]);
    const repriced = { ...offline!, pricing: { input: 1, output: 2, cacheRead: 0 }, status: 'deprecated' as const };
    const extra = { ...offline!, id: 'local:other' };
    assert.deepEqual(
      compareSources([offline!], [repriced, extra]).map(({ modelId, field }) => `${modelId} ${field}`),
      ['local:echo status', 'local:echo pricing', 'local:other (model)'],
    );
    assert.deepEqual(compareSources([offline!], [offline!]), []);
  });
});

for (const kind of testBackends()) {
  describe(`live model registry on ${kind}`, () => {
    let database: TestDatabase;
    let listener: ChangeListener;
    let store: Store;
    let admin: ReturnType<typeof actorOf>;
    const stops: Array<() => Promise<void>> = [];

    before(async () => {
      database = await openTestDatabase(kind);
      await seedModels(database.db);
      listener = createChangeListener(database);
      store = createStore(database.db);
      admin = actorOf(await store.users.create({ username: `admin-${kind}`, role: 'admin' }));
    });
    after(async () => {
      for (const stop of stops.reverse()) await stop();
      await listener.close();
      await database.close();
    });

    const startCache = async (listenOn = listener, db = database.db) => {
      const cache = new ModelCache(new ModelStore(db));
      await cache.start(listenOn);
      stops.push(() => cache.stop());
      return cache;
    };

    const nextReload = (cache: ModelCache) =>
      new Promise<void>((resolve) => {
        const off = cache.onReload(() => {
          off();
          resolve();
        });
      });

    const reprice = (db: typeof database.db, input: number) =>
      db.transaction(async (tx) => {
        await tx
          .update(models)
          .set({ pricing: { input, output: 1 } })
          .where(eq(models.id, OFFLINE_MODEL.id));
        await announce(tx, CHANNELS.models, OFFLINE_MODEL.id);
      });

    test('the cache holds every model and follows a committed, announced change', async () => {
      const cache = await startCache();
      assert.ok(cache.all().length > 50);
      assert.equal(cache.get(OFFLINE_MODEL.id)?.name, OFFLINE_MODEL.name);
      const reloaded = nextReload(cache);
      await reprice(database.db, 7);
      await reloaded;
      assert.equal(cache.get(OFFLINE_MODEL.id)?.pricing.input, 7);
    });

    test('a change rolled back is never announced', async () => {
      const cache = await startCache();
      let reloads = 0;
      cache.onReload(() => reloads++);
      await assert.rejects(
        database.db.transaction(async (tx) => {
          await announce(tx, CHANNELS.models, OFFLINE_MODEL.id);
          throw new Error('changed my mind');
        }),
      );
      await reprice(database.db, 8);
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(reloads, 1, 'only the committed change reloads');
    });

    if (kind === 'postgres') {
      test('a change committed through another connection pool (another process) shows within a second', async () => {
        const elsewhere = await openDatabase({ url: database.url!, maxConnections: 2 });
        const otherListener = createChangeListener({ ...elsewhere, url: database.url });
        stops.push(async () => {
          await otherListener.close();
          await elsewhere.close();
        });
        const cache = await startCache(otherListener, elsewhere.db);
        const reloaded = nextReload(cache);
        const started = performance.now();
        await reprice(database.db, 9);
        await reloaded;
        const seenAfterMs = performance.now() - started;
        assert.equal(cache.get(OFFLINE_MODEL.id)?.pricing.input, 9);
        assert.ok(seenAfterMs < 1_000, `visible after ${seenAfterMs.toFixed(1)} ms`);
      });
    }

    test('models.source picks the file or the database per person, and a flip needs no restart', async () => {
      const cache = await startCache();
      const lines: string[] = [];
      const source = new ModelSource({
        cache,
        configs: store.systemConfigs,
        metrics: store.metrics,
        log: (line) => lines.push(line),
      });
      await source.start(listener);
      stops.push(() => source.stop());
      const priceFor = (userId: string) =>
        source.modelsFor(userId).find((model) => model.id === OFFLINE_MODEL.id)!.pricing.input;
      const someone = randomUUID();
      // A reload of an earlier change may come first: wait (at most 10 s) for the one that holds this price.
      const repriced = new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          off();
          resolve();
        };
        const timer = setTimeout(done, 10_000);
        const off = cache.onReload(() => {
          if (priceFor(someone) === 11) done();
        });
      });
      await reprice(database.db, 11);
      await repriced;
      assert.equal(priceFor(someone), 11, 'database by default');

      const flipped = (expected: string) =>
        new Promise<void>(function poll(resolve) {
          if (source.current.mode === expected) resolve();
          else setTimeout(() => poll(resolve), 5);
        });
      await store.systemConfigs.set({ actor: admin, key: MODEL_SOURCE_KEY, value: { mode: 'static' } });
      await flipped('static');
      assert.equal(priceFor(someone), 0, 'the shipped file');

      await store.systemConfigs.set({
        actor: admin,
        key: MODEL_SOURCE_KEY,
        value: { mode: 'rollout', percentage: 50 },
      });
      await flipped('rollout');
      const people = Array.from({ length: 200 }, () => randomUUID());
      for (const person of people) {
        assert.equal(priceFor(person), rolloutBucket(person) < 50 ? 11 : 0);
      }
      assert.ok(
        lines.some((line) => /local:echo pricing differs/.test(line)),
        'the difference is logged',
      );
      await source.stop();
      const [metric] = await store.metrics.query({ metricType: 'models.source.differences' });
      assert.equal(metric?.metricData.readsWithDifferences, people.length);
    });
  });
}
