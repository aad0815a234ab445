// `chorus models …` run as a user would, in child processes, on embedded data directories of their own (and on
// PostgreSQL through DATABASE_URL when TEST_DATABASE_URL is set).
import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { openDatabase } from '../src/db/client.ts';
import { readCatalog } from '../src/models/catalog.ts';
import { priceUsage } from '../src/models/pricing.ts';
import { actorOf, createStore } from '../src/store/index.ts';
import { dataDirectories, runChorus, temporaryDirectory } from './support/cli.ts';
import { createPostgresDatabase } from './support/database.ts';

const CATALOG_SIZE = readCatalog().length + 1; // + the offline model
const OPENROUTER_ID = 'openrouter:google/gemini-2.5-pro';

type Env = Record<string, string>;

async function chorus(args: string[], env: Env) {
  const result = await runChorus(args, env);
  assert.equal(result.code, 0, `chorus ${args.join(' ')}:\n${result.stderr}`);
  return result.stdout;
}

const chorusJson = async (args: string[], env: Env) => JSON.parse(await chorus([...args, '--json'], env));

const acme = (providerModelId: string, pricing = { input: 1, output: 2, cacheRead: null as number | null }) => ({
  id: `acme:${providerModelId}`,
  provider: 'acme',
  providerModelId,
  name: `Acme ${providerModelId}`,
  contextWindow: 8_000,
  pricing,
});

describe('chorus models', { concurrency: 3 }, () => {
  const directories = dataDirectories();
  const files = temporaryDirectory('chorus-models-');
  after(() => {
    directories.removeAll();
    files.remove();
  });
  const file = (name: string) => path.join(files.path, name);

  // Every spawn costs seconds: the catalog is seeded once, and each test gets a copy of that directory.
  let template: Promise<string> | undefined;
  const seedTemplate = async () => {
    const directory = await directories.initialised();
    await chorus(['seed'], { DATA_DIR: directory });
    return directory;
  };

  /** A data directory of its own with the shipped catalog seeded. */
  async function seeded(): Promise<Env> {
    template ??= seedTemplate();
    const directory = directories.empty();
    cpSync(await template, directory, { recursive: true });
    return { DATA_DIR: directory };
  }

  test('list and show: tables for people, JSON with --json, and the filters', async () => {
    const env = await seeded();
    const all = await chorusJson(['models', 'list'], env);
    assert.equal(all.length, CATALOG_SIZE);

    const table = await chorus(['models', 'list', '--provider', 'openrouter'], env);
    const [header, ...lines] = table.trim().split('\n');
    assert.match(header!, /^id\s+name\s+status\s+context\s+input\/1M\s+output\/1M\s+version$/);
    assert.ok(lines.some((line) => line.startsWith(`${OPENROUTER_ID} `)));
    assert.match(table, /\n\d+ models\n$/);

    const found = await chorusJson(['models', 'list', '--capability', 'pdf', '--search', 'gemini'], env);
    assert.ok(found.length > 0);
    for (const model of found) {
      assert.ok(model.capabilities.includes('pdf'));
      assert.match(`${model.id} ${model.name}`, /gemini/i);
    }
    const refused = await runChorus(['models', 'list', '--status', 'retired'], env);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /Allowed choices are active, beta, deprecated, disabled/);

    const shown = await chorus(['models', 'show', OPENROUTER_ID], env);
    assert.match(shown, /^id: +openrouter:google\/gemini-2\.5-pro$/m);
    assert.match(shown, /^provider: +openrouter \(model google\/gemini-2\.5-pro\)$/m);
    assert.match(shown, /^pricing \(per 1M tokens\): +input \$1\.25, output \$10\.00/m);
    assert.equal((await chorusJson(['models', 'show', OPENROUTER_ID], env)).version, 1);
    const missing = await runChorus(['models', 'show', 'acme:nothing'], env);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /model acme:nothing not found/);
  });

  test('export then import changes nothing; an edited export is planned by --dry-run, then applied with its reason', async () => {
    const env = await seeded();
    const exportFile = file('round-trip.json');
    await chorus(['models', 'export', exportFile], env);
    const exported = JSON.parse(readFileSync(exportFile, 'utf8'));
    assert.equal(exported.length, CATALOG_SIZE);
    assert.deepEqual(JSON.parse(await chorus(['models', 'export'], env)), exported, 'stdout without a file');

    const unchanged = await chorus(['models', 'import', exportFile], env);
    assert.match(unchanged, /created 0, changed 0, unchanged \d+/);

    const edited = exported.map((model: { id: string; pricing: object }) =>
      model.id === OPENROUTER_ID ? { ...model, pricing: { ...model.pricing, input: 1 } } : model,
    );
    edited.push(acme('fresh'));
    const editedFile = file('edited.json');
    writeFileSync(editedFile, JSON.stringify(edited));

    const planned = await chorus(['models', 'import', editedFile, '--dry-run'], env);
    assert.match(planned, /^dry run: nothing was written$/m);
    assert.match(planned, /would create 1, would change 1, unchanged \d+/);
    assert.match(planned, /^ {2}acme:fresh$/m);
    assert.match(planned, /^ {4}pricing\.input: 1\.25 → 1$/m);
    assert.equal((await chorusJson(['models', 'show', OPENROUTER_ID], env)).version, 1, 'a dry run writes nothing');

    const applied = await chorus(['models', 'import', editedFile, '--reason', 'price cut'], env);
    assert.match(applied, /created 1, changed 1, unchanged \d+/);
    const history = await chorus(['models', 'history', OPENROUTER_ID], env);
    const [, newest, oldest] = history.trim().split('\n');
    assert.match(newest!, /^ +2 +imported +\S+ \S+ +system +price cut +pricing\.input: 1\.25 → 1$/);
    assert.match(oldest!, /^ +1 +created .* seeded from the shipped catalog/);
    const [entry] = await chorusJson(['models', 'history', OPENROUTER_ID], env);
    assert.equal(entry.changedBy, null, 'the command line is no account');
    assert.equal(entry.reason, 'price cut');
  });

  test('an import with bad entries writes nothing and lists every problem with its entry and field; a large one writes all', async () => {
    const env = await seeded();
    const badFile = file('bad.json');
    writeFileSync(
      badFile,
      JSON.stringify([
        acme('good'),
        { ...acme('bad'), contextWindow: 0, pricing: { input: -1, output: 1 } },
        { id: 'no-colon' },
      ]),
    );
    const refused = await runChorus(['models', 'import', badFile], env);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /nothing was imported/);
    assert.match(refused.stderr, /entry 1, contextWindow: /);
    assert.match(refused.stderr, /entry 1, pricing\.input: /);
    assert.match(refused.stderr, /entry 2, id: /);
    assert.match(refused.stderr, /entry 2, name: /);

    writeFileSync(file('not-json.json'), '[{"id": ');
    const notJson = await runChorus(['models', 'import', file('not-json.json')], env);
    assert.equal(notJson.code, 1);
    assert.match(notJson.stderr, /is not JSON/);
    const absent = await runChorus(['models', 'import', file('absent.json')], env);
    assert.equal(absent.code, 1);
    assert.match(absent.stderr, /cannot read/);

    // The same import, corrected and large, goes through whole.
    const many = Array.from({ length: 2_000 }, (_, index) => acme(`many-${index}`));
    writeFileSync(file('many.json'), JSON.stringify(many));
    assert.match(await chorus(['models', 'import', file('many.json')], env), /created 2000, changed 0/);
    const acmeModels = await chorusJson(['models', 'list', '--provider', 'acme'], env);
    assert.equal(acmeModels.length, 2_000, 'these, and not the good entry of the refused import');
  });

  test('deprecate: the model leaves the active ones with its reason; again, nothing changes', async () => {
    const env = await seeded();
    const deprecated = await chorus(['models', 'deprecate', OPENROUTER_ID, '--reason', 'superseded'], env);
    assert.match(deprecated, /deprecated openrouter:google\/gemini-2\.5-pro \(now version 2\)/);
    assert.match(deprecated, /status: active → deprecated/);
    const active = await chorusJson(['models', 'list', '--status', 'active'], env);
    assert.ok(!active.some((model: { id: string }) => model.id === OPENROUTER_ID));
    assert.match(await chorus(['models', 'deprecate', OPENROUTER_ID], env), /already deprecated: nothing changed/);
    const [entry] = await chorusJson(['models', 'history', OPENROUTER_ID], env);
    assert.deepEqual([entry.version, entry.kind, entry.reason], [2, 'deprecated', 'superseded']);
  });

  test('reprice reports the difference a price change makes to past replies; usage groups by model, user and day', async () => {
    const env = await seeded();
    const modelsFile = file('priced.json');
    writeFileSync(modelsFile, JSON.stringify([acme('priced')]));
    await chorus(['models', 'import', modelsFile], env);

    // Two replies in January at the old price, written straight into the data directory (no server runs).
    const database = await openDatabase({ dataDir: env.DATA_DIR! });
    try {
      const store = createStore(database.db);
      const asker = actorOf(await store.users.create({ email: 'asker@example.test', displayName: 'Asker' }));
      for (const day of ['2026-01-10', '2026-01-11']) {
        const conversation = await store.conversations.create({ actor: asker, title: day });
        const createdAt = new Date(`${day}T12:00:00Z`);
        const [question] = await store.messages.save({
          actor: asker,
          conversationId: conversation.id,
          messages: [{ role: 'user', content: 'Why?', createdAt }],
        });
        const usage = { inputTokens: 1000, outputTokens: 500 };
        await store.messages.save({
          actor: asker,
          conversationId: conversation.id,
          messages: [
            {
              role: 'assistant',
              content: 'Because.',
              parentId: question!.id,
              modelId: 'acme:priced',
              modelVersion: 1,
              status: 'complete',
              createdAt,
              ...usage,
              costUsd: priceUsage({ input: 1, output: 2 }, usage), // 0.002
            },
          ],
        });
      }
    } finally {
      await database.close();
    }

    writeFileSync(modelsFile, JSON.stringify([acme('priced', { input: 3, output: 2, cacheRead: null })]));
    await chorus(['models', 'import', modelsFile, '--reason', 'price rise'], env);

    const period = ['--since', '2026-01-01', '--until', '2026-02-01'];
    const report = await chorus(['models', 'reprice', ...period], env);
    assert.match(report, /^repriced 2 replies from 2026-01-01T00:00:00\.000Z to 2026-02-01T00:00:00\.000Z$/m);
    assert.match(report, /^acme:priced +2 +2 +\$0\.004 +\$0\.008 +\+\$0\.004$/m);
    assert.match(report, /^total: \$0\.004 → \$0\.008 \(\+\$0\.004\); 2 stored costs updated$/m);
    const again = await chorusJson(['models', 'reprice', ...period], env);
    assert.deepEqual([again.messages, again.differenceUsd, again.changedMessages], [2, 0, 0]);

    const range = ['--from', '2026-01-01', '--to', '2026-02-01'];
    const byModel = await chorus(['models', 'usage', ...range], env);
    assert.match(byModel, /^acme:priced +2 +2,000 +0 +1,000 +\$0\.008$/m);
    const byUser = await chorus(['models', 'usage', ...range, '--group-by', 'user'], env);
    assert.match(byUser, /^asker@example\.test +2 /m, 'people by their email');
    const byDay = await chorusJson(['models', 'usage', ...range, '--group-by', 'day'], env);
    assert.deepEqual(
      byDay.rows.map((row: { key: string; messages: number; costUsd: number }) => [row.key, row.messages, row.costUsd]),
      [
        ['2026-01-10', 1, 0.004],
        ['2026-01-11', 1, 0.004],
      ],
    );

    const badDate = await runChorus(['models', 'reprice', '--since', 'last week'], env);
    assert.equal(badDate.code, 1);
    assert.match(badDate.stderr, /--since must be YYYY-MM-DD or an ISO 8601 date-time/);
    const noSince = await runChorus(['models', 'reprice'], env);
    assert.equal(noSince.code, 1);
    assert.match(noSince.stderr, /--since <date>/);
  });

  if (process.env.TEST_DATABASE_URL) {
    test('on PostgreSQL (DATABASE_URL): export then import round trip, and an import applied', async () => {
      const postgresDatabase = await createPostgresDatabase();
      try {
        const env = { DATA_DIR: directories.empty(), DATABASE_URL: postgresDatabase.url };
        await chorus(['seed'], env);
        const exportFile = file('postgres.json');
        await chorus(['models', 'export', exportFile], env);
        assert.match(await chorus(['models', 'import', exportFile], env), /created 0, changed 0, unchanged \d+/);
        const exported = JSON.parse(readFileSync(exportFile, 'utf8'));
        writeFileSync(exportFile, JSON.stringify([...exported, acme('on-postgres')]));
        assert.match(await chorus(['models', 'import', exportFile], env), /created 1, changed 0/);
        assert.equal((await chorusJson(['models', 'show', 'acme:on-postgres'], env)).version, 1);
      } finally {
        await postgresDatabase.drop();
      }
    });
  }
});
