// Limits on getting in, as a real server runs them whatever NODE_ENV says: sign-in attempts per client address and
// per account, sign-ups and guests per address; the client's address is the socket's peer unless
// CHORUS_TRUST_PROXY says whose X-Forwarded-For to believe.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { readEnvironment } from '../../src/config/env.ts';
import { authRateLimits } from '../../src/db/schema/index.ts';
import { startServer } from '../../src/http/server.ts';
import { openRuntime } from '../../src/runtime.ts';
import { createPostgresDatabase, testBackends } from '../support/database.ts';
import { TEST_PASSWORD } from '../support/people.ts';
import {
  DEFAULT_AUTH_LIMITS,
  startTestServer,
  TEST_PUBLIC_URL,
  TestClient,
  type TestServer,
} from '../support/server.ts';

/** A new browser posting with `headers` added (X-Forwarded-For, say, which only a trusted proxy may be believed on). */
/** These tests count attempts, most with a wrong password: failures may not slow them (failed-sign-ins.test.ts). */
const UNSLOWED = { CHORUS_SIGN_IN_FREE_FAILURES: '1000000' };

const clientFrom = (server: TestServer | string, headers: Record<string, string> = {}) => {
  const client = new TestClient(typeof server === 'string' ? server : server.baseUrl);
  return { post: (path: string, body: unknown) => client.request('POST', path, JSON.stringify(body), headers) };
};

const signIn = (server: TestServer | string, email: string, password: string, headers: Record<string, string> = {}) =>
  clientFrom(server, headers).post('/api/auth/sign-in/email', { email, password });

const signUp = (server: TestServer | string, email: string, headers: Record<string, string> = {}) =>
  clientFrom(server, headers).post('/api/auth/sign-up/email', {
    email,
    password: TEST_PASSWORD,
    name: email.split('@')[0],
  });

function assertRefused(response: { status: number; body: any }, what: string) {
  assert.equal(response.status, 429, `${what}: ${JSON.stringify(response.body)}`);
  assert.equal(response.body.error.code, 'rate_limited');
}

for (const kind of testBackends()) {
  describe(`limits on getting in, with the defaults, on ${kind}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(kind, { ...DEFAULT_AUTH_LIMITS, ...UNSLOWED });
    });
    after(() => server.close());

    test('the defaults: 10 sign-in attempts a minute per address and 10 per account, 10 sign-ups and 10 guests an hour per address', () => {
      const env = readEnvironment({});
      assert.equal(env.CHORUS_SIGN_IN_ATTEMPTS_PER_ADDRESS, 10);
      assert.equal(env.CHORUS_SIGN_IN_ATTEMPTS_PER_ACCOUNT, 10);
      assert.equal(env.CHORUS_SIGN_UPS_PER_ADDRESS, 10);
      assert.equal(env.CHORUS_GUESTS_PER_ADDRESS, 10);
      assert.equal(env.CHORUS_TRUST_PROXY, undefined);
    });

    test('after 10 sign-in attempts from one address even the right password is refused, whatever address the client claims', async () => {
      assert.equal((await signUp(server, 'owner@example.test')).status, 200);
      for (let attempt = 0; attempt < 10; attempt++) {
        // Other accounts each time: this is the limit per address, not per account.
        const wrong = await signIn(server, `nobody-${attempt}@example.test`, 'a wrong password', {
          'x-forwarded-for': `203.0.113.${attempt}`,
          'x-chorus-client-address': `198.51.100.${attempt}`,
        });
        assert.equal(wrong.status, 401, `attempt ${attempt + 1}: ${JSON.stringify(wrong.body)}`);
      }
      const right = await signIn(server, 'owner@example.test', TEST_PASSWORD, {
        'x-forwarded-for': '203.0.113.200',
        'x-chorus-client-address': '198.51.100.200',
      });
      assertRefused(right, 'the 11th attempt');
      assert.ok(Number(right.headers.get('retry-after')) > 0, 'says when to try again');
    });

    test('the counters are kept in the database, per address and route', async () => {
      const rows = await server.runtime.database.db.select().from(authRateLimits);
      const signIns = rows.find((row) => row.key === '127.0.0.1|/sign-in/email');
      assert.equal(signIns?.count, 10);
    });

    test('one address starts at most 10 guests an hour', async () => {
      for (let guest = 0; guest < 10; guest++) {
        const response = await clientFrom(server, { 'x-forwarded-for': `203.0.113.${guest}` }).post(
          '/api/auth/sign-in/anonymous',
          {},
        );
        assert.equal(response.status, 200, `guest ${guest + 1}: ${JSON.stringify(response.body)}`);
      }
      assertRefused(await clientFrom(server).post('/api/auth/sign-in/anonymous', {}), 'the 11th guest');
    });

    test('one address signs up at most 10 accounts an hour', async () => {
      // One was signed up above.
      for (let account = 1; account < 10; account++) {
        const response = await signUp(server, `account-${account}@example.test`);
        assert.equal(response.status, 200, `account ${account + 1}: ${JSON.stringify(response.body)}`);
      }
      assertRefused(await signUp(server, 'one-too-many@example.test'), 'the 11th sign-up');
    });
  });

  describe(`limits on getting in behind one trusted proxy (CHORUS_TRUST_PROXY=true) on ${kind}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(kind, { ...DEFAULT_AUTH_LIMITS, ...UNSLOWED, CHORUS_TRUST_PROXY: 'true' });
    });
    after(() => server.close());

    const from = (address: string) => ({ 'x-forwarded-for': `192.0.2.77, ${address}` });

    test('each client address the proxy reports has its own allowance; what the client wrote before it does not count', async () => {
      for (let attempt = 0; attempt < 10; attempt++) {
        const wrong = await signIn(server, `someone-${attempt}@example.test`, 'a wrong password', {
          'x-forwarded-for': `192.0.2.${attempt}, 203.0.113.1`,
        });
        assert.equal(wrong.status, 401, `attempt ${attempt + 1}`);
      }
      assertRefused(
        await signIn(server, 'someone@example.test', 'a wrong password', from('203.0.113.1')),
        'the 11th from 203.0.113.1',
      );
      assert.equal(
        (await signIn(server, 'someone@example.test', 'a wrong password', from('203.0.113.2'))).status,
        401,
        'another address',
      );
    });

    test('10 attempts at one account from as many addresses, then even the right password is refused', async () => {
      assert.equal((await signUp(server, 'target@example.test', from('203.0.113.50'))).status, 200);
      for (let attempt = 0; attempt < 10; attempt++) {
        const wrong = await signIn(server, 'Target@example.test', `guess ${attempt}`, from(`198.51.100.${attempt}`));
        assert.equal(wrong.status, 401, `guess ${attempt + 1}`);
      }
      const right = await signIn(server, 'target@example.test', TEST_PASSWORD, from('198.51.100.99'));
      assertRefused(right, 'the right password after 10 guesses');
      assert.match(right.body.error.message, /too many sign-in attempts for this account/);
      assert.ok(Number(right.headers.get('retry-after')) > 0, 'says when to try again');
    });

    test('a successful sign-in starts the account’s count afresh', async () => {
      assert.equal((await signUp(server, 'forgetful@example.test', from('203.0.113.60'))).status, 200);
      for (let attempt = 0; attempt < 9; attempt++) {
        assert.equal(
          (await signIn(server, 'forgetful@example.test', `typo ${attempt}`, from(`198.51.100.${100 + attempt}`)))
            .status,
          401,
        );
      }
      assert.equal((await signIn(server, 'forgetful@example.test', TEST_PASSWORD, from('203.0.113.61'))).status, 200);
      for (let attempt = 0; attempt < 9; attempt++) {
        assert.equal(
          (await signIn(server, 'forgetful@example.test', `typo again ${attempt}`, from(`198.51.100.${120 + attempt}`)))
            .status,
          401,
        );
      }
      assert.equal((await signIn(server, 'forgetful@example.test', TEST_PASSWORD, from('203.0.113.62'))).status, 200);
    });
  });

  describe(`limits on getting in behind listed proxies on ${kind}`, () => {
    let server: TestServer;
    before(async () => {
      // The test's requests come from 127.0.0.1: it stands for the proxy.
      server = await startTestServer(kind, {
        ...DEFAULT_AUTH_LIMITS,
        ...UNSLOWED,
        CHORUS_TRUST_PROXY: '10.0.0.0/8, 127.0.0.1',
      });
    });
    after(() => server.close());

    test('the client is the nearest address that is no listed proxy; addresses a client wrote further back are not believed', async () => {
      for (let attempt = 0; attempt < 10; attempt++) {
        const wrong = await signIn(server, `someone-${attempt}@example.test`, 'a wrong password', {
          'x-forwarded-for': `192.0.2.${attempt}, 203.0.113.9, 10.1.2.3`,
        });
        assert.equal(wrong.status, 401, `attempt ${attempt + 1}`);
      }
      const again = await signIn(server, 'someone@example.test', 'a wrong password', {
        'x-forwarded-for': '192.0.2.200, 203.0.113.9, 10.9.9.9',
      });
      assertRefused(again, 'the 11th from 203.0.113.9');
    });
  });
}

describe('limits on getting in across server processes on one PostgreSQL', {
  skip: !process.env.TEST_DATABASE_URL && 'needs TEST_DATABASE_URL',
}, () => {
  let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
  const servers: { baseUrl: string; close(): Promise<void> }[] = [];
  before(async () => {
    database = await createPostgresDatabase();
    const env = readEnvironment({
      DATABASE_URL: database.url,
      PUBLIC_URL: TEST_PUBLIC_URL,
      BETTER_AUTH_SECRET: 'x'.repeat(40),
      ...UNSLOWED,
    });
    for (let index = 0; index < 2; index++) {
      const runtime = await openRuntime(env, { seedIfEmpty: false, registerDeclaredModels: false });
      const server = await startServer(runtime, 0);
      servers.push({
        baseUrl: `http://127.0.0.1:${server.port}`,
        close: async () => {
          await server.close();
          await runtime.close();
        },
      });
    }
  });
  after(async () => {
    for (const server of servers) await server.close();
    await database?.drop();
  });

  test('attempts on either process count against one allowance', async () => {
    for (let attempt = 0; attempt < 10; attempt++) {
      const wrong = await signIn(servers[attempt % 2]!.baseUrl, `nobody-${attempt}@example.test`, 'a wrong password');
      assert.equal(wrong.status, 401, `attempt ${attempt + 1}`);
    }
    assertRefused(
      await signIn(servers[0]!.baseUrl, 'nobody@example.test', 'a wrong password'),
      'the 11th, on the first process',
    );
    assertRefused(
      await signIn(servers[1]!.baseUrl, 'nobody@example.test', 'a wrong password'),
      'the 12th, on the second',
    );
  });
});
