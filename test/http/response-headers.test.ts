// What every response tells a browser, whoever answered it (a route, a refusal, a stream written straight to the
// socket, the web app, Node's parser refusing a request): do not guess another type than the one sent (nosniff),
// never show it inside another site's frame, and run nothing unless it is a page of the app, which says what it may
// load. What Node refuses before the app sees it is answered in the one JSON error shape too.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createApiKey } from '../../src/auth/api-keys.ts';
import { APP_PAGE_POLICY } from '../../src/http/security-headers.ts';
import { seedModels } from '../../src/models/seed.ts';
import { testBackends } from '../support/database.ts';
import { type Person, signUp } from '../support/people.ts';
import { openRawHttp } from '../support/raw-http.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

process.env.AI_SDK_LOG_WARNINGS = 'false';

const host = (baseUrl: string) => `Host: ${new URL(baseUrl).host}\r\n`;

function assertBrowserHeaders(response: Response, what: string) {
  assert.equal(response.headers.get('x-content-type-options'), 'nosniff', `${what}: nosniff`);
  assert.equal(response.headers.get('x-frame-options'), 'DENY', `${what}: no framing`);
  assert.match(
    response.headers.get('content-security-policy') ?? '',
    /frame-ancestors 'none'/,
    `${what}: no framing (CSP)`,
  );
}

for (const kind of testBackends()) {
  describe(`the headers of every response on ${kind}`, () => {
    let server: TestServer;
    let person: Person;
    let key: string;

    before(async () => {
      server = await startTestServer(kind);
      await seedModels(server.runtime.database.db);
      await server.runtime.modelCache.refresh();
      person = await signUp(server, 'Header Hana');
      key = (await createApiKey(server.runtime.store, { actor: person.actor, name: 'headers' })).key;
    });
    after(() => server?.close());

    const send = (path: string, init: RequestInit = {}) =>
      fetch(server.baseUrl + path, { ...init, headers: { authorization: `Bearer ${key}`, ...init.headers } });

    test('JSON answers, refusals and errors say nosniff and refuse framing, and may run nothing', async () => {
      const answers: Array<[string, Response]> = [
        ['the health check', await fetch(`${server.baseUrl}/api/health`)],
        ['the OpenAPI document', await fetch(`${server.baseUrl}/api/openapi.json`)],
        ['an unknown route', await fetch(`${server.baseUrl}/api/nowhere`)],
        [
          'a refusal before the body is read',
          await fetch(`${server.baseUrl}/api/keys`, { method: 'POST', body: '{}' }),
        ],
        ['a bad request', await send('/api/conversations/not-a-uuid')],
        ['an answer of /v1', await send('/v1/models')],
      ];
      for (const [what, response] of answers) {
        await response.arrayBuffer();
        assertBrowserHeaders(response, what);
        assert.equal(
          response.headers.get('content-security-policy'),
          "default-src 'none'; frame-ancestors 'none'",
          what,
        );
      }
    });

    test('a reply stream written straight to the socket carries them too', async () => {
      const { id } = await server.runtime.store.conversations.create({
        actor: person.actor,
        title: 'Streams',
        modelIds: ['local:echo'],
      });
      const response = await send('/api/chat', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          id,
          message: { id: crypto.randomUUID(), role: 'user', parts: [{ type: 'text', text: 'hello' }] },
        }),
      });
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type')!, /^text\/event-stream/);
      await response.text();
      assertBrowserHeaders(response, 'a reply stream');
    });

    test("headers past Node's limit are a 431 in the one JSON error shape", async () => {
      const exchange = openRawHttp(
        server.baseUrl,
        `GET /api/health HTTP/1.1\r\n${host(server.baseUrl)}X-Padding: ${'x'.repeat(20_000)}\r\n\r\n`,
      );
      const answer = await exchange.answer;
      exchange.close();
      assert.equal(answer.status, 431);
      assert.match(answer.headers['content-type']!, /^application\/json/);
      assert.equal(answer.json.error.code, 'headers_too_large');
      assert.match(answer.json.error.message, /headers .* are larger than the 16384 bytes the server reads/);
      assert.equal(answer.headers['x-content-type-options'], 'nosniff');
    });

    test('a request that is not HTTP is a 400 in the one JSON error shape', async () => {
      const exchange = openRawHttp(server.baseUrl, 'HELLO THERE\r\n\r\n');
      const answer = await exchange.answer;
      exchange.close();
      assert.equal(answer.status, 400);
      assert.equal(answer.json.error.code, 'invalid_input');
      assert.match(answer.json.error.message, /not valid HTTP/);
    });

    test("the app's page says what it may load: its own scripts, styles and API", async () => {
      const page = await fetch(`${server.baseUrl}/c/6f1c2d3e-0000-4000-8000-000000000000`);
      await page.text();
      assertBrowserHeaders(page, 'the page');
      // 200 with the built app (npm install builds it), 503 saying how to build it otherwise.
      if (page.status === 200) assert.equal(page.headers.get('content-security-policy'), APP_PAGE_POLICY);
    });
  });
}
