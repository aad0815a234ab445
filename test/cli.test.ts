import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, test } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import { type Keyring, keyringFromEnvironment } from '../src/crypto/encryption.ts';
import { type Database, openDatabase } from '../src/db/client.ts';
import { readJournal } from '../src/db/migrations/files.ts';
import { migrateUp } from '../src/db/migrations/migrator.ts';
import { queryOne } from '../src/db/rows.ts';
import { models } from '../src/db/schema/index.ts';
import { readCatalog } from '../src/models/catalog.ts';
import { createStore, type Store } from '../src/store/index.ts';
import { dataDirectories, runChorus } from './support/cli.ts';
import { createPostgresDatabase } from './support/database.ts';

const CATALOG_SIZE = readCatalog().length + 1; // + the offline model

// Every spawn pays ~1 s of start-up; the tests use data directories of their own and run side by side.
describe('the chorus command', { concurrency: 3 }, () => {
  const directories = dataDirectories();
  after(() => directories.removeAll());

  const commands = [
    [],
    ['serve'],
    ['migrate'],
    ['migrate', 'down'],
    ['migrate', 'status'],
    ['seed'],
    ['db'],
    ['db', 'copy'],
    ['encryption'],
    ['encryption', 'rotate'],
    ['export'],
    ['files'],
    ['files', 'migrate'],
    ['users'],
    ['users', 'list'],
    ['users', 'show'],
    ['users', 'promote'],
    ['users', 'demote'],
    ['users', 'deactivate'],
    ['users', 'reactivate'],
    ['users', 'delete'],
    ['backup'],
    ['restore'],
    ['models'],
    ...['list', 'show', 'import', 'export', 'history', 'deprecate', 'reprice', 'usage'].map((command) => [
      'models',
      command,
    ]),
  ];

  test('the program and every command print their help', async () => {
    const results = await Promise.all(commands.map((command) => runChorus([...command, '--help'])));
    for (const [index, result] of results.entries()) {
      const name = ['chorus', ...commands[index]!].join(' ');
      assert.equal(result.code, 0, `${name} --help: ${result.stderr}`);
      assert.match(result.stdout, new RegExp(`^Usage: ${name} `), name);
    }
    // A new command (or subcommand) must join the list above, so its help is tested too.
    const tested = new Set(commands.map((command) => command.join(' ')));
    for (const [index, result] of results.entries()) {
      const listed = /\nCommands:\n([\s\S]*)$/.exec(result.stdout)?.[1] ?? '';
      for (const [, name] of listed.matchAll(/^ {2}(\S+)/gm)) {
        const command = [...commands[index]!, name!].join(' ');
        if (name !== 'help') assert.ok(tested.has(command), `the help of \`chorus ${command}\` is tested`);
      }
    }
  });

  test('migrate, migrate status, migrate down and migrate down --all', async () => {
    const env = { DATA_DIR: await directories.initialised() };
    const status = async () => {
      const result = await runChorus(['migrate', 'status'], env);
      assert.equal(result.code, 0, result.stderr);
      return result.stdout
        .trim()
        .split('\n')
        .map((line) => line.replace(/ {2}(applied .*|pending)$/, ''));
    };
    const tags = readJournal().entries.map((entry) => entry.tag);
    assert.deepEqual(
      await status(),
      tags.map((tag) => `[ ] ${tag}`),
    );

    const migrated = await runChorus(['migrate'], env);
    assert.equal(migrated.code, 0, migrated.stderr);
    assert.equal(migrated.stdout, `applied: ${tags.join(', ')}\n`);
    assert.deepEqual(
      await status(),
      tags.map((tag) => `[x] ${tag}`),
    );

    const down = await runChorus(['migrate', 'down'], env);
    assert.equal(down.stdout, `reverted: ${tags.at(-1)}\n`);
    assert.deepEqual(
      await status(),
      tags.map((tag, index) => `${index < tags.length - 1 ? '[x]' : '[ ]'} ${tag}`),
    );
    const downAll = await runChorus(['migrate', 'down', '--all'], env);
    assert.equal(downAll.stdout, `reverted: ${tags.slice(0, -1).reverse().join(', ')}\n`);
    assert.deepEqual(
      await status(),
      tags.map((tag) => `[ ] ${tag}`),
    );
  });

  test('seeding twice loads nothing new the second time and keeps an edited model as it is', async () => {
    const env = { DATA_DIR: await directories.initialised() };
    const first = await runChorus(['seed'], env);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, new RegExp(`seeded ${CATALOG_SIZE} models \\(0 already present\\)`));

    const edit = async (change?: string) => {
      const database = await openDatabase({ dataDir: env.DATA_DIR });
      try {
        if (change) await database.db.update(models).set({ displayName: change }).where(eq(models.id, 'local:echo'));
        const [echo] = await database.db.select().from(models).where(eq(models.id, 'local:echo'));
        const count = await queryOne<{ count: number }>(database.db, sql`select count(*)::int as count from models`);
        return { displayName: echo!.displayName, count: count!.count };
      } finally {
        await database.close();
      }
    };
    await edit('Echo, renamed by an admin');

    const second = await runChorus(['seed'], env);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, new RegExp(`seeded 0 models \\(${CATALOG_SIZE} already present\\)`));
    assert.deepEqual(await edit(), { displayName: 'Echo, renamed by an admin', count: CATALOG_SIZE });
  });

  test('encryption rotate encrypts plaintext messages and titles, then moves them to a new key', async () => {
    const env = { DATA_DIR: await directories.initialised() };
    const firstKey = randomBytes(32).toString('base64');
    const secondKey = randomBytes(32).toString('hex');
    const secret = 'the launch code is 0000';
    const inDatabase = async <T>(
      action: (store: Store, db: Database) => Promise<T>,
      keyring: Keyring | null = null,
    ) => {
      const database = await openDatabase({ dataDir: env.DATA_DIR });
      try {
        await migrateUp(database.db);
        return await action(createStore(database.db, { keyring }), database.db);
      } finally {
        await database.close();
      }
    };
    const { actor, conversationId, messageId } = await inDatabase(async (store) => {
      const user = await store.users.create({ displayName: 'Keeper' });
      const conversation = await store.conversations.create({ actor: user, title: 'vault' });
      const [message] = await store.messages.save({
        actor: user,
        conversationId: conversation.id,
        messages: [{ role: 'user', content: secret, parts: [{ type: 'text', text: secret }] }],
      });
      return { actor: user, conversationId: conversation.id, messageId: message!.id };
    });
    const storedRow = () =>
      inDatabase((_, db) =>
        queryOne<{ content: string | null; encrypted: boolean; key_id: string | null }>(
          db,
          sql`select content, encrypted_content is not null as encrypted, encryption_key_id as key_id from messages where id = ${messageId}`,
        ),
      );

    const noKey = await runChorus(['encryption', 'rotate'], env);
    assert.notEqual(noKey.code, 0);
    assert.match(noKey.stderr, /CHORUS_ENCRYPTION_KEY is not set/);

    const first = await runChorus(['encryption', 'rotate'], { ...env, CHORUS_ENCRYPTION_KEY: firstKey });
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /scanned 1 messages: encrypted 1 plaintext, re-encrypted 0/);
    assert.match(first.stdout, /scanned 1 titles: encrypted 1 plaintext, re-encrypted 0/);
    const afterFirst = await storedRow();
    assert.equal(afterFirst!.content, null);
    assert.equal(afterFirst!.encrypted, true);
    const storedTitle = () =>
      inDatabase((_, db) =>
        queryOne<{ title: string | null; key_id: string | null }>(
          db,
          sql`select title, title_key_id as key_id from conversations where id = ${conversationId}`,
        ),
      );
    const titleAfterFirst = await storedTitle();
    assert.equal(titleAfterFirst!.title, null);
    assert.equal(titleAfterFirst!.key_id, afterFirst!.key_id);

    const second = await runChorus(['encryption', 'rotate'], {
      ...env,
      CHORUS_ENCRYPTION_KEY: secondKey,
      CHORUS_ENCRYPTION_PREVIOUS_KEYS: firstKey,
    });
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /scanned 1 messages: encrypted 0 plaintext, re-encrypted 1/);
    assert.match(second.stdout, /scanned 1 titles: encrypted 0 plaintext, re-encrypted 1/);
    const afterSecond = await storedRow();
    assert.notEqual(afterSecond!.key_id, afterFirst!.key_id);
    assert.equal((await storedTitle())!.key_id, afterSecond!.key_id);

    const onlyNewKey = keyringFromEnvironment({ CHORUS_ENCRYPTION_KEY: secondKey });
    const page = await inDatabase((store) => store.messages.page({ actor, conversationId }), onlyNewKey);
    assert.equal(page.items[0]!.content, secret);
    const conversation = await inDatabase(
      (store) => store.conversations.get({ actor, id: conversationId }),
      onlyNewKey,
    );
    assert.equal(conversation.title, 'vault');
  });

  test('users: promote, deactivate, list and delete people; the last active admin stays', async () => {
    const env = { DATA_DIR: await directories.initialised() };
    const database = await openDatabase({ dataDir: env.DATA_DIR });
    try {
      await migrateUp(database.db);
      const store = createStore(database.db);
      await store.users.create({ email: 'boss@example.test', role: 'admin' });
      await store.users.create({ email: 'pat@example.test', displayName: 'Pat' });
    } finally {
      await database.close();
    }
    const refused = await runChorus(['users', 'demote', 'boss@example.test'], env);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /cannot demote or deactivate the last active admin/);
    for (const command of ['promote', 'deactivate']) {
      const changed = await runChorus(['users', command, 'pat@example.test'], env);
      assert.equal(changed.code, 0, changed.stderr);
    }
    const listed = await runChorus(['users', 'list', '--search', 'pat', '--json'], env);
    assert.equal(listed.code, 0, listed.stderr);
    const [pat] = JSON.parse(listed.stdout).users;
    assert.deepEqual([pat.email, pat.role, pat.isActive], ['pat@example.test', 'admin', false]);
    const deleted = await runChorus(['users', 'delete', 'pat@example.test'], env);
    assert.equal(deleted.code, 0, deleted.stderr);
    const gone = await runChorus(['users', 'show', 'pat@example.test'], env);
    assert.equal(gone.code, 1);
    assert.match(gone.stderr, /not found/);
  });

  test('a bad environment value stops the program with a message naming the variable', async () => {
    const [port, databaseUrl] = await Promise.all([
      runChorus(['migrate', 'status'], { DATA_DIR: directories.empty(), PORT: 'abc' }),
      runChorus(['migrate', 'status'], { DATA_DIR: directories.empty(), DATABASE_URL: 'not a url' }),
    ]);
    assert.notEqual(port.code, 0);
    assert.match(port.stderr, /Invalid configuration:\n\s+PORT: /);
    assert.notEqual(databaseUrl.code, 0);
    assert.match(databaseUrl.stderr, /DATABASE_URL: must be a URL/);
  });

  test('db copy needs exactly one of --to and --from, a PostgreSQL URL and something to copy', async () => {
    const [neither, both, notPostgres, nothingToCopy] = await Promise.all([
      runChorus(['db', 'copy'], { DATA_DIR: directories.empty() }),
      runChorus(['db', 'copy', '--to', 'postgres://a/b', '--from', 'postgres://a/c'], {
        DATA_DIR: directories.empty(),
      }),
      runChorus(['db', 'copy', '--to', 'mysql://a/b'], { DATA_DIR: directories.empty() }),
      runChorus(['db', 'copy', '--to', 'postgres://a/b'], { DATA_DIR: directories.empty() }),
    ]);
    for (const result of [neither, both]) {
      assert.notEqual(result.code, 0);
      assert.match(result.stderr, /exactly one of --to <postgres-url> or --from <postgres-url>/);
    }
    assert.notEqual(notPostgres.code, 0);
    assert.match(notPostgres.stderr, /not a PostgreSQL URL/);
    assert.notEqual(nothingToCopy.code, 0);
    assert.match(nothingToCopy.stderr, /no embedded database in DATA_DIR/);
  });

  if (process.env.TEST_DATABASE_URL) {
    test('db copy moves a seeded installation to PostgreSQL and back, and refuses to copy over rows', async () => {
      const source = { DATA_DIR: await directories.initialised() };
      const copyBack = { DATA_DIR: await directories.initialised() };
      const postgresDatabase = await createPostgresDatabase();
      try {
        assert.equal((await runChorus(['seed'], source)).code, 0);
        const to = await runChorus(['db', 'copy', '--to', postgresDatabase.url], source);
        assert.equal(to.code, 0, to.stderr);
        assert.match(to.stdout, /migrated the target: 0000_core_schema/);
        assert.match(to.stdout, new RegExp(`^models +${CATALOG_SIZE} +${CATALOG_SIZE}$`, 'm'));
        assert.match(to.stdout, /copied \d+ rows in/);

        const again = await runChorus(['db', 'copy', '--to', postgresDatabase.url], source);
        assert.notEqual(again.code, 0);
        assert.match(again.stderr, /already holds rows in: .*models[\s\S]*--force/);

        const back = await runChorus(['db', 'copy', '--from', postgresDatabase.url], copyBack);
        assert.equal(back.code, 0, back.stderr);
        assert.match(back.stdout, new RegExp(`^model_history +${CATALOG_SIZE} +${CATALOG_SIZE}$`, 'm'));
        assert.doesNotMatch(back.stdout, /DIFFERS/);
      } finally {
        await postgresDatabase.drop();
      }
    });
  }
});
