// What the server logs over a whole run — signing up and in, an API key made and used, chats (one whose provider
// refuses, quoting the key it was given), a metrics scrape — is JSON lines, each line of a request carrying its
// request id, and never a password, a key, a token, a session or a word anyone wrote.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { seedModels } from '../../src/models/seed.ts';
import { registerDeclaredModels } from '../../src/providers/index.ts';
import { readChat } from '../support/chat-stream.ts';
import { testBackends } from '../support/database.ts';
import { type FakeProvider, startFakeProvider } from '../support/fake-provider.ts';
import { type CapturedLogs, captureLogs } from '../support/logs.ts';
import { startTestServer, TestClient, type TestServer } from '../support/server.ts';

process.env.AI_SDK_LOG_WARNINGS = 'false';

const SECRETS = {
  password: 'correct horse battery staple 42',
  metricsToken: 'metrics-token-nobody-may-log-0123456789',
  encryptionKey: Buffer.alloc(32, 9).toString('base64'),
  authSecret: 'an auth secret nobody may log, long enough 0123456789',
  providerKey: 'sk-provider-key-nobody-may-log-0123456789',
  question: 'my private question about the tulip bulbs',
  reply: 'a private answer about the tulip bulbs',
};

for (const kind of testBackends()) {
  describe(`the log of a whole run on ${kind}`, () => {
    let fake: FakeProvider;
    let server: TestServer;
    let logs: CapturedLogs;
    /** Secrets only known once made: the API key, the session cookie. */
    const made: string[] = [];

    before(async () => {
      logs = captureLogs('trace');
      fake = await startFakeProvider({ models: { private: { reply: SECRETS.reply } } });
      server = await startTestServer(kind, {
        CHORUS_PROVIDER_FAKE_BASE_URL: fake.baseURL,
        CHORUS_PROVIDER_FAKE_API_KEY: SECRETS.providerKey,
        CHORUS_PROVIDER_FAKE_MODELS: 'private,refusing',
        CHORUS_PROVIDER_MAX_RETRIES: '0',
        CHORUS_METRICS_TOKEN: SECRETS.metricsToken,
        CHORUS_ENCRYPTION_KEY: SECRETS.encryptionKey,
        BETTER_AUTH_SECRET: SECRETS.authSecret,
      });
      const db = server.runtime.database.db;
      await seedModels(db);
      await registerDeclaredModels(db, server.runtime.providers);
      await server.runtime.modelCache.refresh();
    });
    after(async () => {
      logs?.restore();
      await server?.close();
      await fake?.close();
    });

    test('holds no secret and no message text, and each line of a request carries its id', async () => {
      const browser = new TestClient(server.baseUrl);
      const signedUp = await browser.post('/api/auth/sign-up/email', {
        email: 'tulips@example.test',
        password: SECRETS.password,
        name: 'Tulips',
      });
      assert.equal(signedUp.status, 200);
      const signedIn = await new TestClient(server.baseUrl).post('/api/auth/sign-in/email', {
        email: 'tulips@example.test',
        password: SECRETS.password,
      });
      assert.equal(signedIn.status, 200);
      made.push(...browser.cookies.values());
      const apiKey = (await browser.post('/api/keys', { name: 'script' })).body.key as string;
      made.push(apiKey);
      const script = new TestClient(server.baseUrl, { bearer: apiKey });

      const chat = async (modelId: string) => {
        const response = await script.open(
          'POST',
          '/api/chat',
          JSON.stringify({
            id: crypto.randomUUID(),
            modelIds: [modelId],
            message: { id: crypto.randomUUID(), role: 'user', parts: [{ type: 'text', text: SECRETS.question }] },
          }),
        );
        assert.equal(response.status, 200);
        await readChat(response.body!);
        return response.headers.get('x-request-id');
      };
      await chat('fake:private');
      fake.scriptModel('refusing', {
        failFirst: { count: 100, status: 401, body: { error: { message: `bad key ${SECRETS.providerKey}` } } },
      });
      const refusedRequestId = await chat('fake:refusing');
      const completion = await script.post('/v1/chat/completions', {
        model: 'fake:private',
        messages: [{ role: 'user', content: SECRETS.question }],
      });
      assert.equal(completion.status, 200);
      const scrape = await fetch(`${server.baseUrl}/metrics`, {
        headers: { authorization: `Bearer ${SECRETS.metricsToken}` },
      });
      assert.equal(scrape.status, 200);

      const text = logs.text();
      const entries = logs.entries();
      assert.ok(entries.length > 5, 'the run was logged');
      for (const secret of [...Object.values(SECRETS), ...made]) {
        assert.ok(!text.includes(secret), `the log holds ${secret}`);
      }
      // One line per request, by route pattern, with its id.
      const requests = entries.filter((entry) => entry.msg === 'request');
      assert.ok(requests.some((entry) => entry.route === '/api/chat' && entry.status === 200));
      for (const entry of requests) assert.match(String(entry.requestId), /^[0-9a-f-]{36}$/);
      // A line written deep inside the request (the provider's refusal) carries the request's id.
      const failure = entries.find((entry) => entry.msg === 'a reply failed' && entry.modelId === 'fake:refusing');
      assert.ok(failure, 'the refusal is logged');
      assert.equal(failure.requestId, refusedRequestId);
      assert.match(String(failure.details), /HTTP 401/);
    });
  });
}
