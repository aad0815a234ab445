import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { asc, eq } from 'drizzle-orm';
import { CHANNELS, type ChangeListener, createChangeListener } from '../../src/db/notifications.ts';
import { modelHistory, models } from '../../src/db/schema/index.ts';
import { AppError } from '../../src/errors.ts';
import { OFFLINE_MODEL, readCatalog } from '../../src/models/catalog.ts';
import { modelImportSchema } from '../../src/models/model-schema.ts';
import { seedModels } from '../../src/models/seed.ts';
import { ModelRegistry } from '../../src/registry/registry-service.ts';
import { type Actor, actorOf, createStore } from '../../src/store/index.ts';
import { openTestDatabase, type TestDatabase, testBackends } from '../support/database.ts';
import { readTableContents } from '../support/snapshots.ts';

for (const kind of testBackends()) {
  describe(`importing and exporting models on ${kind}`, () => {
    let database: TestDatabase;
    let registry: ModelRegistry;
    let admin: Actor;
    let listener: ChangeListener;
    const announced: string[] = [];
    before(async () => {
      database = await openTestDatabase(kind);
      const store = createStore(database.db);
      registry = new ModelRegistry(store);
      admin = actorOf(await store.users.create({ displayName: 'Admin', role: 'admin' }));
      await seedModels(database.db);
      listener = createChangeListener(database);
      await listener.listen(CHANNELS.models, (payload) => announced.push(payload));
    });
    after(async () => {
      await listener.close();
      await database.close();
    });
    const settle = () => new Promise((resolve) => setTimeout(resolve, 100));

    test('an export is the whole registry in the import shape, in the registry order, without timestamps or versions', async () => {
      const exported = await registry.exportModels();
      assert.equal(exported.length, readCatalog().length + 1);
      assert.deepEqual(
        exported.map((entry) => entry.id),
        [OFFLINE_MODEL.id, ...readCatalog().map((entry) => entry.id)],
      );
      assert.ok(modelImportSchema.safeParse(exported).success);
      for (const entry of exported) {
        for (const field of ['version', 'createdAt', 'updatedAt'])
          assert.ok(!(field in entry), `${entry.id} has no ${field}`);
      }
      assert.deepEqual(JSON.parse(JSON.stringify(exported)), exported, 'plain JSON');
    });

    test('re-importing an export of the full shipped catalog changes nothing', async () => {
      const before = await readTableContents(database.db);
      const exported = JSON.parse(JSON.stringify(await registry.exportModels()));
      for (const dryRun of [true, false]) {
        const result = await registry.importModels({ actor: admin, entries: exported, dryRun });
        assert.deepEqual(result, {
          dryRun,
          created: [],
          updated: [],
          unchanged: exported.map((entry: { id: string }) => entry.id),
        });
      }
      assert.deepEqual(await readTableContents(database.db), before);
      await settle();
      assert.deepEqual(announced, [], 'an import that changes nothing announces nothing');
    });

    test('one bad entry: nothing is written, and every problem is listed with its index and field', async () => {
      const before = await readTableContents(database.db);
      const entries = JSON.parse(JSON.stringify(await registry.exportModels()));
      entries[1].pricing.input = 99; // a valid change that must not be applied either
      entries[3].pricing.output = -1;
      entries[3].capabilities = ['vision', 'mind_reading'];
      entries[10].contextWindow = 1.5;
      entries.push({
        id: 'acme:new',
        provider: 'acme',
        providerModelId: 'new',
        contextWindow: 1000,
        pricing: { input: 1, output: 1 },
      });
      await assert.rejects(registry.importModels({ actor: admin, entries }), (error: unknown) => {
        assert.ok(error instanceof AppError);
        assert.equal(error.code, 'invalid_input');
        assert.match(error.message, /4 problems in 3 entries; nothing was imported/);
        assert.deepEqual(
          (error.details as { index: number; field: string }[]).map(({ index, field }) => `${index} ${field}`).sort(),
          ['10 contextWindow', '3 capabilities.1', '3 pricing.output', `${entries.length - 1} name`].sort(),
        );
        return true;
      });
      assert.deepEqual(await readTableContents(database.db), before);
    });

    test('a dry run reports what would be created, updated and left alone, and writes nothing', async () => {
      const before = await readTableContents(database.db);
      const result = await registry.importModels({
        actor: admin,
        entries: changedCatalog(await registry.exportModels()),
        dryRun: true,
      });
      assert.deepEqual(result, { dryRun: true, ...expectedResult(await registry.exportModels()) });
      assert.deepEqual(await readTableContents(database.db), before);
    });

    test('applied: new models created, changed ones versioned (kind `imported`), identical ones untouched', async () => {
      const exported = await registry.exportModels();
      const historyBefore = await database.db.select().from(modelHistory);
      const result = await registry.importModels({
        actor: admin,
        entries: changedCatalog(exported),
        reason: 'quarterly prices',
      });
      assert.deepEqual(result, { dryRun: false, ...expectedResult(exported) });

      const written = await database.db
        .select()
        .from(modelHistory)
        .where(eq(modelHistory.kind, 'imported'))
        .orderBy(asc(modelHistory.modelId));
      assert.equal(written.length, (await database.db.select().from(modelHistory)).length - historyBefore.length);
      assert.deepEqual(
        written.map(({ modelId, version, changes, reason, changedBy }) => ({
          modelId,
          version,
          changes,
          reason,
          changedBy,
        })),
        [
          { modelId: 'acme:brand-new', version: 1, changes: [], reason: 'quarterly prices', changedBy: admin.id },
          {
            modelId: exported[1]!.id,
            version: 2,
            changes: [{ field: 'pricing.input', oldValue: exported[1]!.pricing.input, newValue: 0.01 }],
            reason: 'quarterly prices',
            changedBy: admin.id,
          },
          {
            modelId: exported[2]!.id,
            version: 2,
            changes: [{ field: 'status', oldValue: exported[2]!.status, newValue: 'deprecated' }],
            reason: 'quarterly prices',
            changedBy: admin.id,
          },
        ].sort((a, b) => a.modelId.localeCompare(b.modelId)),
      );
      assert.equal((await registry.get(exported[1]!.id)).pricing.input, 0.01);
      assert.equal((await registry.get('acme:brand-new')).version, 1);
      await settle();
      assert.deepEqual(announced, ['*'], 'one announcement for the whole import');
    });

    test('the import is one transaction: a failure while writing leaves nothing behind', async () => {
      const before = await readTableContents(database.db);
      // An admin who does not exist as a user: the history rows' foreign key fails after the models were written.
      const ghost: Actor = { id: randomUUID(), role: 'admin', isGuest: false };
      await assert.rejects(
        registry.importModels({ actor: ghost, entries: changedCatalog(await registry.exportModels()).map(bump) }),
      );
      assert.deepEqual(await readTableContents(database.db), before);
      assert.equal((await database.db.select().from(models).where(eq(models.id, 'acme:another'))).length, 0);
    });
  });
}

type Exported = Awaited<ReturnType<ModelRegistry['exportModels']>>;

/** The export with: entry 1 repriced, entry 2 deprecated, one new model; everything else as it is. */
function changedCatalog(exported: Exported): unknown[] {
  const entries = structuredClone(exported) as Exported;
  entries[1]!.pricing.input = 0.01;
  entries[2]!.status = 'deprecated';
  return [
    ...entries,
    {
      id: 'acme:brand-new',
      provider: 'acme',
      providerModelId: 'brand-new',
      name: 'Brand new',
      contextWindow: 4096,
      pricing: { input: 1, output: 2 },
    },
  ];
}

function expectedResult(exported: Exported) {
  return {
    created: ['acme:brand-new'],
    updated: [
      {
        id: exported[1]!.id,
        changes: [{ field: 'pricing.input', oldValue: exported[1]!.pricing.input, newValue: 0.01 }],
      },
      { id: exported[2]!.id, changes: [{ field: 'status', oldValue: exported[2]!.status, newValue: 'deprecated' }] },
    ],
    unchanged: exported
      .slice(3)
      .map((entry) => entry.id)
      .concat(exported[0]!.id)
      .sort(byPosition(exported)),
  };
}

const byPosition = (exported: Exported) => (a: string, b: string) =>
  exported.findIndex((entry) => entry.id === a) - exported.findIndex((entry) => entry.id === b);

/** Makes every entry a change (and adds a model), so the failing import has writes of every kind to undo. */
function bump(entry: unknown, index: number): unknown {
  const model = entry as { id: string; name: string; providerModelId: string };
  return index === 0
    ? { ...model, id: 'acme:another', provider: 'acme', providerModelId: 'another' }
    : { ...model, name: `${model.name} v2` };
}
