// How much a request may send, and when its body is read: a write from nobody signed in is refused before a byte of
// its body is read; a body past CHORUS_MAX_BODY_BYTES is refused from its declared length, or while it is read when
// it comes in chunks; uploads and model imports keep their larger limits; JSON nested past the bound is refused
// before it is parsed. The server here runs with a small body limit, so that "past it" stays small.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createApiKey } from '../../src/auth/api-keys.ts';
import { MAX_JSON_DEPTH, positionPastDepth } from '../../src/http/request-body.ts';
import { testBackends } from '../support/database.ts';
import { type Person, signUp } from '../support/people.ts';
import { httpChunk, openRawHttp } from '../support/raw-http.ts';
import { assertErrorBody, sendRaw } from '../support/raw-request.ts';
import { startTestServer, TEST_PUBLIC_URL, type TestServer } from '../support/server.ts';

const MAX_BODY_BYTES = 16 * 1024;
/** Far more than the server would ever take: an answer that needs it all would never come. */
const HUGE = 400_000_000;

/** Just enough of a PNG for its signature, padded to `size` bytes. */
const pngOf = (size: number) =>
  Uint8Array.from({ length: size }, (_, index) => [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a][index] ?? 0x2a);
const host = (baseUrl: string) => `Host: ${new URL(baseUrl).host}\r\n`;

describe('positionPastDepth: how deep JSON text nests, read before it is parsed', () => {
  test('counts the objects and arrays open at once, and names where the bound is passed', () => {
    assert.equal(positionPastDepth('{"a":[1,{"b":[]}]}', 4), -1);
    assert.equal(positionPastDepth('{"a":[1,{"b":[]}]}', 3), 13);
    assert.equal(positionPastDepth(`${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`, MAX_JSON_DEPTH), -1);
    assert.equal(
      positionPastDepth(`${'['.repeat(MAX_JSON_DEPTH + 1)}${']'.repeat(MAX_JSON_DEPTH + 1)}`, MAX_JSON_DEPTH),
      MAX_JSON_DEPTH,
    );
  });

  test('brackets inside strings do not count, escaped quotes do not end them', () => {
    assert.equal(positionPastDepth(JSON.stringify({ text: '[[[[{{{{' }), 1), -1);
    assert.equal(positionPastDepth(JSON.stringify({ text: 'say "[[[" \\ and [{' }), 1), -1);
    assert.equal(positionPastDepth(`{"a\\\\":[[]]}`, 2), 8, 'a string ending in an escaped backslash ends there');
  });

  test('text that is not JSON is left to the parser', () => {
    assert.equal(positionPastDepth('{"open": "never closed [[[[', 2), -1);
    assert.equal(positionPastDepth('', 2), -1);
  });
});

for (const kind of testBackends()) {
  describe(`request bodies on ${kind}: who may send one, how large`, () => {
    let server: TestServer;
    let admin: Person;
    let user: Person;
    let userKey: string;

    before(async () => {
      server = await startTestServer(kind, { CHORUS_MAX_BODY_BYTES: String(MAX_BODY_BYTES) });
      admin = await signUp(server, 'Admin Ada');
      user = await signUp(server, 'User Uma');
      userKey = (await createApiKey(server.runtime.store, { actor: user.actor, name: 'limits' })).key;
    });
    after(() => server?.close());

    const cookieOf = (person: Person) =>
      [...person.client.cookies].map(([name, value]) => `${name}=${value}`).join('; ');

    test('a write from nobody signed in is a 401 before its body is read (one that never comes)', async () => {
      const exchange = openRawHttp(
        server.baseUrl,
        `POST /api/chat HTTP/1.1\r\n${host(server.baseUrl)}Content-Type: application/json\r\nContent-Length: ${HUGE}\r\n\r\n`,
      );
      await exchange.write('{"id":');
      const answer = await exchange.answerUnlessWaitingFor('the rest of the body');
      assert.equal(answer.status, 401, answer.body);
      assert.equal(answer.json.error.code, 'unauthorized');
      assert.match(answer.json.error.message, /sign in/);
      assert.equal(answer.headers.connection, 'close', 'the unread body ends the connection');
    });

    test('an admin route refuses someone not an admin before reading the body, large as an import may be', async () => {
      const exchange = openRawHttp(
        server.baseUrl,
        `POST /api/admin/models/import HTTP/1.1\r\n${host(server.baseUrl)}Origin: ${TEST_PUBLIC_URL}\r\n` +
          `Cookie: ${cookieOf(user)}\r\nContent-Type: application/json\r\nContent-Length: 60000000\r\n\r\n`,
      );
      await exchange.write('[');
      const answer = await exchange.answerUnlessWaitingFor('the rest of the body');
      assert.equal(answer.status, 403, answer.body);
      assert.match(answer.json.error.message, /only admins/);
    });

    test('a body declared past the limit is a 413 naming it, before it is read', async () => {
      const exchange = openRawHttp(
        server.baseUrl,
        `POST /api/keys HTTP/1.1\r\n${host(server.baseUrl)}Authorization: Bearer ${userKey}\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${HUGE}\r\n\r\n`,
      );
      await exchange.write('{"name":"');
      const answer = await exchange.answerUnlessWaitingFor('the rest of the body');
      assert.equal(answer.status, 413, answer.body);
      assert.equal(answer.json.error.code, 'payload_too_large');
      assert.match(answer.json.error.message, new RegExp(`larger than the limit of ${MAX_BODY_BYTES} bytes`));
      assert.equal(answer.headers.connection, 'close');
    });

    test('a body a little past the limit is read to its end and dropped: the sender gets the 413 whole', async () => {
      // A client that writes its whole body before reading (fetch does) would otherwise meet a closed connection.
      const response = await fetch(`${server.baseUrl}/api/keys`, {
        method: 'POST',
        headers: { authorization: `Bearer ${userKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'x'.repeat(4 * MAX_BODY_BYTES) }),
      });
      assert.equal(response.status, 413);
      assert.notEqual(response.headers.get('connection'), 'close');
      const { error } = (await response.json()) as { error: { message: string } };
      assert.match(error.message, new RegExp(`limit of ${MAX_BODY_BYTES} bytes`));
    });

    test('a body in chunks of no declared length is refused with 413 once it passes the limit', async () => {
      const exchange = openRawHttp(
        server.baseUrl,
        `POST /api/keys HTTP/1.1\r\n${host(server.baseUrl)}Authorization: Bearer ${userKey}\r\n` +
          'Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n',
      );
      await exchange.write(httpChunk('{"name":"'));
      // Sixteen times the limit at most: the answer comes long before, and a server that read it all answers 400.
      for (let sent = 0; sent < 16 * MAX_BODY_BYTES && !exchange.answered(); sent += 4096) {
        await exchange.write(httpChunk('x'.repeat(4096)));
        await new Promise((resolve) => setImmediate(resolve));
      }
      if (!exchange.answered()) await exchange.write(httpChunk('"}') + httpChunk(''));
      const answer = await exchange.answer;
      exchange.close();
      assert.equal(answer.status, 413, answer.body);
      assert.match(answer.json.error.message, new RegExp(`larger than the limit of ${MAX_BODY_BYTES} bytes`));
    });

    test('a body in chunks within the limit is read whole, for the API and for better-auth', async () => {
      const key = openRawHttp(
        server.baseUrl,
        `POST /api/keys HTTP/1.1\r\n${host(server.baseUrl)}Authorization: Bearer ${userKey}\r\n` +
          'Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n',
      );
      await key.write(httpChunk('{"name":') + httpChunk('"in chunks"}') + httpChunk(''));
      const created = await key.answer;
      assert.equal(created.status, 201, created.body);
      assert.equal(created.json.name, 'in chunks');

      const body = JSON.stringify({ email: 'chunky@example.test', password: 'a long enough password', name: 'Chunky' });
      const signUpInChunks = openRawHttp(
        server.baseUrl,
        `POST /api/auth/sign-up/email HTTP/1.1\r\n${host(server.baseUrl)}Origin: ${TEST_PUBLIC_URL}\r\n` +
          'Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n',
      );
      await signUpInChunks.write(httpChunk(body.slice(0, 20)) + httpChunk(body.slice(20)) + httpChunk(''));
      const signedUp = await signUpInChunks.answer;
      assert.equal(signedUp.status, 200, signedUp.body);
      assert.equal(signedUp.json.user.name, 'Chunky');
    });

    test('an upload and a model import keep their own, larger limits', async () => {
      const form = new FormData();
      form.append('file', new Blob([pngOf(4 * MAX_BODY_BYTES)], { type: 'image/png' }), 'big.png');
      const uploaded = await sendRaw(server.baseUrl, user.client, 'POST', '/api/files', { form });
      assert.equal(uploaded.status, 201, uploaded.text);

      const models = Array.from({ length: 200 }, (_, index) => ({
        id: `acme:m${index}`,
        provider: 'acme',
        providerModelId: `m${index}`,
        name: `Acme model ${index}, with a name long enough to take room`,
        contextWindow: 8000,
        pricing: { input: 1, output: 2 },
      }));
      assert.ok(JSON.stringify(models).length > MAX_BODY_BYTES);
      const imported = await sendRaw(server.baseUrl, admin.client, 'POST', '/api/admin/models/import?dryRun=1', {
        body: models,
      });
      assert.equal(imported.status, 200, imported.text.slice(0, 300));
      assert.equal(imported.json.created.length, 200);
    });

    test('JSON nested as deep as the bound is read; one level more is a 400 naming the bound', async () => {
      // `{"value": ...}` is one level: the value adds the rest.
      const nested = (depth: number) => `{"value":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`;
      const atBound = await sendRaw(server.baseUrl, admin.client, 'PUT', '/api/admin/config/limits.note', {
        rawBody: nested(MAX_JSON_DEPTH),
      });
      assert.equal(atBound.status, 200, atBound.text);
      const past = await sendRaw(server.baseUrl, admin.client, 'PUT', '/api/admin/config/limits.note', {
        rawBody: nested(MAX_JSON_DEPTH + 1),
      });
      assert.equal(past.status, 400, past.text);
      assertErrorBody(past, 'too deep');
      assert.match(
        past.json.error.message,
        new RegExp(`more than ${MAX_JSON_DEPTH} deep \\(at character ${MAX_JSON_DEPTH + 8}\\)`),
      );
    });
  });
}
