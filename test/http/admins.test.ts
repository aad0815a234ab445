import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { testBackends } from '../support/database.ts';
import { startTestServer, TestClient, type TestServer } from '../support/server.ts';

const PASSWORD = 'correct horse battery staple';

async function signUpRole(server: TestServer, email: string): Promise<string> {
  const browser = new TestClient(server.baseUrl);
  const response = await browser.post('/api/auth/sign-up/email', { email, password: PASSWORD, name: 'Someone' });
  assert.equal(response.status, 200, JSON.stringify(response.body));
  return (await browser.get('/api/me')).body.role;
}

for (const kind of testBackends()) {
  describe(`who is an admin, on ${kind}`, () => {
    test('without CHORUS_ADMIN_EMAIL the first person to sign up is the admin; a guest before them does not count', async () => {
      const server = await startTestServer(kind);
      try {
        const guest = new TestClient(server.baseUrl);
        assert.equal((await guest.post('/api/auth/sign-in/anonymous', {})).status, 200);
        assert.equal((await guest.get('/api/me')).body.role, 'user');
        assert.equal(await signUpRole(server, 'first@example.com'), 'admin');
        assert.equal(await signUpRole(server, 'second@example.com'), 'user');
      } finally {
        await server.close();
      }
    });

    test('with CHORUS_ADMIN_EMAIL the person signing up with that email is the admin, and only they are', async () => {
      const server = await startTestServer(kind, { CHORUS_ADMIN_EMAIL: 'Boss@Example.com' });
      try {
        assert.equal(await signUpRole(server, 'early@example.com'), 'user', 'being first does not matter then');
        assert.equal(await signUpRole(server, 'boss@example.COM'), 'admin');
        assert.equal(await signUpRole(server, 'late@example.com'), 'user');
      } finally {
        await server.close();
      }
    });

    test('several people signing up at once on a fresh server: exactly one becomes the admin', async () => {
      const server = await startTestServer(kind);
      try {
        const roles = await Promise.all(
          Array.from({ length: 6 }, (_, index) => signUpRole(server, `racer${index}@example.com`)),
        );
        assert.equal(roles.filter((role) => role === 'admin').length, 1, roles.join(', '));
      } finally {
        await server.close();
      }
    });
  });
}
