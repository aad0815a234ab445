// Single sign-on with an OpenID Connect provider (a real one, on 127.0.0.1): someone new gets an account, the next
// sign-in reuses it, an account with the same email is signed in to only when the provider verified that email, a
// guest keeps their conversations, and CHORUS_PASSWORD_LOGIN=false leaves single sign-on the only way in.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { readEnvironment } from '../../src/config/env.ts';
import { authAccounts } from '../../src/db/schema/index.ts';
import { seedModels } from '../../src/models/seed.ts';
import { readChat } from '../support/chat-stream.ts';
import { testBackends } from '../support/database.ts';
import { type OpenIdProviderServer, startOpenIdProvider } from '../support/openid-provider.ts';
import { signInAsGuest, signUp, TEST_PASSWORD } from '../support/people.ts';
import { startTestServer, TEST_PUBLIC_URL, TestClient, type TestServer } from '../support/server.ts';

process.env.AI_SDK_LOG_WARNINGS = 'false';

/** The cookies of a jar, as a Cookie header. */
const cookieHeader = (cookies: Map<string, string>) =>
  [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');

/**
 * Signs `client` in with the provider as `login`, the way a browser goes: Chorus sends it to the provider, whose
 * login page it fills in, and the provider sends it back to Chorus's callback. Answers the callback's redirect.
 */
async function signInWithProvider(server: TestServer, client: TestClient, login: string) {
  const started = await client.post('/api/auth/sign-in/social', { provider: 'oidc', callbackURL: '/chats' });
  assert.equal(started.status, 200, JSON.stringify(started.body));
  const atProvider = new TestClient('', { origin: undefined });
  let url = new URL(started.body.url as string);
  while (url.origin !== TEST_PUBLIC_URL) {
    const loginPage = /^\/interaction\/[^/]+$/.test(url.pathname);
    const response = await fetch(loginPage ? `${url.href}/login` : url, {
      method: loginPage ? 'POST' : 'GET',
      redirect: 'manual',
      headers: { cookie: cookieHeader(atProvider.cookies), 'content-type': 'application/x-www-form-urlencoded' },
      body: loginPage ? new URLSearchParams({ login }) : undefined,
    });
    atProvider.keepCookies(response.headers.getSetCookie());
    const location = response.headers.get('location');
    assert.ok(location, `the provider answered ${response.status} to ${url}: ${await response.text()}`);
    url = new URL(location, url);
  }
  // The browser follows the provider's redirect to Chorus: here Chorus is reached at its test address.
  const callback = await fetch(`${server.baseUrl}${url.pathname}${url.search}`, {
    redirect: 'manual',
    headers: { cookie: cookieHeader(client.cookies) },
  });
  client.keepCookies(callback.headers.getSetCookie());
  return { status: callback.status, location: callback.headers.get('location') ?? '' };
}

for (const kind of testBackends()) {
  describe(`single sign-on on ${kind}`, () => {
    let provider: OpenIdProviderServer;
    let server: TestServer;

    before(async () => {
      provider = await startOpenIdProvider(TEST_PUBLIC_URL);
      server = await startTestServer(kind, provider.env);
      await seedModels(server.runtime.database.db);
      await server.runtime.modelCache.refresh();
    });
    after(async () => {
      await server?.close();
      await provider?.close();
    });

    const me = async (client: TestClient) => (await client.get('/api/me')).body;
    const accountsOf = async (userId: string) =>
      server.runtime.store.db.select().from(authAccounts).where(eq(authAccounts.userId, userId));

    test('the sign-in screen is told single sign-on is offered, with its label', async () => {
      const options = await new TestClient(server.baseUrl).get('/api/auth-options');
      assert.deepEqual(options.body, { passwordSignIn: true, singleSignOn: { label: 'Sign in with SSO' } });
    });

    test('signing in with the provider creates an account, and signing in again reuses it', async () => {
      const first = new TestClient(server.baseUrl);
      const answer = await signInWithProvider(server, first, 'robin@example.test');
      assert.equal(answer.status, 302);
      assert.equal(new URL(answer.location, TEST_PUBLIC_URL).pathname, '/chats');
      const robin = await me(first);
      assert.equal(robin.email, 'robin@example.test');
      assert.equal(robin.isGuest, false);

      const second = new TestClient(server.baseUrl);
      await signInWithProvider(server, second, 'robin@example.test');
      assert.equal((await me(second)).id, robin.id);
      assert.deepEqual(
        (await accountsOf(robin.id)).map((account) => account.providerId),
        ['oidc'],
      );
    });

    test('an account with the email the provider verified is signed in to, and keeps its password', async () => {
      const pat = await signUp(server, 'Pat');
      const client = new TestClient(server.baseUrl);
      await signInWithProvider(server, client, pat.email!);
      assert.equal((await me(client)).id, pat.id);
      assert.deepEqual((await accountsOf(pat.id)).map((account) => account.providerId).sort(), ['credential', 'oidc']);
      const withPassword = await new TestClient(server.baseUrl).post('/api/auth/sign-in/email', {
        email: pat.email,
        password: TEST_PASSWORD,
      });
      assert.equal(withPassword.status, 200);
    });

    test('an account is not signed in to with an email the provider has not verified', async () => {
      const una = await signUp(server, 'Una');
      provider.unverifiedEmails.add(una.email!);
      const client = new TestClient(server.baseUrl);
      const answer = await signInWithProvider(server, client, una.email!);
      assert.match(answer.location, /error=account_not_linked/);
      assert.equal((await client.get('/api/me')).status, 401);
      assert.deepEqual(
        (await accountsOf(una.id)).map((account) => account.providerId),
        ['credential'],
      );
    });

    test('a deactivated account gets no session through the provider', async () => {
      const client = new TestClient(server.baseUrl);
      await signInWithProvider(server, client, 'dora@example.test');
      const dora = await me(client);
      await server.runtime.store.userAdministration.change(dora.id, { isActive: false });
      const again = new TestClient(server.baseUrl);
      const answer = await signInWithProvider(server, again, 'dora@example.test');
      assert.equal(answer.location, '/?error=account_deactivated');
      assert.equal((await again.get('/api/me')).status, 401);
      // Nor does a guest's data move to it.
      const guest = await signInAsGuest(server);
      await signInWithProvider(server, guest.client, 'dora@example.test');
      assert.equal((await server.runtime.store.users.getById(guest.id)).isGuest, true);
    });

    test('a guest who signs in with the provider keeps their conversation', async () => {
      const guest = await signInAsGuest(server);
      const conversationId = crypto.randomUUID();
      const message = { id: crypto.randomUUID(), role: 'user', parts: [{ type: 'text', text: 'kept through SSO' }] };
      const chat = await guest.client.open(
        'POST',
        '/api/chat',
        JSON.stringify({ id: conversationId, messages: [message], modelIds: ['local:echo'] }),
      );
      assert.equal(chat.status, 200);
      await readChat(chat.body!);

      await signInWithProvider(server, guest.client, 'sam@example.test');
      const sam = await me(guest.client);
      assert.equal(sam.email, 'sam@example.test');
      const list = await guest.client.get('/api/conversations?limit=100');
      assert.deepEqual(
        list.body.items.map((item: { id: string }) => item.id),
        [conversationId],
      );
      await assert.rejects(server.runtime.store.users.getById(guest.id));
    });
  });

  describe(`without passwords on ${kind}`, () => {
    let provider: OpenIdProviderServer;
    let server: TestServer;

    before(async () => {
      provider = await startOpenIdProvider(TEST_PUBLIC_URL);
      server = await startTestServer(kind, { ...provider.env, CHORUS_PASSWORD_LOGIN: 'false' });
    });
    after(async () => {
      await server?.close();
      await provider?.close();
    });

    test('signing in or up with an email and password is refused, saying why; single sign-on works', async () => {
      const client = new TestClient(server.baseUrl);
      const options = await client.get('/api/auth-options');
      assert.equal(options.body.passwordSignIn, false);
      for (const path of ['/api/auth/sign-in/email', '/api/auth/sign-up/email']) {
        const refused = await client.post(path, { email: 'lee@example.test', password: TEST_PASSWORD, name: 'Lee' });
        assert.equal(refused.status, 403, path);
        assert.equal(refused.body.error.code, 'forbidden');
        assert.equal(refused.body.error.details.reason, 'PASSWORD_SIGN_IN_DISABLED');
        assert.match(refused.body.error.message, /single sign-on/);
      }
      await signInWithProvider(server, client, 'lee@example.test');
      assert.equal((await me(client)).email, 'lee@example.test');
    });

    const me = async (client: TestClient) => (await client.get('/api/me')).body;
  });
}

describe('single sign-on settings', () => {
  test('the provider settings come together, and passwords are turned off only with them', () => {
    assert.throws(() => readEnvironment({ OIDC_ISSUER: 'https://id.example.test' }), /OIDC_CLIENT_ID: must be set/);
    assert.throws(() => readEnvironment({ CHORUS_PASSWORD_LOGIN: 'false' }), /CHORUS_PASSWORD_LOGIN/);
    assert.throws(
      () => readEnvironment({ CHORUS_PASSWORD_LOGIN: 'no' }),
      /CHORUS_PASSWORD_LOGIN: must be true or false/,
    );
    const env = readEnvironment({
      OIDC_ISSUER: 'https://id.example.test',
      OIDC_CLIENT_ID: 'chorus',
      OIDC_CLIENT_SECRET: 'secret',
      CHORUS_PASSWORD_LOGIN: 'false',
    });
    assert.equal(env.CHORUS_PASSWORD_LOGIN, false);
    assert.equal(env.OIDC_BUTTON_LABEL, 'Sign in with SSO');
  });
});
