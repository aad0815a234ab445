import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createAuth } from '../../src/auth/better-auth.ts';
import { AUTH_SECRET_KEY, resolveAuthSecret } from '../../src/auth/secret.ts';
import { readEnvironment } from '../../src/config/env.ts';
import { createStore, type Store } from '../../src/store/index.ts';
import { openTestDatabase, type TestDatabase, testBackends } from '../support/database.ts';

for (const kind of testBackends()) {
  describe(`the session-signing secret on ${kind}`, () => {
    let database: TestDatabase;
    let store: Store;
    before(async () => {
      database = await openTestDatabase(kind);
      store = createStore(database.db);
    });
    after(() => database.close());

    test('BETTER_AUTH_SECRET wins and nothing is stored', async () => {
      const secret = 'x'.repeat(40);
      assert.equal(await resolveAuthSecret(readEnvironment({ BETTER_AUTH_SECRET: secret }), store), secret);
      assert.equal(await store.systemConfigs.get(AUTH_SECRET_KEY), undefined);
    });

    test('without it, one secret is generated once: processes starting together all get the same one', async () => {
      const env = readEnvironment({});
      const secrets = await Promise.all(Array.from({ length: 5 }, () => resolveAuthSecret(env, createStore(database.db))));
      assert.equal(new Set(secrets).size, 1);
      assert.ok(secrets[0]!.length >= 32);
      assert.equal(await resolveAuthSecret(env, store), secrets[0], 'and again after a restart');
    });

    test('a session cookie made by one process is accepted by another process on the same database', async () => {
      const env = readEnvironment({ PUBLIC_URL: 'http://chorus.test' });
      const startProcess = async () => {
        const processStore = createStore(database.db);
        return createAuth({ env, store: processStore, secret: await resolveAuthSecret(env, processStore) });
      };
      const [first, second] = await Promise.all([startProcess(), startProcess()]);
      const signedUp = await first.api.signUpEmail({
        body: { email: 'shared@example.com', password: 'correct horse battery staple', name: 'Shared' },
        returnHeaders: true,
      });
      const cookie = signedUp.headers.getSetCookie().map((setCookie) => setCookie.split(';')[0]).join('; ');
      const session = await second.api.getSession({ headers: new Headers({ cookie }) });
      assert.equal(session?.user.email, 'shared@example.com');
    });

    test('the stored secret is invisible to configuration readers and cannot be overwritten by an admin', async () => {
      await resolveAuthSecret(readEnvironment({}), store);
      assert.equal(await store.systemConfigs.get(AUTH_SECRET_KEY), undefined);
      assert.ok(!(await store.systemConfigs.getAll()).some((config) => config.key.startsWith('internal.')));
      const admin = await store.users.create({ displayName: 'Admin', role: 'admin' });
      await assert.rejects(
        store.systemConfigs.set({ actor: admin, key: AUTH_SECRET_KEY, value: 'mine now, long enough to be a secret' }),
        { code: 'forbidden' },
      );
    });
  });
}
