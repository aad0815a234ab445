import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { createAuth } from '../../src/auth/better-auth.ts';
import {
  AUTH_SECRET_FILE,
  AUTH_SECRET_KEY,
  resolveAuthSecret,
  SECRET_IN_DATABASE_WARNING,
} from '../../src/auth/secret.ts';
import { readEnvironment } from '../../src/config/env.ts';
import { openRuntime } from '../../src/runtime.ts';
import { createStore, type Store } from '../../src/store/index.ts';
import { temporaryDirectory } from '../support/cli.ts';
import { openTestDatabase, type TestDatabase, testBackends } from '../support/database.ts';

for (const kind of testBackends()) {
  describe(`the session-signing secret on ${kind}`, () => {
    let database: TestDatabase;
    let store: Store;
    let dataDir: ReturnType<typeof temporaryDirectory>;
    before(async () => {
      database = await openTestDatabase(kind);
      store = createStore(database.db);
    });
    after(() => database.close());
    beforeEach(async () => {
      dataDir = temporaryDirectory();
      await store.systemConfigs.deleteInternal(AUTH_SECRET_KEY);
    });
    afterEach(() => dataDir.remove());

    const environment = (extra: Record<string, string> = {}) =>
      readEnvironment({ DATA_DIR: dataDir.path, PUBLIC_URL: 'http://chorus.test', ...extra });
    const secretFile = () => path.join(dataDir.path, AUTH_SECRET_FILE);
    const storedInDatabase = () => store.systemConfigs.findInternal(AUTH_SECRET_KEY);

    /** Signs someone up with `secret` and returns their session cookie. */
    async function sessionCookie(secret: string, email: string): Promise<string> {
      const auth = createAuth({ env: environment(), store, secret });
      const signedUp = await auth.api.signUpEmail({
        body: { email, password: 'correct horse battery staple', name: 'Someone' },
        returnHeaders: true,
      });
      return signedUp.headers
        .getSetCookie()
        .map((setCookie) => setCookie.split(';')[0])
        .join('; ');
    }
    const sessionEmail = async (secret: string, cookie: string) =>
      (await createAuth({ env: environment(), store, secret }).api.getSession({ headers: new Headers({ cookie }) }))
        ?.user.email;

    test('BETTER_AUTH_SECRET wins and nothing is kept, in a file or in the database', async () => {
      for (const databaseKind of ['pglite', 'postgres'] as const) {
        const secret = 'x'.repeat(40);
        assert.deepEqual(await resolveAuthSecret(environment({ BETTER_AUTH_SECRET: secret }), store, databaseKind), {
          secret,
          keptIn: 'environment',
        });
        assert.throws(() => statSync(secretFile()), { code: 'ENOENT' });
        assert.equal(await storedInDatabase(), undefined);
      }
    });

    test('on the embedded database one secret is generated once into a file of DATA_DIR only its owner can read, never into the database', async () => {
      const env = environment();
      const resolved = await Promise.all(
        Array.from({ length: 5 }, () => resolveAuthSecret(env, createStore(database.db), 'pglite')),
      );
      assert.equal(new Set(resolved.map((each) => each.secret)).size, 1, 'starting together, all agree');
      const { secret, keptIn } = resolved[0]!;
      assert.equal(keptIn, 'file');
      assert.ok(secret.length >= 32);
      assert.equal(readFileSync(secretFile(), 'utf8'), secret);
      assert.equal(statSync(secretFile()).mode & 0o777, 0o600);
      assert.equal(await storedInDatabase(), undefined);
      assert.equal((await resolveAuthSecret(env, store, 'pglite')).secret, secret, 'and again after a restart');
    });

    test('a secret an earlier version kept in the database moves to the file, and the sessions it signed stay valid', async () => {
      const earlier = await store.systemConfigs.readOrCreateInternal(
        AUTH_SECRET_KEY,
        () => 'an earlier generated secret, long enough',
      );
      const cookie = await sessionCookie(earlier as string, `upgraded-${kind}@example.com`);
      const { secret, keptIn } = await resolveAuthSecret(environment(), store, 'pglite');
      assert.equal(keptIn, 'file');
      assert.equal(secret, earlier);
      assert.equal(readFileSync(secretFile(), 'utf8'), earlier);
      assert.equal(await storedInDatabase(), undefined, 'the database no longer holds it');
      assert.equal(await sessionEmail(secret, cookie), `upgraded-${kind}@example.com`, 'nobody was signed out');
    });

    test('a secret file that is not one stops start-up, naming the file but not what it holds', async () => {
      writeFileSync(secretFile(), 'too short', { mode: 0o600 });
      await assert.rejects(resolveAuthSecret(environment(), store, 'pglite'), (error: Error) => {
        assert.ok(error.message.includes(secretFile()), error.message);
        assert.ok(!error.message.includes('too short'));
        return true;
      });
    });

    test('on PostgreSQL one secret is generated once into the database, which every process shares, and start-up warns', async () => {
      const env = environment();
      const resolved = await Promise.all(
        Array.from({ length: 5 }, () => resolveAuthSecret(env, createStore(database.db), 'postgres')),
      );
      assert.equal(new Set(resolved.map((each) => each.secret)).size, 1);
      assert.equal(resolved[0]!.keptIn, 'database');
      assert.equal(await storedInDatabase(), resolved[0]!.secret);
      assert.throws(() => statSync(secretFile()), { code: 'ENOENT' });
      // A session one process signs, another accepts.
      const cookie = await sessionCookie(resolved[0]!.secret, `shared-${kind}@example.com`);
      assert.equal(await sessionEmail(resolved[1]!.secret, cookie), `shared-${kind}@example.com`);
      assert.match(SECRET_IN_DATABASE_WARNING, /BETTER_AUTH_SECRET.*forge sessions/);
    });

    test('the stored secret is invisible to configuration readers and cannot be overwritten by an admin', async () => {
      await resolveAuthSecret(environment(), store, 'postgres');
      assert.equal(await store.systemConfigs.get(AUTH_SECRET_KEY), undefined);
      assert.ok(!(await store.systemConfigs.getAll()).some((config) => config.key.startsWith('internal.')));
      const admin = await store.users.create({ displayName: 'Admin', role: 'admin' });
      await assert.rejects(
        store.systemConfigs.set({ actor: admin, key: AUTH_SECRET_KEY, value: 'mine now, long enough to be a secret' }),
        { code: 'forbidden' },
      );
    });

    const startUpTest =
      kind === 'postgres'
        ? 'starting the server on PostgreSQL without BETTER_AUTH_SECRET warns that the secret is in the database'
        : 'starting the server on the embedded database gives no such warning';
    test(startUpTest, async () => {
      const lines: string[] = [];
      const runtime = await openRuntime(environment(), {
        database: await openTestDatabase(kind),
        seedIfEmpty: false,
        registerDeclaredModels: false,
        log: (line) => lines.push(line),
      });
      await runtime.close();
      assert.equal(lines.includes(SECRET_IN_DATABASE_WARNING), kind === 'postgres', lines.join('\n'));
    });
  });
}
