// The models of a conversation over real HTTP: adding (only models a person may pick now), changing their
// settings, pausing, reordering and removing them, with model ids that hold `/` and so travel URL-encoded.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { models } from '../../src/db/schema/index.ts';
import { seedModels } from '../../src/models/seed.ts';
import { actorOf } from '../../src/store/index.ts';
import { testBackends } from '../support/database.ts';
import { startTestServer, TestClient, type TestServer } from '../support/server.ts';

const PASSWORD = 'a long enough password';

/** An OpenRouter-style id: a provider prefix, then a vendor path with a slash. */
const SLASHED = 'openrouter:test-lab/model-one';
const SLASHED_TOO = 'openrouter:test-lab/model-two';
/** Known to the registry, but its provider has no key on this server. */
const UNREACHABLE = 'anthropic:test-unreachable';
const RETIRED = 'openrouter:test-lab/retired';

type Person = { id: string; client: TestClient };

const modelRow = (id: string, status: 'active' | 'deprecated' = 'active') => {
  const [provider, providerModelId] = [id.slice(0, id.indexOf(':')), id.slice(id.indexOf(':') + 1)];
  return {
    id,
    provider,
    providerModelId,
    name: providerModelId,
    contextWindow: 8_000,
    pricing: { input: 1, output: 2 },
    status,
  };
};

for (const kind of testBackends()) {
  describe(`models of a conversation over HTTP on ${kind}`, () => {
    let server: TestServer;
    let people = 0;

    before(async () => {
      // A key (never used: nothing is sent to a model here) makes OpenRouter a configured provider.
      server = await startTestServer(kind, { OPENROUTER_API_KEY: 'test-key' });
      const db = server.runtime.database.db;
      await seedModels(db);
      await db
        .insert(models)
        .values([modelRow(SLASHED), modelRow(SLASHED_TOO), modelRow(UNREACHABLE), modelRow(RETIRED, 'deprecated')]);
      await server.runtime.modelCache.refresh();
    });
    after(() => server?.close());

    const signUp = async (): Promise<Person> => {
      const client = new TestClient(server.baseUrl);
      const email = `person-${++people}-${kind}@example.test`;
      const response = await client.post('/api/auth/sign-up/email', {
        email,
        password: PASSWORD,
        name: `Person ${people}`,
      });
      assert.equal(response.status, 200, JSON.stringify(response.body));
      return { id: response.body.user.id, client };
    };

    const newConversation = async (owner: Person) => {
      const store = server.runtime.store;
      const actor = actorOf(await store.users.getById(owner.id));
      return (await store.conversations.create({ actor, title: 'Panel' })).id;
    };

    const send = (person: Person, method: string, path: string, body?: unknown) =>
      person.client.request(method, path, body === undefined ? undefined : JSON.stringify(body));

    const modelsPath = (conversationId: string) => `/api/conversations/${conversationId}/models`;
    const modelPath = (conversationId: string, modelId: string) =>
      `${modelsPath(conversationId)}/${encodeURIComponent(modelId)}`;

    const add = async (person: Person, conversationId: string, modelId: string, settings?: unknown) => {
      const response = await send(person, 'POST', modelsPath(conversationId), { modelId, settings });
      assert.equal(response.status, 201, JSON.stringify(response.body));
      return response.body;
    };

    const listed = async (person: Person, conversationId: string) => {
      const response = await person.client.get(modelsPath(conversationId));
      assert.equal(response.status, 200, JSON.stringify(response.body));
      return response.body.models as { modelId: string; position: number; isActive: boolean; settings: object }[];
    };

    test('models are added after each other with their settings, and listed in reply order', async () => {
      const owner = await signUp();
      const id = await newConversation(owner);
      const echo = await add(owner, id, 'local:echo');
      assert.deepEqual(echo, {
        modelId: 'local:echo',
        name: echo.name,
        displayName: echo.displayName,
        avatar: 'E',
        position: 0,
        isActive: true,
        settings: {},
      });
      assert.equal(typeof echo.name, 'string');
      const slashed = await add(owner, id, SLASHED, {
        persona: 'the sceptic',
        temperature: 0.3,
        systemPrompt: 'Doubt.',
      });
      assert.equal(slashed.position, 1);
      assert.equal(slashed.name, 'test-lab/model-one');
      assert.deepEqual(slashed.settings, { persona: 'the sceptic', temperature: 0.3, systemPrompt: 'Doubt.' });
      assert.deepEqual(
        (await listed(owner, id)).map((model) => [model.modelId, model.position]),
        [
          ['local:echo', 0],
          [SLASHED, 1],
        ],
      );
      // The conversation itself shows the same models.
      const conversation = await owner.client.get(`/api/conversations/${id}`);
      assert.deepEqual(
        conversation.body.models.map((model: { modelId: string }) => model.modelId),
        ['local:echo', SLASHED],
      );
    });

    test('a model id with a slash is reached URL-encoded: change, pause, reorder and remove it', async () => {
      const owner = await signUp();
      const id = await newConversation(owner);
      await add(owner, id, SLASHED, { persona: 'the poet', temperature: 1 });
      await add(owner, id, 'local:echo');
      await add(owner, id, SLASHED_TOO);

      const changed = await send(owner, 'PATCH', modelPath(id, SLASHED), {
        settings: { temperature: null, systemPrompt: 'Rhyme.' },
      });
      assert.equal(changed.status, 200, JSON.stringify(changed.body));
      assert.equal(changed.body.modelId, SLASHED);
      assert.deepEqual(changed.body.settings, { persona: 'the poet', systemPrompt: 'Rhyme.' });
      const paused = await send(owner, 'PATCH', modelPath(id, SLASHED), { isActive: false });
      assert.deepEqual([paused.status, paused.body.isActive], [200, false]);
      assert.deepEqual(paused.body.settings, { persona: 'the poet', systemPrompt: 'Rhyme.' });

      const order = [SLASHED_TOO, SLASHED, 'local:echo'];
      const reordered = await send(owner, 'PUT', `${modelsPath(id)}/order`, { modelIds: order });
      assert.equal(reordered.status, 200, JSON.stringify(reordered.body));
      assert.deepEqual(
        reordered.body.models.map((model: { modelId: string; position: number }) => [model.modelId, model.position]),
        [
          [SLASHED_TOO, 0],
          [SLASHED, 1],
          ['local:echo', 2],
        ],
      );
      assert.deepEqual(
        (await listed(owner, id)).map((model) => model.modelId),
        order,
      );

      assert.equal((await send(owner, 'DELETE', modelPath(id, SLASHED))).status, 204);
      assert.deepEqual(
        (await listed(owner, id)).map((model) => model.modelId),
        [SLASHED_TOO, 'local:echo'],
      );
      assert.equal((await send(owner, 'DELETE', modelPath(id, SLASHED))).status, 404);
      // Unencoded, the slash splits the path: no such route.
      assert.equal((await send(owner, 'DELETE', `${modelsPath(id)}/${SLASHED_TOO}`)).status, 404);
    });

    test('only a model a person may pick now can be added; otherwise 400 naming it and why', async () => {
      const owner = await signUp();
      const id = await newConversation(owner);
      const refusals: [string, RegExp][] = [
        ['nobody:no-such-model', /no such model/],
        [RETIRED, /deprecated/],
        [UNREACHABLE, /provider anthropic is not configured/],
      ];
      for (const [modelId, reason] of refusals) {
        const response = await send(owner, 'POST', modelsPath(id), { modelId });
        assert.equal(response.status, 400, `${modelId}: ${JSON.stringify(response.body)}`);
        assert.equal(response.body.error.code, 'invalid_input');
        assert.ok(response.body.error.message.includes(modelId), response.body.error.message);
        assert.match(response.body.error.message, reason);
      }
      assert.deepEqual(await listed(owner, id), []);
    });

    test('adding a model already in the conversation is a conflict', async () => {
      const owner = await signUp();
      const id = await newConversation(owner);
      await add(owner, id, SLASHED);
      const again = await send(owner, 'POST', modelsPath(id), { modelId: SLASHED });
      assert.equal(again.status, 409);
      assert.equal(again.body.error.code, 'conflict');
      assert.ok(again.body.error.message.includes(SLASHED));
    });

    test('a new order must list every model of the conversation exactly once', async () => {
      const owner = await signUp();
      const id = await newConversation(owner);
      await add(owner, id, 'local:echo');
      await add(owner, id, SLASHED);
      const wrongOrders = [
        [],
        ['local:echo'],
        ['local:echo', SLASHED, SLASHED],
        ['local:echo', SLASHED, SLASHED_TOO],
        [SLASHED, SLASHED],
      ];
      for (const modelIds of wrongOrders) {
        const response = await send(owner, 'PUT', `${modelsPath(id)}/order`, { modelIds });
        assert.equal(response.status, 400, `${JSON.stringify(modelIds)}: ${JSON.stringify(response.body)}`);
        assert.equal(response.body.error.code, 'invalid_input');
      }
      assert.deepEqual(
        (await listed(owner, id)).map((model) => model.modelId),
        ['local:echo', SLASHED],
      );
    });

    test('an admin of the conversation manages its models like the owner', async () => {
      const owner = await signUp();
      const admin = await signUp();
      const id = await newConversation(owner);
      const { token } = (await send(owner, 'POST', `/api/conversations/${id}/invites`, { role: 'admin' })).body;
      assert.equal((await admin.client.post(`/api/invites/${token}/accept`)).status, 200);
      await add(admin, id, SLASHED);
      await add(admin, id, 'local:echo');
      const reordered = await send(admin, 'PUT', `${modelsPath(id)}/order`, { modelIds: ['local:echo', SLASHED] });
      assert.equal(reordered.status, 200);
      assert.equal((await send(admin, 'DELETE', modelPath(id, 'local:echo'))).status, 204);
      assert.deepEqual(
        (await listed(owner, id)).map((model) => model.modelId),
        [SLASHED],
      );
    });

    test('bad input is refused with its 4xx', async () => {
      const owner = await signUp();
      const id = await newConversation(owner);
      await add(owner, id, SLASHED);
      const cases: [string, string, unknown, number][] = [
        ['POST', modelsPath(id), {}, 400],
        ['POST', modelsPath(id), { modelId: '' }, 400],
        ['POST', modelsPath(id), { modelId: 'local:echo', settings: { temperature: 3 } }, 400],
        ['POST', modelsPath(id), { modelId: 'local:echo', settings: { mood: 'grumpy' } }, 400],
        ['POST', modelsPath(id), { modelId: 'local:echo', extra: true }, 400],
        ['POST', '/api/conversations/not-a-uuid/models', { modelId: 'local:echo' }, 400],
        ['PATCH', modelPath(id, SLASHED), {}, 400],
        ['PATCH', modelPath(id, SLASHED), { settings: { temperature: -1 } }, 400],
        ['PATCH', modelPath(id, SLASHED), { isActive: 'no' }, 400],
        ['PATCH', modelPath(id, 'local:echo'), { isActive: false }, 404],
        ['DELETE', modelPath(id, 'local:echo'), undefined, 404],
        ['PUT', `${modelsPath(id)}/order`, { modelIds: SLASHED }, 400],
        ['PUT', `${modelsPath(id)}/order`, {}, 400],
      ];
      for (const [method, path, body, status] of cases) {
        const response = await send(owner, method, path, body);
        assert.equal(
          response.status,
          status,
          `${method} ${path} ${JSON.stringify(body)}: ${JSON.stringify(response.body)}`,
        );
      }
      assert.deepEqual(await listed(owner, id), [
        {
          modelId: SLASHED,
          name: 'test-lab/model-one',
          displayName: null,
          avatar: null,
          position: 0,
          isActive: true,
          settings: {},
        },
      ]);
    });

    test('the routes are in the OpenAPI document', async () => {
      const document = (await new TestClient(server.baseUrl).get('/api/openapi.json')).body;
      assert.ok(document.paths['/api/conversations/{id}/models'].get);
      assert.ok(document.paths['/api/conversations/{id}/models'].post);
      assert.ok(document.paths['/api/conversations/{id}/models/{modelId}'].patch);
      assert.ok(document.paths['/api/conversations/{id}/models/{modelId}'].delete);
      assert.ok(document.paths['/api/conversations/{id}/models/order'].put);
      assert.ok(document.components.schemas.ConversationModel);
    });
  });
}
