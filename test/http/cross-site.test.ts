// A page of another site — a sibling subdomain too, whose requests still carry the session cookie — cannot act
// with a signed-in person's session: every request that changes something and is authenticated by the cookie
// alone must come from the app's own pages (Origin, else Referer). Reads need no such proof, and neither does a
// script with an API key.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createApiKey } from '../../src/auth/api-keys.ts';
import { seedModels } from '../../src/models/seed.ts';
import { testBackends } from '../support/database.ts';
import { type Person, signUp } from '../support/people.ts';
import { assertErrorBody, type RawRequest, sendRaw } from '../support/raw-request.ts';
import { startTestServer, TEST_PUBLIC_URL, TestClient, type TestServer } from '../support/server.ts';

process.env.AI_SDK_LOG_WARNINGS = 'false';

/** Same site as TEST_PUBLIC_URL (http://chorus.test), another origin: the cookie goes along, SameSite=Lax or not. */
const SIBLING = 'http://evil.chorus.test';
const CROSS_SITE = /must come from this app's own pages, not from http:\/\/evil\.chorus\.test/;

for (const kind of testBackends()) {
  describe(`requests from other sites on ${kind}`, () => {
    let server: TestServer;
    let owner: Person;
    let member: Person;

    before(async () => {
      server = await startTestServer(kind);
      await seedModels(server.runtime.database.db);
      await server.runtime.modelCache.refresh();
      owner = await signUp(server, 'Owner Olga');
      member = await signUp(server, 'Member Max');
    });
    after(() => server?.close());

    /** A group of the owner's, `member` in it, with an invitation link. */
    async function group() {
      const { store } = server.runtime;
      const conversation = await store.conversations.create({
        actor: owner.actor,
        title: 'Our group',
        modelIds: ['local:echo'],
      });
      await store.participants.add({
        actor: owner.actor,
        conversationId: conversation.id,
        userId: member.id,
        role: 'member',
      });
      const invite = await store.invites.create({ actor: owner.actor, conversationId: conversation.id });
      return { id: conversation.id, token: invite.token };
    }

    const from = (origin: string | null, person: Person, method: string, path: string, request: RawRequest = {}) =>
      sendRaw(server.baseUrl, person.client, method, path, {
        ...request,
        headers: { ...request.headers, ...(origin ? { origin } : {}) },
      });

    const isMember = async (conversationId: string, person: Person) =>
      (await server.runtime.store.participants.roleOf(conversationId, person.id)) !== undefined;

    test('a sibling site cannot make a signed-in person leave one group and join another', async () => {
      const left = await group();
      const joining = await group();
      const leaving = await from(SIBLING, member, 'POST', `/api/conversations/${left.id}/leave`);
      assert.equal(leaving.status, 403, leaving.text);
      assertErrorBody(leaving, 'leave');
      assert.equal(leaving.json.error.code, 'forbidden');
      assert.match(leaving.json.error.message, CROSS_SITE);
      assert.equal(await isMember(left.id, member), true, 'still in the group');

      const stranger = await signUp(server, `Stranger ${kind}`);
      const joined = await from(SIBLING, stranger, 'POST', `/api/invites/${joining.token}/accept`);
      assert.equal(joined.status, 403, joined.text);
      assert.equal(await isMember(joining.id, stranger), false, 'not made a member');

      // From the app itself, both work.
      assert.equal((await from(TEST_PUBLIC_URL, member, 'POST', `/api/conversations/${left.id}/leave`)).status, 204);
      assert.equal((await from(TEST_PUBLIC_URL, stranger, 'POST', `/api/invites/${joining.token}/accept`)).status, 200);
    });

    test("a sibling site cannot stop a person's replies, nor change or delete what is theirs", async () => {
      const { id } = await group();
      const stop = await from(SIBLING, owner, 'POST', `/api/chat/${id}/stop`);
      assert.equal(stop.status, 403, stop.text);
      const rename = await from(SIBLING, owner, 'PATCH', `/api/conversations/${id}`, {
        body: { title: 'Renamed elsewhere' },
      });
      assert.equal(rename.status, 403, rename.text);
      const removed = await from(SIBLING, owner, 'DELETE', `/api/conversations/${id}`);
      assert.equal(removed.status, 403, removed.text);
      const chat = await from(SIBLING, owner, 'POST', '/api/chat', {
        body: {
          id,
          message: { id: crypto.randomUUID(), role: 'user', parts: [{ type: 'text', text: 'hi' }] },
          modelIds: ['local:echo'],
        },
      });
      assert.equal(chat.status, 403, chat.text);
      const signOut = await from(SIBLING, owner, 'POST', '/api/auth/sign-out', { body: {} });
      assert.equal(signOut.status, 403, signOut.text);
      const { store } = server.runtime;
      const conversation = await store.conversations.get({ actor: owner.actor, id, level: 'read' });
      assert.equal(conversation.title, 'Our group');
      assert.equal(
        (await store.messages.page({ actor: owner.actor, conversationId: id })).items.length,
        0,
        'no message sent',
      );
    });

    test("without an Origin, the Referer says which page sent it: the app's own is let through, another's is not", async () => {
      const { id } = await group();
      const noOrigin = (referer: string | null) => {
        const headers: Record<string, string> = {
          cookie: [...owner.client.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
          'content-type': 'application/json',
        };
        if (referer) headers.referer = referer;
        return fetch(`${server.baseUrl}/api/conversations/${id}`, {
          method: 'PATCH',
          headers,
          body: JSON.stringify({ title: 'Renamed' }),
        });
      };
      assert.equal((await noOrigin(`${TEST_PUBLIC_URL}/c/${id}`)).status, 200);
      const elsewhere = await noOrigin(`${SIBLING}/some/page`);
      assert.equal(elsewhere.status, 403);
      assert.match(((await elsewhere.json()) as { error: { message: string } }).error.message, CROSS_SITE);
      const unknown = await noOrigin(null);
      assert.equal(unknown.status, 403);
      assert.match(
        ((await unknown.json()) as { error: { message: string } }).error.message,
        /must say which page sent it \(Origin or Referer\)/,
      );
    });

    test('reads need no proof of where they come from', async () => {
      const { id } = await group();
      const read = await from(SIBLING, owner, 'GET', `/api/conversations/${id}`);
      assert.equal(read.status, 200, read.text);
    });

    test('a script with an API key is no browser: its writes need no Origin, wherever it claims to be', async () => {
      const { id } = await group();
      const { key } = await createApiKey(server.runtime.store, { actor: owner.actor, name: 'script' });
      const renamed = await fetch(`${server.baseUrl}/api/conversations/${id}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${key}`, origin: SIBLING, 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'Renamed by a script' }),
      });
      assert.equal(renamed.status, 200);
      const bare = await fetch(`${server.baseUrl}/api/chat/${id}/stop`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}` },
      });
      assert.equal(bare.status, 200);
    });
  });

  describe(`requests from other sites on ${kind}, without PUBLIC_URL`, () => {
    let server: TestServer;
    before(async () => {
      // No PUBLIC_URL: the app is local on PORT (the test server listens elsewhere; only the names are compared).
      server = await startTestServer(kind, { PUBLIC_URL: '', PORT: '4321' });
    });
    after(() => server?.close());

    test('localhost and 127.0.0.1 at the port are both the app, other ports and hosts are not', async () => {
      const browser = new TestClient(server.baseUrl, { origin: 'http://localhost:4321' });
      const signedUp = await browser.post('/api/auth/sign-up/email', {
        email: `local-${kind}@example.test`,
        password: 'a long enough password',
        name: 'Local',
      });
      assert.equal(signedUp.status, 200, JSON.stringify(signedUp.body));
      const cookie = [...browser.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
      const createKey = (origin: string) =>
        fetch(`${server.baseUrl}/api/keys`, {
          method: 'POST',
          headers: { cookie, origin, 'content-type': 'application/json' },
          body: JSON.stringify({ name: origin }),
        });
      assert.equal((await createKey('http://localhost:4321')).status, 201);
      assert.equal((await createKey('http://127.0.0.1:4321')).status, 201);
      assert.equal((await createKey('http://localhost:4322')).status, 403);
      assert.equal((await createKey('http://example.test')).status, 403);
      assert.equal((await createKey('null')).status, 403);
    });
  });
}
