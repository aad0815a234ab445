// System configuration over HTTP: admins change the keys the program acts on, validated, audited, and applied
// without a restart — here `models.source`, flipping model reads between the registry and the shipped file.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { seedModels } from '../../src/models/seed.ts';
import { testBackends } from '../support/database.ts';
import { startTestServer, TestClient, type TestServer } from '../support/server.ts';

for (const kind of testBackends()) {
  describe(`admin config on ${kind}`, () => {
    let server: TestServer;
    let admin: TestClient;
    let user: TestClient;

    before(async () => {
      server = await startTestServer(kind);
      await seedModels(server.runtime.database.db);
      await server.runtime.modelCache.refresh();
      admin = new TestClient(server.baseUrl);
      user = new TestClient(server.baseUrl);
      for (const [client, email] of [
        [admin, 'admin'],
        [user, 'user'],
      ] as const) {
        const signUp = await client.post('/api/auth/sign-up/email', {
          email: `${email}-${kind}@example.test`,
          password: 'a long enough password',
          name: email,
        });
        assert.equal(signUp.status, 200, JSON.stringify(signUp.body));
      }
    });
    after(() => server?.close());

    const offered = async (client: TestClient) => {
      const response = await client.get('/api/models');
      return (response.body.models as { id: string }[]).map((model) => model.id);
    };
    const setSource = (value: unknown) =>
      admin.request('PUT', '/api/admin/config/models.source', JSON.stringify({ value }));
    const until = async (condition: () => Promise<boolean>) => {
      for (let tries = 0; !(await condition()); tries++) {
        assert.ok(tries < 200, 'took more than 2 s');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    };

    test('flipping models.source to the file and back needs no restart, and each flip is audited', async () => {
      const disabled = await admin.request(
        'PATCH',
        `/api/admin/models/${encodeURIComponent('local:echo')}`,
        JSON.stringify({ updates: { status: 'disabled' } }),
      );
      assert.equal(disabled.status, 200, JSON.stringify(disabled.body));
      assert.ok(!(await offered(user)).includes('local:echo'), 'the registry says disabled');

      const toFile = await setSource({ mode: 'static' });
      assert.equal(toFile.status, 200, JSON.stringify(toFile.body));
      await until(async () => (await offered(user)).includes('local:echo'));

      assert.equal((await setSource({ mode: 'database' })).status, 200);
      await until(async () => !(await offered(user)).includes('local:echo'));

      const history = await admin.get('/api/admin/config/models.source/history');
      assert.deepEqual(
        history.body.items.map((change: { newValue: unknown }) => change.newValue),
        [{ mode: 'database' }, { mode: 'static' }],
      );
      const listed = await admin.get('/api/admin/config');
      assert.deepEqual(listed.body.items.find((item: { key: string }) => item.key === 'models.source').value, {
        mode: 'database',
      });
    });

    test('a value the program could not use is refused naming the problem; only admins change config', async () => {
      const badPercentage = await setSource({ mode: 'rollout', percentage: 140 });
      assert.equal(badPercentage.status, 400);
      assert.match(badPercentage.body.error.message, /percentage/);
      const badMode = await setSource({ mode: 'sometimes' });
      assert.equal(badMode.status, 400);
      const badLimits = await admin.request(
        'PUT',
        '/api/admin/config/limits.messagesPerDay',
        JSON.stringify({ value: { guest: -1 } }),
      );
      assert.equal(badLimits.status, 400);
      assert.equal(
        (await user.request('PUT', '/api/admin/config/models.source', JSON.stringify({ value: { mode: 'static' } })))
          .status,
        403,
      );
      assert.equal((await user.get('/api/admin/config')).status, 403);
      assert.equal((await new TestClient(server.baseUrl).get('/api/admin/config')).status, 401);
    });

    test('every key the program reads is described, with its default and the shape of its value', async () => {
      const known = await admin.get('/api/admin/config/keys');
      assert.equal(known.status, 200);
      const byKey = new Map(
        (known.body.items as { key: string; description: string; defaultValue: unknown; valueSchema: any }[]).map(
          (item) => [item.key, item],
        ),
      );
      assert.deepEqual([...byKey.keys()].sort(), [
        'discord.access',
        'discord.channelModels',
        'limits.messagesPerDay',
        'models.source',
      ]);
      for (const item of byKey.values()) assert.ok(item.description.length > 20, item.key);
      assert.deepEqual(byKey.get('models.source')!.defaultValue, { mode: 'database' });
      assert.equal(byKey.get('limits.messagesPerDay')!.valueSchema.type, 'object');
      assert.equal((await user.get('/api/admin/config/keys')).status, 403);
    });

    test("a key's history says who changed it, when, from what to what", async () => {
      const key = '/api/admin/config/limits.messagesPerDay';
      assert.equal((await admin.request('PUT', key, JSON.stringify({ value: { guest: 5 } }))).status, 200);
      assert.equal((await admin.request('PUT', key, JSON.stringify({ value: { guest: 7 } }))).status, 200);
      const [latest, first] = (await admin.get(`${key}/history`)).body.items;
      assert.deepEqual({ old: latest.oldValue, new: latest.newValue }, { old: { guest: 5 }, new: { guest: 7 } });
      // Usernames come from the email: the admin signed up as admin-<kind>@example.test.
      assert.match(latest.changedByName, /^admin/);
      assert.deepEqual({ old: first.oldValue, new: first.newValue }, { old: null, new: { guest: 5 } });
      assert.ok(Date.parse(latest.changedAt) >= Date.parse(first.changedAt));
    });
  });
}
