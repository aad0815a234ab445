import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { asc, eq } from 'drizzle-orm';
import { readEnvironment } from '../../src/config/env.ts';
import { modelHistory, models } from '../../src/db/schema/index.ts';
import { registerDeclaredModels } from '../../src/providers/declared-models.ts';
import { createProviderRegistry } from '../../src/providers/provider-registry.ts';
import { openRuntime } from '../../src/runtime.ts';
import { temporaryDirectory } from '../support/cli.ts';
import { openTestDatabase, type TestDatabase, testBackends } from '../support/database.ts';
import { readTableContents } from '../support/snapshots.ts';

const declaringEnvironment = {
  CHORUS_PROVIDER_OLLAMA_BASE_URL: 'http://127.0.0.1:11434/v1',
  CHORUS_PROVIDER_OLLAMA_MODELS: 'llama3.1:8b,qwen2.5',
  CHORUS_PROVIDER_VLLM_BASE_URL: 'http://127.0.0.1:8000/v1',
  CHORUS_PROVIDER_VLLM_MODELS: 'meta-llama/Llama-3.1-8B-Instruct',
};

for (const kind of testBackends()) {
  describe(`models declared in the environment, on ${kind}`, () => {
    let database: TestDatabase;
    const registry = createProviderRegistry(readEnvironment(declaringEnvironment));
    before(async () => {
      database = await openTestDatabase(kind);
    });
    after(() => database.close());

    test('are inserted once, each with a version-1 history row', async () => {
      const result = await registerDeclaredModels(database.db, registry);

      assert.deepEqual(result, { inserted: 3, alreadyPresent: 0 });
      const rows = await database.db.select().from(models).orderBy(asc(models.sortOrder));
      assert.deepEqual(
        rows.map((row) => [row.id, row.provider, row.providerModelId, row.version, row.contextWindow]),
        [
          ['ollama:llama3.1:8b', 'ollama', 'llama3.1:8b', 1, 8192],
          ['ollama:qwen2.5', 'ollama', 'qwen2.5', 1, 8192],
          ['vllm:meta-llama/Llama-3.1-8B-Instruct', 'vllm', 'meta-llama/Llama-3.1-8B-Instruct', 1, 8192],
        ],
      );
      assert.deepEqual(rows[0]?.pricing, { input: 0, output: 0, cacheRead: null });
      const history = await database.db.select().from(modelHistory).orderBy(asc(modelHistory.modelId));
      assert.deepEqual(
        history.map((row) => [row.modelId, row.version, row.kind]),
        rows.map((row) => [row.id, 1, 'created']).sort(),
      );
      assert.match(history[0]?.reason ?? '', /declared in the environment/);
      assert.equal(history[0]?.snapshot.source, 'CHORUS_PROVIDER_OLLAMA_MODELS');
    });

    test('registering again (a restart) changes nothing, and an admin edit survives it', async () => {
      await database.db
        .update(models)
        .set({ displayName: 'Llama (our GPU box)', version: 2 })
        .where(eq(models.id, 'ollama:llama3.1:8b'));
      const before = await readTableContents(database.db);

      const result = await registerDeclaredModels(database.db, registry);

      assert.deepEqual(result, { inserted: 0, alreadyPresent: 3 });
      assert.deepEqual(await readTableContents(database.db), before);
    });

    test('with nothing declared there is nothing to do', async () => {
      const result = await registerDeclaredModels(database.db, createProviderRegistry(readEnvironment({})));
      assert.deepEqual(result, { inserted: 0, alreadyPresent: 0 });
    });
  });
}

describe('start-up', () => {
  test('the runtime builds the provider registry and registers the declared models', async () => {
    const directory = temporaryDirectory();
    const lines: string[] = [];
    const runtime = await openRuntime(readEnvironment({ DATA_DIR: directory.path, ...declaringEnvironment }), {
      log: (line) => lines.push(line),
    });
    try {
      assert.deepEqual(runtime.providers.configuredProviders(), ['local', 'ollama', 'vllm']);
      const ids = (await runtime.database.db.select({ id: models.id }).from(models)).map((row) => row.id);
      assert.ok(ids.includes('local:echo') && ids.includes('ollama:qwen2.5'));
      assert.ok(lines.includes('registered 3 models declared in CHORUS_PROVIDER_*_MODELS'), lines.join('\n'));
    } finally {
      await runtime.close();
      directory.remove();
    }
  });
});
