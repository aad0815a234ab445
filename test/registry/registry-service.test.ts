import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { asc, eq } from 'drizzle-orm';
import { CHANNELS, type ChangeListener, createChangeListener } from '../../src/db/notifications.ts';
import { modelHistory, models } from '../../src/db/schema/index.ts';
import { AppError } from '../../src/errors.ts';
import type { ModelInput } from '../../src/models/model-schema.ts';
import { seedModels } from '../../src/models/seed.ts';
import { toModelState } from '../../src/registry/model-changes.ts';
import { ModelRegistry } from '../../src/registry/registry-service.ts';
import { type Actor, actorOf, createStore, type Store } from '../../src/store/index.ts';
import { snapshotOf } from '../../src/store/model-versions.ts';
import { openTestDatabase, type TestDatabase, testBackends } from '../support/database.ts';

const rejectsWith = async (promise: Promise<unknown>, code: string, message?: RegExp) => {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof AppError, `an AppError, got ${error}`);
    assert.equal(error.code, code, error.message);
    if (message) assert.match(error.message, message);
    return true;
  });
};

const sample = (providerModelId: string, overrides: Partial<ModelInput> = {}): ModelInput => ({
  id: `acme:${providerModelId}`,
  provider: 'acme',
  providerModelId,
  name: `Acme ${providerModelId}`,
  contextWindow: 32_000,
  pricing: { input: 1, output: 4, cacheRead: 0.5 },
  capabilities: ['tools'],
  ...overrides,
});

for (const kind of testBackends()) {
  describe(`the model registry on ${kind}`, () => {
    let database: TestDatabase;
    let store: Store;
    let registry: ModelRegistry;
    let admin: Actor;
    let member: Actor;
    let listener: ChangeListener;
    const announced: string[] = [];

    before(async () => {
      database = await openTestDatabase(kind);
      store = createStore(database.db);
      registry = new ModelRegistry(store);
      admin = actorOf(await store.users.create({ displayName: 'Admin', role: 'admin' }));
      member = actorOf(await store.users.create({ displayName: 'Member' }));
      listener = createChangeListener(database);
      await listener.listen(CHANNELS.models, (payload) => announced.push(payload));
    });
    after(async () => {
      await listener.close();
      await database.close();
    });

    /** Announcements arrive asynchronously: waits a moment for them, then returns those since `from`. */
    const announcedSince = async (from: number) => {
      await new Promise((resolve) => setTimeout(resolve, 100));
      return announced.slice(from);
    };

    const historyOf = (id: string) =>
      database.db.select().from(modelHistory).where(eq(modelHistory.modelId, id)).orderBy(asc(modelHistory.version));

    test('creating a model writes version 1 and its `created` history row; the same id again is a conflict', async () => {
      const heard = announced.length;
      const model = await registry.create({ actor: admin, model: sample('one'), reason: 'launch' });
      assert.equal(model.version, 1);
      assert.deepEqual(model.pricing, { input: 1, output: 4, cacheRead: 0.5 });
      const [entry, ...rest] = await historyOf('acme:one');
      assert.equal(rest.length, 0);
      assert.equal(entry!.version, 1);
      assert.equal(entry!.kind, 'created');
      assert.equal(entry!.changedBy, admin.id);
      assert.equal(entry!.reason, 'launch');
      assert.deepEqual(entry!.snapshot, snapshotOf(model));
      await rejectsWith(registry.create({ actor: admin, model: sample('one') }), 'conflict');
      await rejectsWith(
        registry.create({ actor: admin, model: { ...sample('bad'), contextWindow: 0 } }),
        'invalid_input',
      );
      assert.deepEqual(await announcedSince(heard), ['acme:one'], 'announced once, on commit; failed writes never');
    });

    test('a sequence of edits: one version per edit, each with its field-level changes, author and reason', async () => {
      await registry.create({ actor: admin, model: sample('edits') });
      const id = 'acme:edits';
      const first = await registry.update({
        actor: admin,
        id,
        updates: { pricing: { input: 0.8 } },
        reason: 'price drop',
      });
      const second = await registry.update({
        actor: admin,
        id,
        updates: { name: 'Acme Edits', capabilities: ['tools', 'vision'] },
      });
      const third = await registry.update({
        actor: admin,
        id,
        updates: { pricing: { output: 3, cacheRead: null }, maxOutputTokens: 8192 },
      });
      assert.deepEqual(
        [first, second, third].map((result) => [result.changed, result.model.version]),
        [
          [true, 2],
          [true, 3],
          [true, 4],
        ],
      );
      const history = await historyOf(id);
      assert.deepEqual(
        history.map(({ version, kind, changes, reason }) => ({ version, kind, changes, reason })),
        [
          { version: 1, kind: 'created', changes: [], reason: null },
          {
            version: 2,
            kind: 'updated',
            changes: [{ field: 'pricing.input', oldValue: 1, newValue: 0.8 }],
            reason: 'price drop',
          },
          {
            version: 3,
            kind: 'updated',
            changes: [
              { field: 'name', oldValue: 'Acme edits', newValue: 'Acme Edits' },
              { field: 'capabilities', oldValue: ['tools'], newValue: ['vision', 'tools'] },
            ],
            reason: null,
          },
          {
            version: 4,
            kind: 'updated',
            changes: [
              { field: 'maxOutputTokens', oldValue: null, newValue: 8192 },
              { field: 'pricing.output', oldValue: 4, newValue: 3 },
              { field: 'pricing.cacheRead', oldValue: 0.5, newValue: null },
            ],
            reason: null,
          },
        ],
      );
      assert.ok(history.every((entry) => entry.changedBy === admin.id));
      const stored = await registry.get(id);
      assert.equal(stored.version, 4);
      assert.deepEqual(stored.pricing, { input: 0.8, output: 3, cacheRead: null }, 'prices not named were kept');
      assert.deepEqual(history.at(-1)!.snapshot, snapshotOf(stored));
      assert.deepEqual(await registry.history(id), [...history].reverse());
    });

    test('an update that changes nothing writes nothing and says so', async () => {
      await registry.create({ actor: admin, model: sample('same') });
      await announcedSince(0);
      const heard = announced.length;
      const result = await registry.update({
        actor: admin,
        id: 'acme:same',
        updates: { name: 'Acme same', pricing: { input: 1 } },
      });
      assert.equal(result.changed, false);
      assert.deepEqual(result.changes, []);
      assert.equal(result.model.version, 1);
      assert.equal((await historyOf('acme:same')).length, 1);
      assert.deepEqual(await announcedSince(heard), [], 'nothing announced');
    });

    test('an update built on an outdated version is a conflict and writes nothing', async () => {
      await registry.create({ actor: admin, model: sample('stale') });
      await registry.update({ actor: admin, id: 'acme:stale', updates: { description: 'v2' }, expectedVersion: 1 });
      await rejectsWith(
        registry.update({ actor: admin, id: 'acme:stale', updates: { description: 'mine' }, expectedVersion: 1 }),
        'conflict',
        /version 2, not 1/,
      );
      assert.equal((await registry.get('acme:stale')).description, 'v2');
      assert.equal((await historyOf('acme:stale')).length, 2);
    });

    test('updates refuse unknown and identity fields, bad values, unknown models', async () => {
      await rejectsWith(
        registry.update({ actor: admin, id: 'acme:one', updates: { id: 'acme:two' } as never }),
        'invalid_input',
      );
      await rejectsWith(
        registry.update({ actor: admin, id: 'acme:one', updates: { pricing: { input: -1 } } }),
        'invalid_input',
      );
      await rejectsWith(registry.update({ actor: admin, id: 'acme:nope', updates: { name: 'x' } }), 'not_found');
      await rejectsWith(registry.get('acme:nope'), 'not_found');
      await rejectsWith(registry.history('acme:nope'), 'not_found');
    });

    test('revert writes a new version whose fields equal the earlier version', async () => {
      await registry.create({ actor: admin, model: sample('revert') });
      const id = 'acme:revert';
      await registry.update({ actor: admin, id, updates: { pricing: { input: 9 }, description: 'pricey' } });
      await registry.deprecate({ actor: admin, id });
      const result = await registry.revert({ actor: admin, id, toVersion: 1 });
      assert.equal(result.model.version, 4);
      assert.deepEqual(toModelState(result.model), toModelState((await historyOf(id))[0]!.snapshot as never));
      const entry = (await historyOf(id)).at(-1)!;
      assert.equal(entry.kind, 'reverted');
      assert.equal(entry.reason, 'reverted to version 1');
      assert.deepEqual(entry.changes, [
        { field: 'description', oldValue: 'pricey', newValue: null },
        { field: 'pricing.input', oldValue: 9, newValue: 1 },
        { field: 'status', oldValue: 'deprecated', newValue: 'active' },
      ]);
      assert.equal((await registry.revert({ actor: admin, id, toVersion: 1 })).changed, false, 'already there');
      await rejectsWith(registry.revert({ actor: admin, id, toVersion: 99 }), 'not_found');
    });

    test('duplicate copies every field under the new id, applies overrides, and starts its own history', async () => {
      await registry.create({
        actor: admin,
        model: sample('source', { description: 'Original', status: 'beta', sortOrder: 5 }),
      });
      const copy = await registry.duplicate({
        actor: admin,
        id: 'acme:source',
        newId: 'acme:source-eu',
        overrides: { name: 'Acme source (EU)', pricing: { input: 1.2 } },
      });
      assert.equal(copy.version, 1);
      assert.deepEqual(
        { ...toModelState(copy) },
        {
          ...toModelState(await registry.get('acme:source')),
          id: 'acme:source-eu',
          providerModelId: 'source-eu',
          name: 'Acme source (EU)',
          pricing: { input: 1.2, output: 4, cacheRead: 0.5 },
        },
      );
      const [entry] = await historyOf('acme:source-eu');
      assert.equal(entry!.kind, 'created');
      assert.equal(entry!.reason, 'duplicated from acme:source');
      await rejectsWith(registry.duplicate({ actor: admin, id: 'acme:source', newId: 'acme:source-eu' }), 'conflict');
      await rejectsWith(registry.duplicate({ actor: admin, id: 'acme:source', newId: 'no-colon' }), 'invalid_input');
      await rejectsWith(registry.duplicate({ actor: admin, id: 'acme:nope', newId: 'acme:x' }), 'not_found');
    });

    test('deprecate, disable and restore are status changes with their own kinds; restore brings back beta', async () => {
      await registry.create({ actor: admin, model: sample('life', { status: 'beta' }) });
      const id = 'acme:life';
      assert.equal((await registry.deprecate({ actor: admin, id, reason: 'superseded' })).model.status, 'deprecated');
      assert.equal((await registry.deprecate({ actor: admin, id })).changed, false);
      assert.equal((await registry.disable({ actor: admin, id })).model.status, 'disabled');
      assert.equal((await registry.restore({ actor: admin, id })).model.status, 'beta');
      assert.equal((await registry.restore({ actor: admin, id })).changed, false);
      const history = await historyOf(id);
      assert.deepEqual(
        history.map((entry) => [entry.version, entry.kind, entry.changes]),
        [
          [1, 'created', []],
          [2, 'deprecated', [{ field: 'status', oldValue: 'beta', newValue: 'deprecated' }]],
          [3, 'disabled', [{ field: 'status', oldValue: 'deprecated', newValue: 'disabled' }]],
          [4, 'restored', [{ field: 'status', oldValue: 'disabled', newValue: 'beta' }]],
        ],
      );
      assert.equal(history[1]!.reason, 'superseded');
    });

    test('a model that wrote a message cannot be deleted (deprecate instead); an unused one can, history kept', async () => {
      await registry.create({ actor: admin, model: sample('used') });
      const conversation = await store.conversations.create({ actor: member, title: 'Chat' });
      await store.messages.save({
        actor: member,
        conversationId: conversation.id,
        messages: [{ role: 'assistant', modelId: 'acme:used', content: 'hi' }],
      });
      await rejectsWith(
        registry.delete({ actor: admin, id: 'acme:used' }),
        'conflict',
        /1 message.*deprecate it instead/,
      );
      assert.equal((await registry.get('acme:used')).version, 1);

      await registry.create({ actor: admin, model: sample('unused') });
      await registry.update({ actor: admin, id: 'acme:unused', updates: { description: 'bye' } });
      assert.deepEqual(await registry.delete({ actor: admin, id: 'acme:unused', reason: 'typo' }), {
        id: 'acme:unused',
        version: 3,
      });
      await rejectsWith(registry.get('acme:unused'), 'not_found');
      const history = await registry.history('acme:unused');
      assert.deepEqual(
        history.map((entry) => [entry.version, entry.kind]),
        [
          [3, 'deleted'],
          [2, 'updated'],
          [1, 'created'],
        ],
      );
      assert.equal(history[0]!.reason, 'typo');
      assert.equal(history[0]!.snapshot.description, 'bye', 'the last state is kept');

      const again = await registry.create({ actor: admin, model: sample('unused') });
      assert.equal(again.version, 4, 'a model created again under the id continues its history');
    });

    test('only admins change the registry; nothing is written for anyone else', async () => {
      const before = await database.db.select().from(modelHistory);
      await rejectsWith(registry.create({ actor: member, model: sample('sneaky') }), 'forbidden');
      await rejectsWith(registry.update({ actor: member, id: 'acme:one', updates: { name: 'x' } }), 'forbidden');
      await rejectsWith(registry.duplicate({ actor: member, id: 'acme:one', newId: 'acme:x' }), 'forbidden');
      await rejectsWith(registry.deprecate({ actor: member, id: 'acme:one' }), 'forbidden');
      await rejectsWith(registry.restore({ actor: member, id: 'acme:one' }), 'forbidden');
      await rejectsWith(registry.disable({ actor: member, id: 'acme:one' }), 'forbidden');
      await rejectsWith(registry.delete({ actor: member, id: 'acme:one' }), 'forbidden');
      await rejectsWith(registry.revert({ actor: member, id: 'acme:one', toVersion: 1 }), 'forbidden');
      await rejectsWith(registry.importModels({ actor: member, entries: [] }), 'forbidden');
      await rejectsWith(registry.repriceMessages({ actor: member, since: new Date(0) }), 'forbidden');
      await rejectsWith(
        registry.usage({ actor: member, from: new Date(0), to: new Date(), groupBy: 'model' }),
        'forbidden',
      );
      assert.deepEqual(await database.db.select().from(modelHistory), before);
    });
  });

  describe(`listing the registry on ${kind}`, () => {
    let database: TestDatabase;
    let registry: ModelRegistry;
    before(async () => {
      database = await openTestDatabase(kind);
      const store = createStore(database.db);
      registry = new ModelRegistry(store);
      await seedModels(database.db);
      const admin = actorOf(await store.users.create({ displayName: 'Admin', role: 'admin' }));
      await registry.deprecate({ actor: admin, id: 'openai:gpt-4o' });
    });
    after(() => database.close());

    const all = () => database.db.select().from(models).orderBy(asc(models.sortOrder), asc(models.id));

    test('walks every model, every status, in (sortOrder, id) order, page by page', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await registry.list({ limit: 10, cursor });
        assert.ok(page.items.length <= 10);
        seen.push(...page.items.map((model) => model.id));
        cursor = page.nextCursor;
      } while (cursor);
      assert.deepEqual(
        seen,
        (await all()).map((model) => model.id),
      );
      assert.ok(seen.includes('openai:gpt-4o'), 'deprecated models are listed');
    });

    test('filters by status, provider and capability, and combines them', async () => {
      const rows = await all();
      const ids = async (query: Parameters<ModelRegistry['list']>[0]) =>
        (await registry.list({ ...query, limit: 200 })).items.map((model) => model.id);
      assert.deepEqual(
        await ids({ status: 'deprecated' }),
        rows.filter((model) => model.status === 'deprecated').map((model) => model.id),
      );
      assert.ok((await ids({ status: 'deprecated' })).includes('openai:gpt-4o'));
      assert.deepEqual(
        await ids({ provider: 'anthropic' }),
        rows.filter((model) => model.provider === 'anthropic').map((model) => model.id),
      );
      const visionTools = rows.filter(
        (model) => model.capabilities.includes('vision') && model.capabilities.includes('tools'),
      );
      assert.ok(visionTools.length > 0);
      assert.deepEqual(
        await ids({ capability: ['vision', 'tools'] }),
        visionTools.map((model) => model.id),
      );
      assert.deepEqual(
        await ids({ provider: 'openai', capability: 'vision', status: ['active', 'beta'] }),
        visionTools
          .concat()
          .filter((model) => model.provider === 'openai' && model.status !== 'deprecated')
          .filter((model) => model.capabilities.includes('vision'))
          .map((model) => model.id),
      );
    });

    test('searches id, name and display name without regard to case; % and _ are literal', async () => {
      const ids = async (search: string) =>
        (await registry.list({ search, limit: 200 })).items.map((model) => model.id);
      assert.ok((await ids('GPT-4O')).includes('openai:gpt-4o'));
      assert.deepEqual(await ids('offline ECHO (no ai)'), ['local:echo'], 'display name');
      assert.ok((await ids('claude')).every((id) => id.includes('claude') || id.startsWith('anthropic:')));
      assert.deepEqual(await ids('%'), []);
      assert.deepEqual(await ids('no such model'), []);
    });
  });
}
