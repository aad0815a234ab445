import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { testBackends } from '../support/database.ts';
import { startTestServer, TestClient, type TestServer } from '../support/server.ts';

const PASSWORD = 'correct horse battery staple';

for (const kind of testBackends()) {
  describe(`API keys on ${kind}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(kind);
    });
    after(() => server.close());

    const signUp = async (email: string) => {
      const browser = new TestClient(server.baseUrl);
      const response = await browser.post('/api/auth/sign-up/email', { email, password: PASSWORD, name: 'Keyholder' });
      assert.equal(response.status, 200, JSON.stringify(response.body));
      return browser;
    };
    const script = (key: string) => new TestClient(server.baseUrl, { bearer: key });

    test('a key is shown once, listed without itself, works as a bearer token, and stops working when deleted', async () => {
      const browser = await signUp('scripter@example.com');
      const me = (await browser.get('/api/me')).body;

      const created = await browser.post('/api/keys', { name: 'laptop' });
      assert.equal(created.status, 201);
      assert.deepEqual(Object.keys(created.body).sort(), ['createdAt', 'expiresAt', 'id', 'key', 'name']);
      assert.match(created.body.key, /^chorus_[A-Za-z0-9_-]{43}$/);
      assert.equal(created.body.name, 'laptop');

      const unnamed = await browser.post('/api/keys');
      assert.equal(unnamed.status, 201, 'the body is optional');
      assert.equal(unnamed.body.name, null);

      const viaKey = await script(created.body.key).get('/api/me');
      assert.equal(viaKey.status, 200);
      assert.deepEqual(viaKey.body, me);

      const listed = await browser.get('/api/keys');
      assert.equal(listed.status, 200);
      assert.deepEqual(
        listed.body.keys.map((key: { id: string }) => key.id),
        [unnamed.body.id, created.body.id],
        'newest first',
      );
      const laptop = listed.body.keys[1];
      assert.deepEqual(Object.keys(laptop).sort(), ['createdAt', 'expiresAt', 'id', 'lastUsedAt', 'name', 'prefix']);
      assert.ok(created.body.key.startsWith(laptop.prefix) && laptop.prefix.length < 16);
      assert.notEqual(laptop.lastUsedAt, null, 'using the key was noted');
      assert.ok(!JSON.stringify(listed.body).includes(created.body.key), 'the key itself is never listed');

      const stored = JSON.stringify(await server.runtime.database.db.query.apiKeys.findMany());
      assert.ok(!stored.includes(created.body.key), 'only a hash of the key is stored');

      assert.equal((await browser.delete(`/api/keys/${created.body.id}`)).status, 204);
      assert.equal((await script(created.body.key).get('/api/me')).status, 401);
      assert.equal((await browser.delete(`/api/keys/${created.body.id}`)).status, 404);
    });

    test('a key works for API calls that need a signed-in user, e.g. listing keys', async () => {
      const browser = await signUp('automation@example.com');
      const { key } = (await browser.post('/api/keys', { name: 'ci' })).body;
      const listed = await script(key).get('/api/keys');
      assert.equal(listed.status, 200);
      assert.equal(listed.body.keys.length, 1);
    });

    test("nobody can list or revoke someone else's keys", async () => {
      const owner = await signUp('owner@example.com');
      const other = await signUp('other@example.com');
      const { id, key } = (await owner.post('/api/keys', { name: 'mine' })).body;
      assert.deepEqual((await other.get('/api/keys')).body.keys, []);
      const revoke = await other.delete(`/api/keys/${id}`);
      assert.equal(revoke.status, 404);
      assert.equal(revoke.body.error.code, 'not_found');
      assert.equal((await script(key).get('/api/me')).status, 200, 'the key still works');
    });

    test("a deactivated user's key is refused", async () => {
      const browser = await signUp('deactivated@example.com');
      const { key } = (await browser.post('/api/keys', {})).body;
      const { id } = (await script(key).get('/api/me')).body;
      await server.runtime.store.users.update(id, { isActive: false });
      const refused = await script(key).get('/api/me');
      assert.equal(refused.status, 401);
      assert.equal(refused.body.error.code, 'unauthorized');
    });

    test('an unknown, malformed or non-bearer Authorization header makes nobody, even next to a valid cookie', async () => {
      const browser = await signUp('mixed@example.com');
      for (const authorization of ['Bearer chorus_unknown', 'Bearer', 'Basic dXNlcjpwYXNz']) {
        const response = await fetch(`${server.baseUrl}/api/me`, {
          headers: {
            authorization,
            cookie: [...browser.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
          },
        });
        assert.equal(response.status, 401, authorization);
      }
    });

    test('guests cannot create keys; anonymous callers cannot either', async () => {
      const guest = new TestClient(server.baseUrl);
      await guest.post('/api/auth/sign-in/anonymous', {});
      const forbidden = await guest.post('/api/keys', { name: 'guest key' });
      assert.equal(forbidden.status, 403);
      assert.equal(forbidden.body.error.code, 'forbidden');
      assert.equal((await new TestClient(server.baseUrl).post('/api/keys', {})).status, 401);
      assert.equal((await new TestClient(server.baseUrl).get('/api/keys')).status, 401);
    });
  });
}
