// Two real `chorus serve` processes on one Postgres (and one Redis), as behind a load balancer: a client that
// dropped its reply on one process re-attaches through the other and gets it from the first chunk, a stop sent to
// the other process stops the reply where it runs, and a model an admin changes on one is changed on the other.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import postgres from 'postgres';
import { readChat, textOf } from '../support/chat-stream.ts';
import { ServeProcesses } from '../support/cli.ts';
import { createPostgresDatabase } from '../support/database.ts';
import { type FakeProvider, startFakeProvider } from '../support/fake-provider.ts';
import { TEST_PUBLIC_URL, TestClient } from '../support/server.ts';

const databaseUrl = process.env.TEST_DATABASE_URL;
const redisUrl = process.env.TEST_REDIS_URL;
const words = (count: number) => Array.from({ length: count }, (_, index) => `w${index} `).join('');
const STEADY_REPLY = words(150);
/** Long enough to be stopped part-way after its first partial save (one a second). */
const SLOW_REPLY = words(1_000);

describe('resumable replies across two server processes', {
  skip: !(databaseUrl && redisUrl) && 'needs TEST_DATABASE_URL and TEST_REDIS_URL',
}, () => {
  let fake: FakeProvider;
  let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let sql: postgres.Sql;
  const servers = new ServeProcesses();
  let first: string;
  let second: string;
  let apiKey: string;

  before(
    async () => {
      fake = await startFakeProvider({
        models: {
          steady: { reply: STEADY_REPLY, chunkSize: 4, chunkDelayMs: 5 },
          slow: { reply: SLOW_REPLY, chunkSize: 4, chunkDelayMs: 8 },
        },
      });
      database = await createPostgresDatabase();
      sql = postgres(database.url, { max: 1, onnotice: () => {} });
      const env = {
        DATABASE_URL: database.url,
        REDIS_URL: redisUrl!,
        PUBLIC_URL: TEST_PUBLIC_URL,
        BETTER_AUTH_SECRET: 'a shared secret for both processes, long enough',
        CHORUS_PROVIDER_FAKE_BASE_URL: fake.baseURL,
        CHORUS_PROVIDER_FAKE_MODELS: 'steady,slow',
      };
      first = await servers.start(env);
      second = await servers.start(env);
      const browser = new TestClient(first);
      const signUp = await browser.post('/api/auth/sign-up/email', {
        email: 'two-processes@example.test',
        password: 'a long enough password',
        name: 'Roamer',
      });
      assert.equal(signUp.status, 200, JSON.stringify(signUp.body));
      apiKey = (await browser.post('/api/keys', { name: 'roaming' })).body.key;
    },
    { timeout: 120_000 },
  );

  after(async () => {
    await servers.stop();
    await sql?.end();
    await database?.drop();
    await fake?.close();
  });

  const startChat = (baseUrl: string, conversationId: string, model: string, signal?: AbortSignal) =>
    fetch(`${baseUrl}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({
        id: conversationId,
        messages: [{ id: crypto.randomUUID(), role: 'user', parts: [{ type: 'text', text: 'take your time' }] }],
        modelIds: [model],
      }),
      signal,
    });

  const replyRow = async (conversationId: string) => {
    const [row] = await sql<{ status: string; content: string | null }[]>`
      select status, content from messages where conversation_id = ${conversationId} and role = 'assistant'`;
    return row!;
  };

  test('a reply dropped on one process is re-attached on the other, from its first chunk', async () => {
    const conversationId = crypto.randomUUID();
    const client = new AbortController();
    const response = await startChat(first, conversationId, 'fake:steady', client.signal);
    assert.equal(response.status, 200);
    const reader = response.body!.getReader();
    await reader.read();
    client.abort();

    const resumed = await fetch(`${second}/api/chat/${conversationId}/stream`, {
      headers: { authorization: `Bearer ${apiKey}` },
    });
    assert.equal(resumed.status, 200);
    const { message } = await readChat(resumed.body!);
    assert.equal(textOf(message!), STEADY_REPLY);
    assert.deepEqual(await replyRow(conversationId), { status: 'complete', content: STEADY_REPLY });
  });

  test('a stop sent to the other process stops the reply where it runs, keeping what it said', async () => {
    const conversationId = crypto.randomUUID();
    const response = await startChat(first, conversationId, 'fake:slow');
    const reading = readChat(response.body!);
    await waitFor(async () => ((await replyRow(conversationId))?.content?.length ?? 0) > 0);
    const stop = await new TestClient(second, { bearer: apiKey }).post(`/api/chat/${conversationId}/stop`);
    assert.deepEqual(stop.body, { stopped: 1 });
    const said = textOf((await reading).message!);
    assert.ok(said.length > 0 && said.length < SLOW_REPLY.length, `stopped part-way (${said.length} characters)`);
    assert.deepEqual(await replyRow(conversationId), { status: 'stopped', content: said });
  });
});

describe('model registry changes across two server processes', {
  skip: !databaseUrl && 'needs TEST_DATABASE_URL',
}, () => {
  let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
  const servers = new ServeProcesses();
  let first: string;
  let second: string;
  let admin: TestClient;

  before(
    async () => {
      database = await createPostgresDatabase();
      const env = {
        DATABASE_URL: database.url,
        PUBLIC_URL: TEST_PUBLIC_URL,
        BETTER_AUTH_SECRET: 'another shared secret, long enough',
      };
      first = await servers.start(env);
      second = await servers.start(env);
      admin = new TestClient(first);
      const signUp = await admin.post('/api/auth/sign-up/email', {
        email: 'registry-admin@example.test',
        password: 'a long enough password',
        name: 'First, hence admin',
      });
      assert.equal(signUp.status, 200, JSON.stringify(signUp.body));
    },
    { timeout: 120_000 },
  );

  after(async () => {
    await servers.stop();
    await database?.drop();
  });

  test('a model changed through one process is seen by the other within a second', async () => {
    const offeredBySecond = async () => {
      const response = await fetch(`${second}/api/models`);
      const { models } = (await response.json()) as { models: { id: string; name: string }[] };
      return models.find((model) => model.id === 'local:echo');
    };
    assert.ok(await offeredBySecond(), 'the offline model is offered before the change');
    const started = performance.now();
    const change = await admin.request(
      'PATCH',
      `/api/admin/models/${encodeURIComponent('local:echo')}`,
      JSON.stringify({ updates: { status: 'disabled' }, reason: 'testing propagation' }),
    );
    assert.equal(change.status, 200, JSON.stringify(change.body));
    await waitFor(async () => (await offeredBySecond()) === undefined, 1_000);
    const seenAfterMs = performance.now() - started;
    assert.ok(seenAfterMs < 1_000, `seen by the other process after ${seenAfterMs.toFixed(0)} ms`);
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`still not so after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
