// A person's own settings over HTTP: their name, picture and preferences (PATCH /api/me), and API keys with an
// expiry.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { apiKeys } from '../../src/db/schema/index.ts';
import { testBackends } from '../support/database.ts';
import { type Person, signInAsGuest, signUp } from '../support/people.ts';
import { solidPng } from '../support/png.ts';
import { startTestServer, TestClient, type TestServer } from '../support/server.ts';

for (const kind of testBackends()) {
  describe(`a person's settings on ${kind}`, () => {
    let server: TestServer;
    let pia: Person;

    before(async () => {
      server = await startTestServer(kind);
      pia = await signUp(server, 'Pia Preferring');
    });
    after(() => server?.close());

    const patchMe = (client: TestClient, body: unknown) => client.request('PATCH', '/api/me', JSON.stringify(body));

    test('a person renames themselves and keeps a theme and default models; each change keeps the others', async () => {
      const renamed = await patchMe(pia.client, { displayName: 'Pia P.', preferences: { theme: 'dark' } });
      assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
      assert.equal(renamed.body.displayName, 'Pia P.');
      assert.deepEqual(renamed.body.preferences, { theme: 'dark' });
      await patchMe(pia.client, { preferences: { defaultModelIds: ['local:echo'] } });
      const me = await pia.client.get('/api/me');
      assert.deepEqual(me.body.preferences, { theme: 'dark', defaultModelIds: ['local:echo'] });
      assert.equal(me.body.displayName, 'Pia P.');
      assert.equal((await patchMe(pia.client, { preferences: { theme: 'neon' } })).status, 400);
      assert.equal((await patchMe(pia.client, { displayName: '' })).status, 400);
      assert.equal((await patchMe(pia.client, { role: 'admin' })).status, 400);
      const guest = await signInAsGuest(server);
      assert.equal((await patchMe(guest.client, { preferences: { theme: 'light' } })).status, 403);
    });

    test('a person sets a small inline picture or an https: one, and removes it; anything else is refused', async () => {
      const picture = `data:image/png;base64,${solidPng(8, 8, [10, 120, 200]).toString('base64')}`;
      const set = await patchMe(pia.client, { avatarUrl: picture });
      assert.equal(set.status, 200, JSON.stringify(set.body));
      assert.equal((await pia.client.get('/api/me')).body.avatarUrl, picture);
      assert.equal((await patchMe(pia.client, { avatarUrl: 'https://pictures.example.test/pia.png' })).status, 200);
      for (const refused of [
        'http://pictures.example.test/pia.png',
        'data:image/svg+xml;base64,PHN2Zy8+',
        `data:image/png;base64,${'A'.repeat(20_000)}`,
      ]) {
        assert.equal((await patchMe(pia.client, { avatarUrl: refused })).status, 400, refused.slice(0, 40));
      }
      const removed = await patchMe(pia.client, { avatarUrl: null });
      assert.equal(removed.body.avatarUrl, null);
      assert.equal((await pia.client.get('/api/me')).body.displayName, 'Pia P.');
    });

    test('an API key with an expiry works until then, shows it and its last use, and stops once expired', async () => {
      const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
      const created = await pia.client.post('/api/keys', { name: 'for an hour', expiresAt });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.equal(Date.parse(created.body.expiresAt), Date.parse(expiresAt));
      const script = new TestClient(server.baseUrl, { bearer: created.body.key });
      assert.equal((await script.get('/api/me')).status, 200);
      const [listed] = (await pia.client.get('/api/keys')).body.keys;
      assert.equal(listed.name, 'for an hour');
      assert.equal(Date.parse(listed.expiresAt), Date.parse(expiresAt));
      assert.ok(listed.lastUsedAt, 'its last use is shown');

      const past = new Date(Date.now() - 1_000).toISOString();
      assert.equal((await pia.client.post('/api/keys', { expiresAt: past })).status, 400);

      // A key whose time has come (set in the database: tests do not wait) no longer works.
      const ending = await pia.client.post('/api/keys', { name: 'ending', expiresAt });
      await server.runtime.database.db
        .update(apiKeys)
        .set({ expiresAt: new Date(Date.now() - 1_000) })
        .where(eq(apiKeys.id, ending.body.id));
      assert.equal((await new TestClient(server.baseUrl, { bearer: ending.body.key }).get('/api/me')).status, 401);
    });
  });
}
