// Who may use which model: groups of people, and models open only to some groups. A model closed to someone is
// left out of every list they get and refused (403, naming it) wherever they could pick it: a chat turn, a
// conversation's models, the OpenAI-compatible API.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createApiKey } from '../../src/auth/api-keys.ts';
import { seedModels } from '../../src/models/seed.ts';
import { readChat } from '../support/chat-stream.ts';
import { testBackends } from '../support/database.ts';
import { type Person, signUp } from '../support/people.ts';
import { startTestServer, TestClient, type TestServer } from '../support/server.ts';

const ECHO = 'local:echo';

for (const kind of testBackends()) {
  describe(`model access on ${kind}`, () => {
    let server: TestServer;
    let admin: Person;
    let rita: Person;
    let otto: Person;
    let ottoScript: TestClient;

    before(async () => {
      server = await startTestServer(kind);
      await seedModels(server.runtime.database.db);
      await server.runtime.modelCache.refresh();
      admin = await signUp(server, 'Ada Admin');
      rita = await signUp(server, 'Rita Researcher');
      otto = await signUp(server, 'Otto Outsider');
      const { key } = await createApiKey(server.runtime.store, { actor: otto.actor, name: 'script' });
      ottoScript = new TestClient(server.baseUrl, { bearer: key });
    });
    after(() => server?.close());

    const put = (path: string, body: unknown) => admin.client.request('PUT', path, JSON.stringify(body));
    const echoAccess = (body: unknown) => put(`/api/admin/model-access/${encodeURIComponent(ECHO)}`, body);
    const listed = async (client: TestClient) =>
      ((await client.get('/api/models')).body.models as { id: string }[]).map((model) => model.id);

    async function chat(client: TestClient) {
      const response = await client.open(
        'POST',
        '/api/chat',
        JSON.stringify({
          id: crypto.randomUUID(),
          messages: [{ id: crypto.randomUUID(), role: 'user', parts: [{ type: 'text', text: 'hi' }] }],
          modelIds: [ECHO],
        }),
      );
      if (response.headers.get('content-type')?.startsWith('text/event-stream')) {
        await readChat(response.body!);
        return { status: response.status, message: '' };
      }
      const body = (await response.json()) as { error: { message: string } };
      return { status: response.status, message: body.error.message };
    }

    test('a model open to one group only: its members pick it, everyone else is refused by name everywhere', async () => {
      const created = await admin.client.post('/api/admin/groups', { name: 'Researchers' });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const groupId = created.body.id;
      assert.equal((await put(`/api/admin/groups/${groupId}/members`, { userIds: [rita.id] })).status, 204);
      // A conversation of Otto's made while the model was open to all.
      const before = await chat(otto.client);
      assert.equal(before.status, 200);
      assert.equal((await echoAccess({ groupIds: [groupId] })).status, 204);

      assert.ok((await listed(rita.client)).includes(ECHO));
      assert.ok(!(await listed(otto.client)).includes(ECHO));
      assert.ok(!(await listed(new TestClient(server.baseUrl))).includes(ECHO), 'nor to anonymous visitors');
      assert.equal((await chat(rita.client)).status, 200);
      const refused = await chat(otto.client);
      assert.equal(refused.status, 403);
      assert.match(refused.message, /you may not use local:echo/);

      const withoutModels = (await otto.client.get('/api/conversations')).body.items[0].id as string;
      await otto.client.request('DELETE', `/api/conversations/${withoutModels}/models/${encodeURIComponent(ECHO)}`);
      const added = await otto.client.post(`/api/conversations/${withoutModels}/models`, { modelId: ECHO });
      assert.equal(added.status, 403, JSON.stringify(added.body));

      const completion = await ottoScript.post('/v1/chat/completions', {
        model: ECHO,
        messages: [{ role: 'user', content: 'hi' }],
      });
      assert.equal(completion.status, 403, JSON.stringify(completion.body));
      assert.match(JSON.stringify(completion.body), /local:echo/);
      const v1Models = (await ottoScript.get('/v1/models')).body.data as { id: string }[];
      assert.ok(!v1Models.some((model) => model.id === ECHO));

      const groups = (await admin.client.get('/api/admin/groups')).body.groups;
      assert.deepEqual(
        groups.map((group: { name: string; members: { id: string }[] }) => [
          group.name,
          group.members.map((m) => m.id),
        ]),
        [['Researchers', [rita.id]]],
      );
      assert.deepEqual((await admin.client.get('/api/admin/model-access')).body.restricted, [
        { modelId: ECHO, groupIds: [groupId] },
      ]);

      // Deleting the group leaves the model open to nobody; opening it to everyone lets Otto back.
      assert.equal((await admin.client.request('DELETE', `/api/admin/groups/${groupId}`)).status, 204);
      assert.equal((await chat(rita.client)).status, 403);
      assert.equal((await echoAccess({ everyone: true })).status, 204);
      assert.equal((await chat(otto.client)).status, 200);
      assert.deepEqual((await admin.client.get('/api/admin/model-access')).body.restricted, []);
    });

    test('bad requests: an unknown group or model is 404, a duplicate group name 409, nonsense 400', async () => {
      assert.equal((await echoAccess({ groupIds: [crypto.randomUUID()] })).status, 404);
      assert.equal((await put('/api/admin/model-access/acme%3Anothing', { everyone: true })).status, 404);
      assert.equal((await echoAccess({ everyone: false })).status, 400);
      assert.equal((await admin.client.post('/api/admin/groups', { name: 'Twins' })).status, 201);
      assert.equal((await admin.client.post('/api/admin/groups', { name: 'Twins' })).status, 409);
      const twins = (await admin.client.get('/api/admin/groups')).body.groups.find(
        (group: { name: string }) => group.name === 'Twins',
      );
      const members = await put(`/api/admin/groups/${twins.id}/members`, { userIds: [crypto.randomUUID()] });
      assert.equal(members.status, 404);
      assert.equal((await admin.client.post('/api/admin/groups', { name: '' })).status, 400);
      assert.equal((await rita.client.get('/api/admin/groups')).status, 403);
    });
  });
}
