import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { asc, eq } from 'drizzle-orm';
import { modelHistory, models } from '../../src/db/schema/index.ts';
import { CATALOG_FILE, OFFLINE_MODEL, readCatalog } from '../../src/models/catalog.ts';
import { registryIsEmpty, seedModels } from '../../src/models/seed.ts';
import { ModelRegistry } from '../../src/registry/registry-service.ts';
import { actorOf, createStore } from '../../src/store/index.ts';
import { temporaryDirectory } from '../support/cli.ts';
import { openTestDatabase, type TestDatabase, testBackends } from '../support/database.ts';
import { readTableContents } from '../support/snapshots.ts';

describe('the shipped model catalog', () => {
  test('validates: 77 models, unique ids, non-negative prices, ordered as listed', () => {
    const catalog = readCatalog();
    assert.equal(catalog.length, 77);
    assert.equal(new Set(catalog.map((model) => model.id)).size, catalog.length, 'ids are unique');
    const providerIds = new Set(catalog.map((model) => `${model.provider}/${model.providerModelId}`));
    assert.equal(providerIds.size, catalog.length, 'provider model ids are unique per provider');
    for (const model of catalog) {
      const { input, output, cacheRead } = model.pricing;
      assert.ok(input >= 0 && output >= 0 && (cacheRead ?? 0) >= 0, `${model.id} has non-negative prices`);
    }
    assert.deepEqual(
      catalog.map((model) => model.sortOrder),
      catalog.map((_, index) => index),
    );
    assert.ok(!catalog.some((model) => model.id === OFFLINE_MODEL.id), 'the offline model is built in, not listed');
  });

  test('an entry with a negative price is rejected', () => {
    const directory = temporaryDirectory();
    try {
      const entries = JSON.parse(readFileSync(CATALOG_FILE, 'utf8'));
      entries[3].pricing.output = -1;
      const file = path.join(directory.path, 'catalog.json');
      writeFileSync(file, JSON.stringify(entries));
      assert.throws(() => readCatalog(file), /pricing/);
    } finally {
      directory.remove();
    }
  });
});

for (const kind of testBackends()) {
  describe(`seeding the registry on ${kind}`, () => {
    let database: TestDatabase;
    before(async () => {
      database = await openTestDatabase(kind);
    });
    after(() => database.close());

    test('inserts every catalog model and the offline model, each with one version-1 history row', async () => {
      assert.equal(await registryIsEmpty(database.db), true);
      const expectedIds = [OFFLINE_MODEL.id, ...readCatalog().map((model) => model.id)].sort();

      const result = await seedModels(database.db);

      assert.deepEqual(result, { inserted: expectedIds.length, alreadyPresent: 0 });
      assert.equal(await registryIsEmpty(database.db), false);
      const stored = await database.db.select().from(models).orderBy(asc(models.id));
      assert.deepEqual(
        stored.map((model) => model.id),
        expectedIds,
      );
      assert.ok(stored.every((model) => model.version === 1));
      const history = await database.db.select().from(modelHistory).orderBy(asc(modelHistory.modelId));
      assert.deepEqual(
        history.map((row) => row.modelId),
        expectedIds,
      );
      assert.ok(history.every((row) => row.version === 1 && row.kind === 'created'));
      const echo = history.find((row) => row.modelId === OFFLINE_MODEL.id)!;
      assert.equal(echo.snapshot.provider, 'local');
    });

    test('seeding again changes nothing', async () => {
      const before = await readTableContents(database.db);
      const result = await seedModels(database.db);
      assert.deepEqual(result, { inserted: 0, alreadyPresent: before.models!.length });
      assert.deepEqual(await readTableContents(database.db), before);
    });

    test('a model an admin deleted is not brought back by seeding again', async () => {
      const store = createStore(database.db);
      const admin = actorOf(await store.users.create({ username: `seed-admin-${kind}`, role: 'admin' }));
      const [victim] = readCatalog();
      await new ModelRegistry(store).delete({ actor: admin, id: victim!.id, reason: 'not offered here' });
      const result = await seedModels(database.db);
      assert.equal(result.inserted, 0);
      const [row] = await database.db.select().from(models).where(eq(models.id, victim!.id));
      assert.equal(row, undefined);
    });
  });
}
