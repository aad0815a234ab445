import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { testBackends } from '../support/database.ts';
import { startTestServer, TestClient, type TestServer } from '../support/server.ts';

const PASSWORD = 'correct horse battery staple';

async function signUp(server: TestServer, email: string, name = email.split('@')[0]!) {
  const browser = new TestClient(server.baseUrl);
  const response = await browser.post('/api/auth/sign-up/email', { email, password: PASSWORD, name });
  assert.equal(response.status, 200, JSON.stringify(response.body));
  return browser;
}

function assertJsonError(response: { status: number; body: any }, status: number, code: string) {
  assert.equal(response.status, status, JSON.stringify(response.body));
  assert.equal(response.body.error.code, code);
  assert.equal(typeof response.body.error.message, 'string');
}

for (const kind of testBackends()) {
  describe(`accounts on ${kind}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(kind);
    });
    after(() => server.close());

    test('signing up sets a session cookie, and GET /api/me then answers with the profile', async () => {
      const browser = await signUp(server, 'Ada@Example.com', 'Ada Lovelace');
      assert.ok(browser.cookies.has('chorus.session_token'));
      const me = await browser.get('/api/me');
      assert.equal(me.status, 200);
      assert.deepEqual(Object.keys(me.body).sort(), [
        'avatarUrl',
        'discordId',
        'displayName',
        'email',
        'id',
        'isGuest',
        'preferences',
        'role',
        'username',
      ]);
      assert.equal(me.body.email, 'ada@example.com', 'emails are stored lower-cased');
      assert.equal(me.body.displayName, 'Ada Lovelace');
      assert.match(me.body.username, /^ada_[0-9a-f]{8}$/);
      assert.equal(me.body.isGuest, false);
      assert.equal(me.body.discordId, null, 'no Discord account linked');
      assert.match(me.body.id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    });

    test('GET /api/me without credentials is a 401 JSON error', async () => {
      assertJsonError(await new TestClient(server.baseUrl).get('/api/me'), 401, 'unauthorized');
    });

    test('signing in with the right password starts a session; with a wrong one it is a 401 JSON error', async () => {
      await signUp(server, 'grace@example.com');
      const wrong = await new TestClient(server.baseUrl).post('/api/auth/sign-in/email', {
        email: 'grace@example.com',
        password: 'not the password',
      });
      assertJsonError(wrong, 401, 'unauthorized');

      const browser = new TestClient(server.baseUrl);
      const right = await browser.post('/api/auth/sign-in/email', { email: 'Grace@example.com', password: PASSWORD });
      assert.equal(right.status, 200);
      assert.equal((await browser.get('/api/me')).body.email, 'grace@example.com');
    });

    test('signing out ends the session: the old cookie no longer makes an actor', async () => {
      const browser = await signUp(server, 'leaving@example.com');
      const cookie = browser.cookies.get('chorus.session_token')!;
      assert.equal((await browser.post('/api/auth/sign-out', {})).status, 200);
      assert.equal(browser.cookies.has('chorus.session_token'), false, 'the cookie is cleared');
      assertJsonError(await browser.get('/api/me'), 401, 'unauthorized');

      const replay = new TestClient(server.baseUrl);
      replay.cookies.set('chorus.session_token', cookie);
      assertJsonError(await replay.get('/api/me'), 401, 'unauthorized');
    });

    test('a second sign-up with the same email (in any case) is a 409 conflict', async () => {
      await signUp(server, 'twice@example.com');
      const again = await new TestClient(server.baseUrl).post('/api/auth/sign-up/email', {
        email: 'TWICE@example.com',
        password: PASSWORD,
        name: 'Impostor',
      });
      assertJsonError(again, 409, 'conflict');
    });

    test('a guest gets a session and a profile with isGuest true and no email', async () => {
      const guest = new TestClient(server.baseUrl);
      const signIn = await guest.post('/api/auth/sign-in/anonymous', {});
      assert.equal(signIn.status, 200, JSON.stringify(signIn.body));
      const me = await guest.get('/api/me');
      assert.equal(me.status, 200);
      assert.equal(me.body.isGuest, true);
      assert.equal(me.body.email, null);
      assert.equal(me.body.role, 'user');
      assert.match(me.body.username, /^guest_[0-9a-f]{8}$/);
      const stored = await server.runtime.store.users.getById(me.body.id);
      assert.equal(stored.email, null, 'no placeholder address is stored');
    });

    test('a deactivated user is nobody: their session stops working and they cannot sign in again', async () => {
      const browser = await signUp(server, 'suspended@example.com');
      const { id } = (await browser.get('/api/me')).body;
      await server.runtime.store.users.update(id, { isActive: false });
      assertJsonError(await browser.get('/api/me'), 401, 'unauthorized');
      const signIn = await new TestClient(server.baseUrl).post('/api/auth/sign-in/email', {
        email: 'suspended@example.com',
        password: PASSWORD,
      });
      assertJsonError(signIn, 403, 'forbidden');
    });

    test('bad input is a 4xx JSON error, never a 5xx', async () => {
      const client = new TestClient(server.baseUrl);
      const cases = [
        await client.request('POST', '/api/auth/sign-up/email', '{"email": "broken@example.com",'),
        await client.post('/api/auth/sign-up/email', { email: 'missing@example.com' }),
        await client.post('/api/auth/sign-up/email', { email: 'not an email', password: PASSWORD, name: 'X' }),
        await client.post('/api/auth/sign-up/email', { email: 'short@example.com', password: 'short', name: 'X' }),
        await client.post('/api/auth/sign-up/email', {
          email: 'long@example.com',
          password: PASSWORD,
          name: 'x'.repeat(101),
        }),
        await client.post('/api/auth/sign-up/email', {
          email: `${'x'.repeat(250)}@example.com`,
          password: PASSWORD,
          name: 'X',
        }),
        await client.post('/api/auth/sign-in/email', {}),
        await client.request('POST', '/api/auth/sign-in/email', 'not json'),
      ];
      for (const response of cases) {
        assert.ok(
          response.status >= 400 && response.status < 500,
          `${response.status} ${JSON.stringify(response.body)}`,
        );
        assert.equal(typeof response.body.error.code, 'string');
        assert.equal(typeof response.body.error.message, 'string');
      }
      const user = await signUp(server, 'careful@example.com');
      assertJsonError(await user.post('/api/auth/update-user', { name: 'x'.repeat(101) }), 400, 'invalid_input');
      assertJsonError(await user.request('POST', '/api/keys', '{"name":'), 400, 'invalid_input');
      assertJsonError(await user.post('/api/keys', { name: 42 }), 400, 'invalid_input');
      assertJsonError(await user.delete('/api/keys/not-a-uuid'), 400, 'invalid_input');
    });

    test('a picture is an https: URL or a small inline image; any other address is refused with a 400 saying so', async () => {
      const tinyPng = `data:image/png;base64,${Buffer.from('not really a png, but base64').toString('base64')}`;
      const refused = [
        'http://tracker.example/pixel.gif?who=me',
        'javascript:alert(1)',
        '//tracker.example/pixel.gif',
        'ftp://files.example/me.png',
        `data:image/svg+xml;base64,${Buffer.from('<svg onload="alert(1)"/>').toString('base64')}`,
        `data:image/png;base64,${'A'.repeat(20_000)}`,
        `https://images.example/${'x'.repeat(20_000)}.png`,
      ];
      for (const [index, image] of refused.entries()) {
        const signUp = await new TestClient(server.baseUrl).post('/api/auth/sign-up/email', {
          email: `pictured-${index}@example.test`,
          password: PASSWORD,
          name: 'Pictured',
          image,
        });
        assertJsonError(signUp, 400, 'invalid_input');
        assert.match(signUp.body.error.message, /image must be/, image.slice(0, 40));
      }
      const user = await signUp(server, 'framed@example.com');
      for (const image of refused) {
        const update = await user.post('/api/auth/update-user', { image });
        assertJsonError(update, 400, 'invalid_input');
      }
      assert.equal((await user.get('/api/me')).body.avatarUrl, null, 'nothing was stored');
      for (const image of ['https://images.example/me.png', tinyPng]) {
        assert.equal((await user.post('/api/auth/update-user', { image })).status, 200, image);
        assert.equal((await user.get('/api/me')).body.avatarUrl, image);
      }
      const pictured = await new TestClient(server.baseUrl).post('/api/auth/sign-up/email', {
        email: 'pictured@example.test',
        password: PASSWORD,
        name: 'Pictured',
        image: 'https://images.example/pictured.png',
      });
      assert.equal(pictured.status, 200, JSON.stringify(pictured.body));
      assert.equal(pictured.body.user.image, 'https://images.example/pictured.png');
    });

    test('a user cannot make themselves an admin through the sign-up body', async () => {
      const browser = new TestClient(server.baseUrl);
      const response = await browser.post('/api/auth/sign-up/email', {
        email: 'sneaky@example.com',
        password: PASSWORD,
        name: 'Sneaky',
        role: 'admin',
      });
      assert.ok(response.status < 500);
      if (response.status === 200) assert.equal((await browser.get('/api/me')).body.role, 'user');
    });

    test('the OpenAPI document describes the account routes and how to sign in', async () => {
      const { status, body } = await new TestClient(server.baseUrl).get('/api/openapi.json');
      assert.equal(status, 200);
      for (const path of ['/api/me', '/api/keys', '/api/keys/{id}']) assert.ok(body.paths[path], path);
      assert.deepEqual(Object.keys(body.components.securitySchemes).sort(), ['apiKey', 'session']);
    });
  });
}
