// The admin's MCP servers over HTTP (/api/admin/tools): who may use the routes, what they refuse (naming the
// field), that secrets are never shown back, the connection test, and the list every signed-in person picks from.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { testBackends } from '../support/database.ts';
import { type HttpMcpServer, MCP_TOKEN, startHttpMcpServer } from '../support/mcp-servers.ts';
import { type Person, signUp } from '../support/people.ts';
import { startTestServer, TestClient, type TestServer } from '../support/server.ts';

for (const kind of testBackends()) {
  describe(`admin MCP servers on ${kind}`, () => {
    let server: TestServer;
    let mcp: HttpMcpServer;
    let admin: Person;
    let user: Person;

    before(async () => {
      server = await startTestServer(kind);
      mcp = await startHttpMcpServer();
      admin = await signUp(server, 'Ada Admin');
      user = await signUp(server, 'Uma User');
      assert.equal(admin.actor.role, 'admin');
    });
    after(async () => {
      await server?.close();
      await mcp?.close();
    });

    const create = (body: Record<string, unknown>, client = admin.client) => client.post('/api/admin/tools', body);
    const patch = (id: string, body: Record<string, unknown>) =>
      admin.client.request('PATCH', `/api/admin/tools/${id}`, JSON.stringify(body));
    const fieldsOf = (body: { error: { details: { path: string }[] } }) =>
      body.error.details.map((detail) => detail.path);

    test('anonymous callers get 401, people who are not admins 403, on every route', async () => {
      const anonymous = new TestClient(server.baseUrl);
      const id = crypto.randomUUID();
      const body = JSON.stringify({ name: 'x', transport: 'http', url: mcp.url });
      for (const [method, path] of [
        ['GET', '/api/admin/tools'],
        ['POST', '/api/admin/tools'],
        ['PATCH', `/api/admin/tools/${id}`],
        ['DELETE', `/api/admin/tools/${id}`],
        ['POST', `/api/admin/tools/${id}/test`],
        ['GET', '/api/admin/tools/calls'],
      ] as const) {
        const sent = method === 'POST' || method === 'PATCH' ? body : undefined;
        assert.equal((await anonymous.request(method, path, sent)).status, 401, `${method} ${path}`);
        assert.equal((await user.client.request(method, path, sent)).status, 403, `${method} ${path}`);
      }
    });

    test('an admin registers, lists, changes, tests and deletes a server; its secrets are never shown', async () => {
      const created = await create({
        name: 'calc',
        description: 'Arithmetic',
        transport: 'http',
        url: mcp.url,
        headers: { Authorization: `Bearer ${MCP_TOKEN}` },
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.deepEqual(created.body.headerNames, ['Authorization']);
      const listed = await admin.client.get('/api/admin/tools');
      assert.equal(listed.status, 200);
      assert.deepEqual(
        listed.body.servers.map((found: { name: string }) => found.name),
        ['calc'],
      );
      assert.ok(!JSON.stringify(listed.body).includes(MCP_TOKEN), 'the token is not shown');

      const tested = await admin.client.post(`/api/admin/tools/${created.body.id}/test`);
      assert.equal(tested.status, 200, JSON.stringify(tested.body));
      assert.deepEqual(tested.body.tools.map((tool: { name: string }) => tool.name).sort(), [
        'add',
        'fail',
        'repeat',
        'wait',
      ]);

      // A change that leaves the headers out keeps them; one that replaces them with none is refused by the server.
      const renamed = await patch(created.body.id, { name: 'arithmetic' });
      assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
      assert.deepEqual([renamed.body.name, renamed.body.headerNames], ['arithmetic', ['Authorization']]);
      assert.equal((await admin.client.post(`/api/admin/tools/${created.body.id}/test`)).status, 200);
      assert.equal((await patch(created.body.id, { headers: {} })).status, 200);
      const refused = await admin.client.post(`/api/admin/tools/${created.body.id}/test`);
      assert.equal(refused.status, 502, JSON.stringify(refused.body));
      assert.match(refused.body.error.message, /arithmetic/);

      // Everyone signed in sees the servers to switch on, without how to reach them.
      const offered = await user.client.get('/api/tools/servers');
      assert.equal(offered.status, 200);
      assert.deepEqual(offered.body.servers, [{ id: created.body.id, name: 'arithmetic', description: 'Arithmetic' }]);

      assert.equal((await admin.client.delete(`/api/admin/tools/${created.body.id}`)).status, 204);
      assert.equal((await admin.client.delete(`/api/admin/tools/${created.body.id}`)).status, 404);
      assert.deepEqual((await admin.client.get('/api/admin/tools')).body.servers, []);
    });

    test('bad input is a 400 naming the field; a taken name is a 409', async () => {
      const noUrl = await create({ name: 'web', transport: 'http' });
      assert.equal(noUrl.status, 400);
      assert.deepEqual(fieldsOf(noUrl.body), ['url']);
      const badName = await create({ name: 'Web Search', transport: 'http', url: mcp.url });
      assert.equal(badName.status, 400);
      assert.deepEqual(fieldsOf(badName.body), ['name']);
      const badUrl = await create({ name: 'web', transport: 'http', url: 'ftp://example.test' });
      assert.deepEqual([badUrl.status, fieldsOf(badUrl.body)], [400, ['url']]);
      const badEnv = await create({ name: 'cli', transport: 'stdio', command: 'node', env: { 'NOT OK': 'x' } });
      assert.equal(badEnv.status, 400);
      assert.match(fieldsOf(badEnv.body)[0]!, /^env/);

      const made = await create({ name: 'cli', transport: 'stdio', command: 'node', args: ['server.mjs'] });
      assert.equal(made.status, 201, JSON.stringify(made.body));
      const taken = await create({ name: 'cli', transport: 'http', url: mcp.url });
      assert.equal(taken.status, 409);
      // Switching to HTTP without a URL names the missing field.
      const noUrlOnChange = await patch(made.body.id, { transport: 'http' });
      assert.equal(noUrlOnChange.status, 400);
      assert.deepEqual(fieldsOf(noUrlOnChange.body), ['url']);
      const switched = await patch(made.body.id, { transport: 'http', url: mcp.url });
      assert.equal(switched.status, 200, JSON.stringify(switched.body));
      assert.deepEqual([switched.body.command, switched.body.args], [null, []]);
      assert.equal((await admin.client.request('PATCH', `/api/admin/tools/${made.body.id}`, '{}')).status, 400);
    });

    test('a conversation accepts only server ids in its mcpServerIds setting', async () => {
      const bad = await admin.client.request(
        'PATCH',
        `/api/conversations/${crypto.randomUUID()}`,
        JSON.stringify({ settings: { mcpServerIds: ['not-an-id'] } }),
      );
      assert.equal(bad.status, 400);
      assert.match(bad.body.error.message, /mcpServerIds/);
    });
  });
}
