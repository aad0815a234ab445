// A guest who signs up, or signs in to an account they already have, from their guest session keeps everything
// they did as a guest: conversations, messages, memberships, votes, uploads and the day's usage move to the account
// in one transaction that also removes the guest; should it fail, they are still the guest and lose nothing.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { seedModels } from '../../src/models/seed.ts';
import { usageDayOf } from '../../src/store/daily-usage.ts';
import { readChat } from '../support/chat-stream.ts';
import { temporaryDirectory } from '../support/cli.ts';
import { testBackends } from '../support/database.ts';
import { type Person, signInAsGuest, signUp, TEST_PASSWORD } from '../support/people.ts';
import { solidPng } from '../support/png.ts';
import { startTestServer, type TestClient, type TestServer } from '../support/server.ts';

process.env.AI_SDK_LOG_WARNINGS = 'false';

const userMessage = (text: string) => ({ id: crypto.randomUUID(), role: 'user', parts: [{ type: 'text', text }] });

for (const kind of testBackends()) {
  describe(`guests who sign up or in on ${kind}`, () => {
    let server: TestServer;
    const dataDir = temporaryDirectory();
    let accounts = 0;

    before(async () => {
      server = await startTestServer(kind, { DATA_DIR: dataDir.path });
      await seedModels(server.runtime.database.db);
      await server.runtime.modelCache.refresh();
    });
    after(async () => {
      await server?.close();
      dataDir.remove();
    });

    /** Sends a message with the offline model; returns the conversation and the reply's id. */
    async function chat(client: TestClient, text: string, conversationId: string = crypto.randomUUID()) {
      const response = await client.open(
        'POST',
        '/api/chat',
        JSON.stringify({ id: conversationId, messages: [userMessage(text)], modelIds: ['local:echo'] }),
      );
      assert.equal(response.status, 200, await response.clone().text());
      const { message } = await readChat(response.body!);
      return { conversationId, replyId: message!.id };
    }

    async function upload(client: TestClient) {
      const form = new FormData();
      form.append('file', new Blob([solidPng(4, 4, [200, 30, 30])], { type: 'image/png' }), 'red.png');
      const cookie = [...client.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
      const response = await fetch(`${server.baseUrl}/api/files`, {
        method: 'POST',
        headers: { cookie, origin: 'http://chorus.test' },
        body: form,
      });
      assert.equal(response.status, 201);
      return ((await response.json()) as { id: string }).id;
    }

    const vote = (client: TestClient, conversationId: string, messageId: string, value: 'up' | 'down') =>
      client.request(
        'PUT',
        `/api/conversations/${conversationId}/messages/${messageId}/vote`,
        JSON.stringify({ value }),
      );

    const emailFor = (name: string) => `${name}-${kind}-${++accounts}@example.test`;

    const guestExists = async (id: string) =>
      server.runtime.store.users.getById(id).then(
        () => true,
        () => false,
      );

    async function conversationIds(client: TestClient): Promise<string[]> {
      const response = await client.get('/api/conversations?limit=100');
      assert.equal(response.status, 200);
      return response.body.items.map((item: { id: string }) => item.id).sort();
    }

    test('a guest who signs up keeps every conversation, message, vote and upload, and the day’s usage', async () => {
      const guest = await signInAsGuest(server);
      const first = await chat(guest.client, 'asked as a guest');
      const second = await chat(guest.client, 'asked again as a guest');
      assert.equal((await vote(guest.client, first.conversationId, first.replyId, 'up')).status, 200);
      const fileId = await upload(guest.client);
      const usedAsGuest = await server.runtime.store.dailyUsage.messagesOn({
        userId: guest.id,
        day: usageDayOf(new Date()),
      });

      const signedUp = await guest.client.post('/api/auth/sign-up/email', {
        email: emailFor('newcomer'),
        password: TEST_PASSWORD,
        name: 'Newcomer',
      });
      assert.equal(signedUp.status, 200, JSON.stringify(signedUp.body));
      const accountId = signedUp.body.user.id;
      const me = await guest.client.get('/api/me');
      assert.equal(me.body.id, accountId);
      assert.equal(me.body.isGuest, false);

      assert.deepEqual(await conversationIds(guest.client), [first.conversationId, second.conversationId].sort());
      const messages = await guest.client.get(`/api/conversations/${first.conversationId}/messages`);
      assert.equal(messages.status, 200, JSON.stringify(messages.body));
      const mine = messages.body.items.find((message: { role: string }) => message.role === 'user');
      assert.equal(mine.content, 'asked as a guest');
      assert.equal(mine.senderId, accountId);
      const votes = await guest.client.get(`/api/conversations/${first.conversationId}/votes`);
      assert.deepEqual(
        votes.body.votes.map((each: { messageId: string; value: string }) => [each.messageId, each.value]),
        [[first.replyId, 'up']],
      );
      assert.equal((await guest.client.open('GET', `/api/files/${fileId}`)).status, 200, 'the upload is the account’s');
      assert.equal(
        await server.runtime.store.dailyUsage.messagesOn({ userId: accountId, day: usageDayOf(new Date()) }),
        usedAsGuest,
      );
      assert.equal(await guestExists(guest.id), false, 'the guest is gone');
    });

    test('a guest who signs in to their account keeps their chats; where both took part, one membership with the stronger role and one vote per message', async () => {
      const owner = await signUp(server, `Owner ${kind} ${++accounts}`);
      const shared = await chat(owner.client, 'a question for everyone');
      const invite = await owner.client.post(`/api/conversations/${shared.conversationId}/invites`, { role: 'member' });
      assert.equal(invite.status, 201, JSON.stringify(invite.body));
      assert.equal((await vote(owner.client, shared.conversationId, shared.replyId, 'down')).status, 200);
      await owner.client.post('/api/auth/sign-out', {});

      const guest = await signInAsGuest(server);
      assert.equal((await guest.client.post(`/api/invites/${invite.body.token}/accept`)).status, 200);
      await chat(guest.client, 'the guest joins in', shared.conversationId);
      assert.equal((await vote(guest.client, shared.conversationId, shared.replyId, 'up')).status, 200);
      const own = await chat(guest.client, 'the guest’s own chat');

      const signedIn = await guest.client.post('/api/auth/sign-in/email', {
        email: owner.email,
        password: TEST_PASSWORD,
      });
      assert.equal(signedIn.status, 200, JSON.stringify(signedIn.body));
      assert.equal((await guest.client.get('/api/me')).body.id, owner.id);

      assert.deepEqual(await conversationIds(guest.client), [shared.conversationId, own.conversationId].sort());
      const participants = await guest.client.get(`/api/conversations/${shared.conversationId}/participants`);
      assert.deepEqual(
        participants.body.participants.map((participant: { userId: string; role: string }) => [
          participant.userId,
          participant.role,
        ]),
        [[owner.id, 'owner']],
      );
      const messages = await guest.client.get(`/api/conversations/${shared.conversationId}/messages`);
      const joinedIn = messages.body.items.find(
        (message: { content: string }) => message.content === 'the guest joins in',
      );
      assert.equal(joinedIn.senderId, owner.id);
      const votes = await guest.client.get(`/api/conversations/${shared.conversationId}/votes`);
      assert.deepEqual(
        votes.body.votes.map((each: { messageId: string; value: string }) => [each.messageId, each.value]),
        [[shared.replyId, 'up']],
        'the later vote stands',
      );
      assert.equal(await guestExists(guest.id), false);
    });

    test('when the move fails nothing is lost: the person is still the guest, and signing in again moves everything', async (t) => {
      t.mock.method(console, 'error', () => {});
      const db = server.runtime.database.db;
      const guest: Person = await signInAsGuest(server);
      const { conversationId } = await chat(guest.client, 'kept through a failure');
      // The database refuses to hand the guest's conversations over, once.
      await db.execute(
        sql.raw(`create function refuse_owner_change() returns trigger language plpgsql as $$
        begin raise exception 'refused by the test'; end $$`),
      );
      await db.execute(
        sql.raw(`create trigger refuse_owner_change before update of owner_id on conversations
        for each row execute function refuse_owner_change()`),
      );
      const email = emailFor('unlucky');
      try {
        const failed = await guest.client.post('/api/auth/sign-up/email', {
          email,
          password: TEST_PASSWORD,
          name: 'Unlucky',
        });
        assert.equal(failed.status, 503, JSON.stringify(failed.body));
        assert.equal(failed.body.error.code, 'unavailable');
        assert.match(failed.body.error.message, /still signed in as the guest/);
      } finally {
        await db.execute(sql.raw('drop trigger refuse_owner_change on conversations'));
        await db.execute(sql.raw('drop function refuse_owner_change'));
      }
      const me = await guest.client.get('/api/me');
      assert.equal(me.body.id, guest.id, 'still the guest');
      assert.equal((await guest.client.get(`/api/conversations/${conversationId}/messages`)).status, 200);

      const signedIn = await guest.client.post('/api/auth/sign-in/email', { email, password: TEST_PASSWORD });
      assert.equal(signedIn.status, 200, JSON.stringify(signedIn.body));
      assert.equal((await guest.client.get('/api/me')).body.isGuest, false);
      assert.deepEqual(await conversationIds(guest.client), [conversationId]);
      assert.equal(await guestExists(guest.id), false);
    });
  });
}
