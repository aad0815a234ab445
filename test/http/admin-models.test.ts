// The admin API of the model registry over real HTTP: who may use it, versioned edits with their diffs, revert,
// duplicate, retirement (and what it means for chatting), import/export, repricing and usage. The models that
// answer are a fake OpenAI-compatible provider on 127.0.0.1 that reports token usage.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { messages } from '../../src/db/schema/index.ts';
import { seedModels } from '../../src/models/seed.ts';
import { registerDeclaredModels } from '../../src/providers/index.ts';
import { readChat } from '../support/chat-stream.ts';
import { testBackends } from '../support/database.ts';
import { type FakeProvider, startFakeProvider } from '../support/fake-provider.ts';
import { type JsonResponse, startTestServer, TestClient, type TestServer } from '../support/server.ts';

process.env.AI_SDK_LOG_WARNINGS = 'false';

const PASSWORD = 'a long enough password';
const OPENROUTER_ID = 'openrouter:google/gemini-2.5-pro';
const path = (id: string, rest = '') => `/api/admin/models/${encodeURIComponent(id)}${rest}`;

const sample = (providerModelId: string, overrides: Record<string, unknown> = {}) => ({
  id: `acme:${providerModelId}`,
  provider: 'acme',
  providerModelId,
  name: `Acme ${providerModelId}`,
  contextWindow: 32_000,
  pricing: { input: 1, output: 4, cacheRead: 0.5 },
  capabilities: ['tools'],
  ...overrides,
});

const ok = (response: JsonResponse, status = 200) =>
  assert.equal(response.status, status, JSON.stringify(response.body));

for (const kind of testBackends()) {
  describe(`the admin model API on ${kind}`, () => {
    let server: TestServer;
    let fake: FakeProvider;
    let admin: TestClient;
    let user: TestClient;
    let anonymous: TestClient;
    let adminId: string;
    let userId: string;
    let userKey: string;

    before(async () => {
      fake = await startFakeProvider({
        models: {
          alpha: { reply: 'Alpha here.', usage: { inputTokens: 10, outputTokens: 4 } },
          priced: { reply: 'Priced reply.', usage: { inputTokens: 1000, outputTokens: 500 } },
        },
      });
      server = await startTestServer(kind, {
        CHORUS_PROVIDER_FAKE_BASE_URL: fake.baseURL,
        CHORUS_PROVIDER_FAKE_MODELS: 'alpha,priced',
      });
      const db = server.runtime.database.db;
      await seedModels(db);
      await registerDeclaredModels(db, server.runtime.providers);
      await server.runtime.modelCache.refresh();
      const signUp = async (email: string) => {
        const client = new TestClient(server.baseUrl);
        const response = await client.post('/api/auth/sign-up/email', { email, password: PASSWORD, name: email });
        ok(response);
        return { client, id: response.body.user.id as string };
      };
      ({ client: admin, id: adminId } = await signUp(`admin-${kind}@example.test`));
      ({ client: user, id: userId } = await signUp(`user-${kind}@example.test`));
      assert.equal((await admin.get('/api/me')).body.role, 'admin', 'the first to sign up is the admin');
      assert.equal((await user.get('/api/me')).body.role, 'user');
      userKey = (await user.post('/api/keys', { name: 'chat' })).body.key;
      anonymous = new TestClient(server.baseUrl);
    });
    after(async () => {
      await server?.close();
      await fake?.close();
    });

    const patch = (client: TestClient, target: string, body: unknown) =>
      client.request('PATCH', target, JSON.stringify(body));

    /** A new conversation with one question to these models, as the plain user; waits for the replies. */
    async function chat(modelIds: string[], text = 'hello') {
      const conversationId = crypto.randomUUID();
      const response = await fetch(`${server.baseUrl}/api/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${userKey}` },
        body: JSON.stringify({
          id: conversationId,
          messages: [{ id: crypto.randomUUID(), role: 'user', parts: [{ type: 'text', text }] }],
          modelIds,
        }),
      });
      if (!response.headers.get('content-type')?.startsWith('text/event-stream')) {
        const error = (await response.json()) as { error: { code: string; message: string } };
        return { conversationId, status: response.status, error };
      }
      await readChat(response.body!);
      return { conversationId, status: response.status, error: undefined };
    }

    const storedReplies = (conversationId: string) =>
      server.runtime.database.db.select().from(messages).where(eq(messages.conversationId, conversationId));

    test('every admin route: 401 when anonymous, 403 for a plain user, and works for the admin', async () => {
      ok(await admin.post('/api/admin/models', sample('authz')), 201);
      const since = new Date(Date.now() - 60_000).toISOString();
      const routes: [string, string, unknown?][] = [
        ['GET', '/api/admin/models'],
        ['GET', '/api/admin/models/export'],
        ['POST', '/api/admin/models/import?dryRun=1', [sample('authz-import')]],
        ['POST', '/api/admin/models', sample('authz-created')],
        ['GET', path('acme:authz')],
        ['PATCH', path('acme:authz'), { updates: { name: 'Authz renamed' } }],
        ['POST', path('acme:authz', '/duplicate'), { newId: 'acme:authz-copy' }],
        ['GET', path('acme:authz', '/history')],
        ['POST', path('acme:authz', '/revert'), { toVersion: 1 }],
        ['POST', path('acme:authz', '/deprecate'), {}],
        ['POST', path('acme:authz', '/disable'), {}],
        ['POST', path('acme:authz', '/restore'), {}],
        ['DELETE', path('acme:authz-copy')],
        ['POST', '/api/admin/models/reprice', { since }],
        ['GET', `/api/admin/usage?from=${encodeURIComponent(since)}&groupBy=user`],
      ];
      const send = (client: TestClient, [method, target, body]: [string, string, unknown?]) =>
        client.request(method, target, body === undefined ? undefined : JSON.stringify(body));
      for (const route of routes) {
        const refusedAnonymous = await send(anonymous, route);
        assert.equal(refusedAnonymous.status, 401, `${route[0]} ${route[1]} anonymous`);
        assert.equal(refusedAnonymous.body.error.code, 'unauthorized');
        const refusedUser = await send(user, route);
        assert.equal(refusedUser.status, 403, `${route[0]} ${route[1]} as a plain user`);
        assert.equal(refusedUser.body.error.code, 'forbidden');
      }
      // Nothing the refused requests sent was acted on.
      assert.equal((await admin.get(path('acme:authz'))).body.version, 1);
      for (const route of routes) {
        const allowed = await send(admin, route);
        assert.ok(
          allowed.status >= 200 && allowed.status < 300,
          `${route[0]} ${route[1]}: ${allowed.status} ${JSON.stringify(allowed.body)}`,
        );
      }
      // An API key of a plain user is no way around it.
      const scripted = new TestClient(server.baseUrl, { bearer: userKey });
      assert.equal((await scripted.get('/api/admin/models')).status, 403);
    });

    test('the OpenAPI document describes every admin route', async () => {
      const document = (await anonymous.get('/api/openapi.json')).body;
      for (const [route, methods] of Object.entries({
        '/api/admin/models': ['get', 'post'],
        '/api/admin/models/export': ['get'],
        '/api/admin/models/import': ['post'],
        '/api/admin/models/reprice': ['post'],
        '/api/admin/models/{id}': ['get', 'patch', 'delete'],
        '/api/admin/models/{id}/duplicate': ['post'],
        '/api/admin/models/{id}/deprecate': ['post'],
        '/api/admin/models/{id}/disable': ['post'],
        '/api/admin/models/{id}/restore': ['post'],
        '/api/admin/models/{id}/history': ['get'],
        '/api/admin/models/{id}/revert': ['post'],
        '/api/admin/usage': ['get'],
      })) {
        for (const method of methods) assert.ok(document.paths[route]?.[method], `${method} ${route} is documented`);
      }
      assert.ok(document.components.schemas.ModelDefinition, 'the import shape is a named schema');
    });

    test('an id with `:` and `/` works URL-encoded in every path; "export" is never taken for an id', async () => {
      const model = await admin.get(path(OPENROUTER_ID));
      ok(model);
      assert.equal(model.body.id, OPENROUTER_ID);
      assert.equal(model.body.providerModelId, 'google/gemini-2.5-pro');
      ok(await admin.get(path(OPENROUTER_ID, '/history')));
      const edited = await patch(admin, path(OPENROUTER_ID), {
        updates: { description: 'Google, through OpenRouter' },
      });
      ok(edited);
      assert.equal(edited.body.model.description, 'Google, through OpenRouter');
      assert.equal(
        (await admin.get(`/api/admin/models/${OPENROUTER_ID}`)).status,
        404,
        'unencoded, the slash splits the path',
      );
      const exported = await admin.get('/api/admin/models/export');
      ok(exported);
      assert.ok(Array.isArray(exported.body));
      const missing = await admin.get(path('acme:nothing-here'));
      assert.equal(missing.status, 404);
      assert.match(missing.body.error.message, /acme:nothing-here/);
    });

    test('creating: 201 with version 1; the same id again is a 409; a bad model is a 400 naming each field', async () => {
      const created = await admin.post('/api/admin/models', { ...sample('created'), reason: 'new in the catalog' });
      ok(created, 201);
      assert.equal(created.body.version, 1);
      assert.equal(created.body.status, 'active');
      assert.deepEqual(created.body.pricing, { input: 1, output: 4, cacheRead: 0.5 });
      const history = await admin.get(path('acme:created', '/history'));
      assert.equal(history.body.items[0].reason, 'new in the catalog');
      assert.equal(history.body.items[0].changedBy, adminId);
      assert.equal((await admin.post('/api/admin/models', sample('created'))).status, 409);
      const bad = await admin.post('/api/admin/models', { ...sample('bad'), id: 'acme:other', contextWindow: -5 });
      assert.equal(bad.status, 400);
      const fields = bad.body.error.details.map((issue: { path: string }) => issue.path).sort();
      assert.deepEqual(fields, ['contextWindow', 'id']);
    });

    test('a sequence of PATCHes: each a version with its field-level diff; prices merge; stale versions are refused', async () => {
      ok(await admin.post('/api/admin/models', sample('edited')), 201);
      const target = path('acme:edited');

      const cheaper = await patch(admin, target, { updates: { pricing: { input: 0.8 } }, reason: 'price drop' });
      ok(cheaper);
      assert.equal(cheaper.body.model.version, 2);
      assert.deepEqual(
        cheaper.body.model.pricing,
        { input: 0.8, output: 4, cacheRead: 0.5 },
        'only the named price changed',
      );
      assert.deepEqual(cheaper.body.changes, [{ field: 'pricing.input', oldValue: 1, newValue: 0.8 }]);

      const renamed = await patch(admin, target, {
        updates: { name: 'Acme Edited', capabilities: ['tools', 'vision'], maxOutputTokens: 4096 },
        expectedVersion: 2,
      });
      ok(renamed);
      assert.equal(renamed.body.model.version, 3);
      assert.deepEqual(renamed.body.changes, [
        { field: 'name', oldValue: 'Acme edited', newValue: 'Acme Edited' },
        { field: 'maxOutputTokens', oldValue: null, newValue: 4096 },
        { field: 'capabilities', oldValue: ['tools'], newValue: ['vision', 'tools'] },
      ]);

      const same = await patch(admin, target, { updates: { name: 'Acme Edited' } });
      ok(same);
      assert.equal(same.body.model.version, 3, 'a change to the same value writes no version');
      assert.deepEqual(same.body.changes, []);

      const stale = await patch(admin, target, { updates: { name: 'Lost update' }, expectedVersion: 2 });
      assert.equal(stale.status, 409);
      assert.deepEqual(stale.body.error.details, { id: 'acme:edited', expectedVersion: 2, currentVersion: 3 });

      const identity = await patch(admin, target, { updates: { id: 'acme:renamed' } });
      assert.equal(identity.status, 400);
      assert.match(identity.body.error.message, /duplicate the model instead/);
      assert.equal((await patch(admin, target, { updates: { pricing: { output: -1 } } })).status, 400);

      const history = await admin.get(`${target}/history`);
      ok(history);
      assert.deepEqual(
        history.body.items.map((entry: { version: number; kind: string }) => [entry.version, entry.kind]),
        [
          [3, 'updated'],
          [2, 'updated'],
          [1, 'created'],
        ],
      );
      const [third, second] = history.body.items;
      assert.equal(second.reason, 'price drop');
      assert.equal(second.changedBy, adminId);
      assert.deepEqual(second.changes, cheaper.body.changes);
      assert.equal(third.snapshot.name, 'Acme Edited');
      assert.equal(third.snapshot.version, 3);
    });

    test('revert: back to an earlier version, written as a new version', async () => {
      ok(await admin.post('/api/admin/models', sample('reverted')), 201);
      const target = path('acme:reverted');
      ok(await patch(admin, target, { updates: { pricing: { input: 5, output: 9 } } }));
      ok(await patch(admin, target, { updates: { name: 'Wrong name' } }));

      const reverted = await admin.post(`${target}/revert`, { toVersion: 1, reason: 'the price was a typo' });
      ok(reverted);
      assert.equal(reverted.body.model.version, 4);
      assert.equal(reverted.body.model.name, 'Acme reverted');
      assert.deepEqual(reverted.body.model.pricing, { input: 1, output: 4, cacheRead: 0.5 });
      assert.deepEqual(
        reverted.body.changes.map((change: { field: string }) => change.field),
        ['name', 'pricing.input', 'pricing.output'],
      );
      const [newest] = (await admin.get(`${target}/history`)).body.items;
      assert.equal(newest.kind, 'reverted');
      assert.equal(newest.reason, 'the price was a typo');
      assert.equal((await admin.post(`${target}/revert`, { toVersion: 99 })).status, 404);
    });

    test('duplicate: a copy under a new id with its fields, overrides applied; an id in use is a 409', async () => {
      const copyId = 'openrouter:google/gemini-2.5-pro-tuned';
      const copy = await admin.post(path(OPENROUTER_ID, '/duplicate'), {
        newId: copyId,
        overrides: { name: 'Gemini 2.5 Pro (tuned)', pricing: { input: 0.5 } },
      });
      ok(copy, 201);
      const source = (await admin.get(path(OPENROUTER_ID))).body;
      assert.equal(copy.body.id, copyId);
      assert.equal(copy.body.provider, 'openrouter');
      assert.equal(copy.body.providerModelId, 'google/gemini-2.5-pro-tuned');
      assert.equal(copy.body.version, 1);
      assert.equal(copy.body.name, 'Gemini 2.5 Pro (tuned)');
      assert.deepEqual(copy.body.pricing, { ...source.pricing, input: 0.5 });
      assert.deepEqual(copy.body.capabilities, source.capabilities);
      assert.equal(copy.body.contextWindow, source.contextWindow);
      const [created] = (await admin.get(path(copyId, '/history'))).body.items;
      assert.equal(created.kind, 'created');
      assert.equal(created.reason, `duplicated from ${OPENROUTER_ID}`);
      assert.equal((await admin.post(path(OPENROUTER_ID, '/duplicate'), { newId: copyId })).status, 409);
      assert.equal((await admin.post(path('acme:nothing-here', '/duplicate'), { newId: 'acme:x' })).status, 404);
    });

    test('listing: every status, filters, search, and pages that walk the whole list', async () => {
      const all = async (query: string) => (await admin.get(`/api/admin/models?${query}`)).body.items as any[];
      const deprecated = await all('status=deprecated&limit=100');
      assert.ok(deprecated.length > 0 && deprecated.every((model) => model.status === 'deprecated'));
      const several = await all('status=deprecated&status=disabled&limit=100');
      assert.ok(
        several.length >= deprecated.length &&
          several.every((model) => ['deprecated', 'disabled'].includes(model.status)),
      );
      const openrouter = await all('provider=openrouter&limit=100');
      assert.ok(openrouter.some((model) => model.id === OPENROUTER_ID));
      assert.ok(openrouter.every((model) => model.provider === 'openrouter'));
      const seeing = await all('capability=vision&capability=pdf&limit=100');
      assert.ok(seeing.length > 0);
      assert.ok(seeing.every((model) => model.capabilities.includes('vision') && model.capabilities.includes('pdf')));
      const gemini = await all('search=GEMINI&limit=100');
      assert.ok(
        gemini.length > 0 && gemini.every((model) => /gemini/i.test(`${model.id} ${model.name} ${model.displayName}`)),
      );

      const walked: string[] = [];
      let cursor: string | null = null;
      do {
        const query: string = `provider=openrouter&limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const page = await admin.get(`/api/admin/models?${query}`);
        ok(page);
        assert.ok(page.body.items.length <= 3);
        walked.push(...page.body.items.map((model: { id: string }) => model.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      assert.deepEqual(
        walked,
        openrouter.map((model) => model.id),
      );

      assert.equal((await admin.get('/api/admin/models?status=retired')).status, 400);
      assert.equal((await admin.get('/api/admin/models?cursor=garbage')).status, 400);
    });

    test('a deprecated model cannot be picked for a new message, while old messages keep showing its name', async () => {
      const before = await chat(['fake:alpha'], 'before the deprecation');
      assert.equal(before.status, 200);
      const name = (await admin.get(path('fake:alpha'))).body.name;

      const deprecated = await admin.post(path('fake:alpha', '/deprecate'), { reason: 'superseded' });
      ok(deprecated);
      assert.equal(deprecated.body.model.status, 'deprecated');
      assert.deepEqual(deprecated.body.changes, [{ field: 'status', oldValue: 'active', newValue: 'deprecated' }]);
      const pickable = (await user.get('/api/models')).body.models.map((model: { id: string }) => model.id);
      assert.ok(!pickable.includes('fake:alpha'), 'no longer offered');

      const refused = await chat(['fake:alpha'], 'after the deprecation');
      assert.ok(refused.status >= 400 && refused.status < 500, String(refused.status));
      assert.match(refused.error!.error.message, /fake:alpha/);
      assert.match(refused.error!.error.message, /deprecated/);

      const page = await user.get(`/api/conversations/${before.conversationId}/messages`);
      ok(page);
      const reply = page.body.items.find((message: { role: string }) => message.role === 'assistant');
      assert.equal(reply.modelId, 'fake:alpha');
      assert.equal(reply.model.name, name);

      const deleted = await admin.delete(path('fake:alpha'));
      assert.equal(deleted.status, 409);
      assert.match(deleted.body.error.message, /deprecate it instead/);

      const restored = await admin.post(path('fake:alpha', '/restore'), {});
      ok(restored);
      assert.equal(restored.body.model.status, 'active');
      assert.equal((await chat(['fake:alpha'], 'after the restore')).status, 200);
    });

    test('disable hides a model from everyone; delete removes an unused one (204) and keeps its history', async () => {
      ok(await admin.post('/api/admin/models', sample('doomed')), 201);
      const disabled = await admin.post(path('acme:doomed', '/disable'));
      ok(disabled);
      assert.equal(disabled.body.model.status, 'disabled');
      const again = await admin.post(path('acme:doomed', '/disable'), { reason: 'still broken' });
      assert.deepEqual(again.body.changes, [], 'already disabled: nothing to change');
      assert.equal(again.body.model.version, 2);

      const deleted = await admin.request(
        'DELETE',
        `${path('acme:doomed')}?reason=${encodeURIComponent('never used')}`,
      );
      assert.equal(deleted.status, 204);
      assert.equal((await admin.get(path('acme:doomed'))).status, 404);
      const history = (await admin.get(path('acme:doomed', '/history'))).body.items;
      assert.deepEqual(
        history.map((entry: { kind: string }) => entry.kind),
        ['deleted', 'disabled', 'created'],
      );
      assert.equal(history[0].reason, 'never used');
      assert.equal((await admin.delete(path('acme:doomed'))).status, 404);
    });

    test('import is all or nothing: one bad entry is a 400 listing every problem by index and field', async () => {
      const entries = [
        sample('import-one'),
        sample('import-two'),
        { ...sample('import-bad'), name: undefined, pricing: { input: -1, output: 2 } },
        { ...sample('import-worse'), id: 'no colon here' },
        sample('import-one'),
      ];
      const refused = await admin.post('/api/admin/models/import', entries);
      assert.equal(refused.status, 400);
      assert.equal(refused.body.error.code, 'invalid_input');
      assert.match(refused.body.error.message, /nothing was imported/);
      const problems = refused.body.error.details.map(
        ({ index, field }: { index: number; field: string }) => `${index}:${field}`,
      );
      assert.deepEqual(problems.sort(), ['2:name', '2:pricing.input', '3:id', '4:id'].sort());
      for (const id of ['acme:import-one', 'acme:import-two']) {
        assert.equal((await admin.get(path(id))).status, 404, `${id} was not written`);
      }
      const notAnArray = await admin.post('/api/admin/models/import', { models: [] });
      assert.equal(notAnArray.status, 400);
    });

    test('import with dryRun says what would be created, changed and unchanged, and writes nothing', async () => {
      ok(await admin.post('/api/admin/models', sample('planned')), 201);
      ok(await admin.post('/api/admin/models', sample('kept')), 201);
      const entries = [
        sample('planned', { pricing: { input: 2, output: 4, cacheRead: 0.5 } }),
        sample('kept'),
        sample('fresh'),
      ];
      const planned = await admin.post('/api/admin/models/import?dryRun=1', entries);
      ok(planned);
      assert.deepEqual(planned.body, {
        dryRun: true,
        created: ['acme:fresh'],
        updated: [{ id: 'acme:planned', changes: [{ field: 'pricing.input', oldValue: 1, newValue: 2 }] }],
        unchanged: ['acme:kept'],
      });
      assert.equal((await admin.get(path('acme:fresh'))).status, 404);
      assert.equal((await admin.get(path('acme:planned'))).body.version, 1);

      const applied = await admin.post('/api/admin/models/import?reason=quarterly%20prices', entries);
      ok(applied);
      assert.equal(applied.body.dryRun, false);
      assert.deepEqual(applied.body.created, ['acme:fresh']);
      const planned2 = (await admin.get(path('acme:planned'))).body;
      assert.equal(planned2.version, 2);
      assert.equal(planned2.pricing.input, 2);
      const [imported] = (await admin.get(path('acme:planned', '/history'))).body.items;
      assert.equal(imported.kind, 'imported');
      assert.equal(imported.reason, 'quarterly prices');
    });

    test('re-importing an export changes nothing', async () => {
      const exported = await admin.get('/api/admin/models/export');
      ok(exported);
      assert.ok(exported.body.length > 70);
      assert.ok(
        !('version' in exported.body[0]) && !('createdAt' in exported.body[0]),
        'the import shape, no bookkeeping',
      );
      const reimported = await admin.post('/api/admin/models/import', exported.body);
      ok(reimported);
      assert.deepEqual(reimported.body.created, []);
      assert.deepEqual(reimported.body.updated, []);
      assert.equal(reimported.body.unchanged.length, exported.body.length);
      assert.deepEqual((await admin.get('/api/admin/models/export')).body, exported.body);
    });

    test('an import of 10,000 models fits in one request', async () => {
      const entries = Array.from({ length: 10_000 }, (_, index) =>
        sample(`bulk-${String(index).padStart(5, '0')}`, { description: 'x'.repeat(200) }),
      );
      const planned = await admin.post('/api/admin/models/import?dryRun=1', entries);
      ok(planned);
      assert.equal(planned.body.created.length, 10_000);
      assert.equal((await admin.get('/api/admin/models?search=acme:bulk-')).body.items.length, 0);
    });

    test('a price change applies to the next message; reprice recomputes earlier ones and reports the difference', async () => {
      const started = new Date(Date.now() - 1_000);
      const target = path('fake:priced');
      ok(await patch(admin, target, { updates: { pricing: { input: 2, output: 8, cacheRead: null } } }));
      const first = await chat(['fake:priced'], 'first question');
      assert.equal(first.status, 200);
      const [firstReply] = (await storedReplies(first.conversationId)).filter(
        (message) => message.role === 'assistant',
      );
      assert.equal(firstReply!.costUsd, (1000 * 2 + 500 * 8) / 1e6);

      const raised = await patch(admin, target, { updates: { pricing: { input: 4 } }, reason: 'price rise' });
      ok(raised);
      const second = await chat(['fake:priced'], 'second question');
      const [secondReply] = (await storedReplies(second.conversationId)).filter(
        (message) => message.role === 'assistant',
      );
      assert.equal(secondReply!.costUsd, (1000 * 4 + 500 * 8) / 1e6, 'the new price, at once');
      assert.equal(secondReply!.modelVersion, raised.body.model.version);
      assert.equal(firstReply!.modelVersion, raised.body.model.version - 1);

      const usageBefore = await admin.get(`/api/admin/usage?from=${started.toISOString()}&groupBy=model`);
      ok(usageBefore);
      const pricedBefore = usageBefore.body.rows.find((row: { key: string }) => row.key === 'fake:priced');
      assert.equal(pricedBefore.costUsd, 0.014);

      const report = await admin.post('/api/admin/models/reprice', { since: started.toISOString() });
      ok(report);
      const priced = report.body.byModel.find((row: { modelId: string }) => row.modelId === 'fake:priced');
      assert.deepEqual(priced, {
        modelId: 'fake:priced',
        modelVersion: raised.body.model.version,
        messages: 2,
        previousTotalUsd: 0.014,
        newTotalUsd: 0.016,
        differenceUsd: 0.002,
      });
      assert.ok(report.body.changedMessages >= 1);
      const [repriced] = (await storedReplies(first.conversationId)).filter((message) => message.role === 'assistant');
      assert.equal(repriced!.costUsd, 0.008);
      assert.equal(repriced!.modelVersion, raised.body.model.version);
      const page = await user.get(`/api/conversations/${first.conversationId}/messages`);
      assert.equal(page.body.items.find((message: { role: string }) => message.role === 'assistant').costUsd, 0.008);

      const again = await admin.post('/api/admin/models/reprice', { since: started.toISOString() });
      assert.equal(again.body.differenceUsd, 0, 'repricing twice changes nothing more');
      assert.equal(again.body.changedMessages, 0);

      const backwards = await admin.post('/api/admin/models/reprice', { since: '2026-02-01', until: '2026-01-01' });
      assert.equal(backwards.status, 400);
    });

    test('usage by model, by user and by day', async () => {
      const from = new Date().toISOString();
      for (const text of ['one', 'two']) assert.equal((await chat(['fake:priced', 'fake:alpha'], text)).status, 200);
      const usage = async (groupBy: string) => {
        const response = await admin.get(`/api/admin/usage?from=${encodeURIComponent(from)}&groupBy=${groupBy}`);
        ok(response);
        assert.equal(response.body.groupBy, groupBy);
        return response.body.rows as {
          key: string;
          messages: number;
          inputTokens: number;
          outputTokens: number;
          costUsd: number;
        }[];
      };

      const byModel = await usage('model');
      assert.deepEqual(
        byModel.map((row) => [row.key, row.messages, row.inputTokens, row.outputTokens]),
        [
          ['fake:alpha', 2, 20, 8],
          ['fake:priced', 2, 2000, 1000],
        ],
      );
      assert.equal(byModel[1]!.costUsd, 0.016);

      const byUser = await usage('user');
      assert.deepEqual(
        byUser.map((row) => [row.key, row.messages]),
        [[userId, 4]],
      );
      const byDay = await usage('day');
      assert.equal(
        byDay.reduce((sum, row) => sum + row.messages, 0),
        4,
      );
      assert.match(byDay[0]!.key, /^\d{4}-\d{2}-\d{2}$/);

      assert.equal((await admin.get(`/api/admin/usage?from=${encodeURIComponent(from)}&groupBy=week`)).status, 400);
      assert.equal((await admin.get('/api/admin/usage?from=yesterday')).status, 400);
      assert.equal((await admin.get('/api/admin/usage')).status, 400, 'from is required');
    });
  });
}
