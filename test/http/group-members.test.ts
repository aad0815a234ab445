// The people of a group conversation over real HTTP: invitation links (accepting, expiry, use limits, revoking),
// who may see and do what (outsiders get 404 everywhere, members 403 for managing), removing people, leaving and
// handing ownership on.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { conversationInvites } from '../../src/db/schema/index.ts';
import { seedModels } from '../../src/models/seed.ts';
import { actorOf } from '../../src/store/index.ts';
import { readChat } from '../support/chat-stream.ts';
import { testBackends } from '../support/database.ts';
import { startTestServer, TEST_PUBLIC_URL, TestClient, type TestServer } from '../support/server.ts';

process.env.AI_SDK_LOG_WARNINGS = 'false';

const PASSWORD = 'a long enough password';

type Person = { id: string; name: string; client: TestClient };

for (const kind of testBackends()) {
  describe(`people of a group conversation over HTTP on ${kind}`, () => {
    let server: TestServer;
    let people = 0;

    before(async () => {
      server = await startTestServer(kind);
      await seedModels(server.runtime.database.db);
      await server.runtime.modelCache.refresh();
    });
    after(() => server?.close());

    const signUp = async (role: string): Promise<Person> => {
      const name = `${role} ${++people}`;
      const client = new TestClient(server.baseUrl);
      const email = `${role}-${people}-${kind}@example.test`;
      const response = await client.post('/api/auth/sign-up/email', { email, password: PASSWORD, name });
      assert.equal(response.status, 200, JSON.stringify(response.body));
      return { id: response.body.user.id, name, client };
    };

    const send = (person: Person, method: string, path: string, body?: unknown) =>
      person.client.request(method, path, body === undefined ? undefined : JSON.stringify(body));

    const newConversation = async (owner: Person, visibility: 'private' | 'public' = 'private') => {
      const store = server.runtime.store;
      const actor = actorOf(await store.users.getById(owner.id));
      const conversation = await store.conversations.create({ actor, title: 'Our group', visibility });
      return conversation.id;
    };

    const invite = async (person: Person, conversationId: string, body?: unknown) => {
      const response = await send(person, 'POST', `/api/conversations/${conversationId}/invites`, body);
      assert.equal(response.status, 201, JSON.stringify(response.body));
      return response.body;
    };

    const accept = (person: Person, token: string) => person.client.post(`/api/invites/${token}/accept`);

    /** A conversation with its owner and people who joined it by invitation, each with the role given. */
    const group = async (roles: { admins?: number; members?: number } = {}) => {
      const owner = await signUp('owner');
      const id = await newConversation(owner);
      const join = async (role: 'admin' | 'member') => {
        const person = await signUp(role);
        const { token } = await invite(owner, id, { role, maxUses: 1 });
        assert.equal((await accept(person, token)).status, 200);
        return person;
      };
      const admins = [];
      for (let index = 0; index < (roles.admins ?? 0); index++) admins.push(await join('admin'));
      const members = [];
      for (let index = 0; index < (roles.members ?? 1); index++) members.push(await join('member'));
      return { id, owner, admins, members };
    };

    const rolesIn = async (person: Person, conversationId: string) => {
      const response = await person.client.get(`/api/conversations/${conversationId}/participants`);
      assert.equal(response.status, 200, JSON.stringify(response.body));
      return Object.fromEntries(
        response.body.participants.map((participant: { userId: string; role: string }) => [
          participant.userId,
          participant.role,
        ]),
      );
    };

    /** One chat turn with the offline model in an existing conversation, read to its end. */
    const post = async (person: Person, conversationId: string, text: string) => {
      const response = await person.client.open(
        'POST',
        '/api/chat',
        JSON.stringify({
          id: conversationId,
          messages: [{ id: crypto.randomUUID(), role: 'user', parts: [{ type: 'text', text }] }],
          modelIds: ['local:echo'],
        }),
      );
      return { status: response.status, chat: response.ok ? await readChat(response.body!) : await response.text() };
    };

    test('someone given an invitation link joins, reads the conversation and posts to it', async () => {
      const owner = await signUp('owner');
      const friend = await signUp('friend');
      const id = await newConversation(owner);
      assert.equal((await friend.client.get(`/api/conversations/${id}`)).status, 404);

      const created = await invite(owner, id, { maxUses: 5, expiresInHours: 48 });
      assert.equal(created.url, `${TEST_PUBLIC_URL}/invite/${created.token}`);
      assert.equal(created.maxUses, 5);
      assert.equal(created.useCount, 0);
      assert.equal(created.role, 'member');
      const hoursLeft = (Date.parse(created.expiresAt) - Date.now()) / 3_600_000;
      assert.ok(hoursLeft > 47.9 && hoursLeft <= 48, `expires in ${hoursLeft} hours`);

      const accepted = await accept(friend, created.token);
      assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
      assert.equal(accepted.body.joined, true);
      assert.equal(accepted.body.conversation.id, id);
      assert.equal(accepted.body.conversation.role, 'member');

      const conversation = await friend.client.get(`/api/conversations/${id}`);
      assert.equal(conversation.status, 200);
      assert.equal(conversation.body.role, 'member');
      const posted = await post(friend, id, 'hello everyone');
      assert.equal(posted.status, 200, String(posted.chat));

      const page = await owner.client.get(`/api/conversations/${id}/messages`);
      const [reply, question] = page.body.items;
      assert.equal(question.senderId, friend.id);
      assert.equal(question.content, 'hello everyone');
      assert.equal(reply.modelId, 'local:echo');
      assert.equal(reply.parentId, question.id);

      // Accepting again changes nothing and takes no second use of the link.
      const again = await accept(friend, created.token);
      assert.equal(again.status, 200);
      assert.equal(again.body.joined, false);
      const invites = await owner.client.get(`/api/conversations/${id}/invites`);
      assert.equal(invites.status, 200);
      assert.deepEqual(
        invites.body.invites.map((row: { id: string; useCount: number }) => [row.id, row.useCount]),
        [[created.id, 1]],
      );
      assert.deepEqual(await rolesIn(owner, id), { [owner.id]: 'owner', [friend.id]: 'member' });
    });

    test('the people list shows names, avatars, roles and when each joined, earliest first', async () => {
      const { id, owner, members } = await group({ members: 1 });
      const response = await members[0]!.client.get(`/api/conversations/${id}/participants`);
      assert.equal(response.status, 200);
      const [first, second] = response.body.participants;
      assert.deepEqual(Object.keys(first).sort(), [
        'avatarUrl',
        'displayName',
        'joinedAt',
        'role',
        'userId',
        'username',
      ]);
      assert.deepEqual([first.userId, first.role, first.displayName], [owner.id, 'owner', owner.name]);
      assert.deepEqual([second.userId, second.role, second.displayName], [members[0]!.id, 'member', members[0]!.name]);
      assert.equal(typeof first.username, 'string');
      assert.ok(Date.parse(first.joinedAt) <= Date.parse(second.joinedAt));
    });

    test('an invitation with no body is for members, lasts a week and may be used any number of times', async () => {
      const owner = await signUp('owner');
      const id = await newConversation(owner);
      const response = await owner.client.post(`/api/conversations/${id}/invites`);
      assert.equal(response.status, 201, JSON.stringify(response.body));
      assert.equal(response.body.role, 'member');
      assert.equal(response.body.maxUses, null);
      const days = (Date.parse(response.body.expiresAt) - Date.now()) / 86_400_000;
      assert.ok(days > 6.99 && days <= 7, `expires in ${days} days`);
      const forever = await invite(owner, id, { expiresInHours: null });
      assert.equal(forever.expiresAt, null);
    });

    test('an expired invitation is refused with 409 and says why; nobody joins', async () => {
      const owner = await signUp('owner');
      const late = await signUp('late');
      const id = await newConversation(owner);
      const created = await invite(owner, id, { expiresInHours: 1 });
      await server.runtime.database.db
        .update(conversationInvites)
        .set({ expiresAt: new Date(Date.now() - 1_000) })
        .where(eq(conversationInvites.id, created.id));
      const refused = await accept(late, created.token);
      assert.equal(refused.status, 409);
      assert.equal(refused.body.error.code, 'conflict');
      assert.equal(refused.body.error.details.reason, 'expired');
      assert.match(refused.body.error.message, /expired/);
      assert.equal((await late.client.get(`/api/conversations/${id}`)).status, 404);
      // Someone already in it still gets it back from the old link.
      const owners = await accept(owner, created.token);
      assert.deepEqual([owners.status, owners.body.joined], [200, false]);
    });

    test('an invitation admits as many people as it allows, then answers 409 used_up', async () => {
      const owner = await signUp('owner');
      const id = await newConversation(owner);
      const { token } = await invite(owner, id, { maxUses: 2 });
      const [first, second, third] = [await signUp('first'), await signUp('second'), await signUp('third')];
      assert.equal((await accept(first, token)).status, 200);
      assert.equal((await accept(second, token)).status, 200);
      const refused = await accept(third, token);
      assert.equal(refused.status, 409);
      assert.equal(refused.body.error.details.reason, 'used_up');
      assert.equal((await third.client.get(`/api/conversations/${id}`)).status, 404);
      // Accepting again is idempotent for those already in, even once the link is used up.
      const repeat = await accept(first, token);
      assert.deepEqual([repeat.status, repeat.body.joined], [200, false]);
    });

    test('a revoked invitation is refused with 409 revoked; an unknown token is 404', async () => {
      const { id, owner, admins } = await group({ admins: 1, members: 0 });
      const created = await invite(owner, id);
      const revoked = await send(admins[0]!, 'DELETE', `/api/conversations/${id}/invites/${created.id}`);
      assert.equal(revoked.status, 204);
      assert.equal((await send(owner, 'DELETE', `/api/conversations/${id}/invites/${created.id}`)).status, 204);
      const newcomer = await signUp('newcomer');
      const refused = await accept(newcomer, created.token);
      assert.equal(refused.status, 409);
      assert.equal(refused.body.error.details.reason, 'revoked');
      const listed = await owner.client.get(`/api/conversations/${id}/invites`);
      assert.ok(listed.body.invites[0].revokedAt);
      const unknown = await accept(newcomer, 'no-such-token');
      assert.equal(unknown.status, 404);
      // An invitation is revoked only through its own conversation.
      const elsewhere = await newConversation(owner);
      const other = await invite(owner, elsewhere);
      assert.equal((await send(owner, 'DELETE', `/api/conversations/${id}/invites/${other.id}`)).status, 404);
      assert.equal((await accept(newcomer, other.token)).status, 200);
    });

    test('an admin invites members, but only the owner hands out invitations that make admins', async () => {
      const { id, owner, admins } = await group({ admins: 1, members: 0 });
      const admin = admins[0]!;
      assert.equal((await invite(admin, id)).role, 'member');
      const refused = await send(admin, 'POST', `/api/conversations/${id}/invites`, { role: 'admin' });
      assert.equal(refused.status, 403);
      assert.equal(refused.body.error.code, 'forbidden');
      const promoted = await signUp('promoted');
      const { token } = await invite(owner, id, { role: 'admin' });
      assert.equal((await accept(promoted, token)).body.conversation.role, 'admin');
    });

    test('someone outside a private conversation gets 404 on every one of its routes', async () => {
      const { id, owner, members } = await group({ members: 1 });
      const { id: inviteId } = await invite(owner, id);
      const stranger = await signUp('stranger');
      const member = members[0]!;
      const model = encodeURIComponent('local:echo');
      const calls: [string, string, unknown?][] = [
        ['GET', `/api/conversations/${id}`],
        ['GET', `/api/conversations/${id}/participants`],
        ['PATCH', `/api/conversations/${id}/participants/${member.id}`, { role: 'admin' }],
        ['DELETE', `/api/conversations/${id}/participants/${member.id}`],
        ['POST', `/api/conversations/${id}/leave`],
        ['POST', `/api/conversations/${id}/transfer`, { userId: stranger.id }],
        ['GET', `/api/conversations/${id}/invites`],
        ['POST', `/api/conversations/${id}/invites`, {}],
        ['POST', `/api/conversations/${id}/invites`, { role: 'admin' }],
        ['DELETE', `/api/conversations/${id}/invites/${inviteId}`],
        ['GET', `/api/conversations/${id}/models`],
        ['POST', `/api/conversations/${id}/models`, { modelId: 'local:echo' }],
        ['POST', `/api/conversations/${id}/models`, { modelId: 'nobody:knows-this-one' }],
        ['PATCH', `/api/conversations/${id}/models/${model}`, { isActive: false }],
        ['DELETE', `/api/conversations/${id}/models/${model}`],
        ['PUT', `/api/conversations/${id}/models/order`, { modelIds: [] }],
      ];
      for (const [method, path, body] of calls) {
        const response = await send(stranger, method, path, body);
        assert.equal(response.status, 404, `${method} ${path}: ${JSON.stringify(response.body)}`);
        assert.equal(response.body.error.code, 'not_found');
      }
      assert.deepEqual(await rolesIn(owner, id), { [owner.id]: 'owner', [member.id]: 'member' });
    });

    test('a member reads models and people but is refused (403) managing models, invitations and people', async () => {
      const { id, owner, members } = await group({ members: 2 });
      const [member, otherMember] = [members[0]!, members[1]!];
      const model = encodeURIComponent('local:echo');
      assert.equal(
        (await send(owner, 'POST', `/api/conversations/${id}/models`, { modelId: 'local:echo' })).status,
        201,
      );
      assert.equal((await member.client.get(`/api/conversations/${id}/models`)).status, 200);
      assert.equal((await member.client.get(`/api/conversations/${id}/participants`)).status, 200);
      const { id: inviteId } = await invite(owner, id);
      const calls: [string, string, unknown?][] = [
        ['POST', `/api/conversations/${id}/models`, { modelId: 'local:echo' }],
        ['PATCH', `/api/conversations/${id}/models/${model}`, { isActive: false }],
        ['DELETE', `/api/conversations/${id}/models/${model}`],
        ['PUT', `/api/conversations/${id}/models/order`, { modelIds: ['local:echo'] }],
        ['GET', `/api/conversations/${id}/invites`],
        ['POST', `/api/conversations/${id}/invites`, {}],
        ['DELETE', `/api/conversations/${id}/invites/${inviteId}`],
        ['DELETE', `/api/conversations/${id}/participants/${otherMember.id}`],
        ['PATCH', `/api/conversations/${id}/participants/${member.id}`, { role: 'admin' }],
        ['POST', `/api/conversations/${id}/transfer`, { userId: member.id }],
      ];
      for (const [method, path, body] of calls) {
        const response = await send(member, method, path, body);
        assert.equal(response.status, 403, `${method} ${path}: ${JSON.stringify(response.body)}`);
        assert.equal(response.body.error.code, 'forbidden');
      }
      assert.deepEqual(await rolesIn(owner, id), {
        [owner.id]: 'owner',
        [member.id]: 'member',
        [otherMember.id]: 'member',
      });
    });

    test('someone removed no longer finds the conversation; an admin cannot remove the owner', async () => {
      const { id, owner, admins, members } = await group({ admins: 1, members: 2 });
      const [admin, member, otherMember] = [admins[0]!, members[0]!, members[1]!];
      assert.equal((await send(admin, 'DELETE', `/api/conversations/${id}/participants/${member.id}`)).status, 204);
      for (const path of [
        `/api/conversations/${id}`,
        `/api/conversations/${id}/messages`,
        `/api/conversations/${id}/participants`,
      ]) {
        assert.equal((await member.client.get(path)).status, 404, path);
      }
      assert.equal((await post(member, id, 'am I still here?')).status, 404);
      const listed = await member.client.get('/api/conversations');
      assert.ok(!listed.body.items.some((item: { id: string }) => item.id === id));

      const ownerRemoval = await send(admin, 'DELETE', `/api/conversations/${id}/participants/${owner.id}`);
      assert.equal(ownerRemoval.status, 403);
      assert.match(ownerRemoval.body.error.message, /owner/);
      assert.equal((await send(owner, 'DELETE', `/api/conversations/${id}/participants/${member.id}`)).status, 404);
      assert.equal(
        (await send(owner, 'DELETE', `/api/conversations/${id}/participants/${otherMember.id}`)).status,
        204,
      );
      assert.deepEqual(await rolesIn(owner, id), { [owner.id]: 'owner', [admin.id]: 'admin' });
    });

    test('a member leaves; the owner must transfer ownership first (409)', async () => {
      const { id, owner, members } = await group({ members: 1 });
      const member = members[0]!;
      assert.equal((await member.client.post(`/api/conversations/${id}/leave`)).status, 204);
      assert.equal((await member.client.get(`/api/conversations/${id}`)).status, 404);
      assert.equal((await member.client.post(`/api/conversations/${id}/leave`)).status, 404);

      const ownerLeaving = await owner.client.post(`/api/conversations/${id}/leave`);
      assert.equal(ownerLeaving.status, 409);
      assert.equal(ownerLeaving.body.error.code, 'conflict');
      assert.match(ownerLeaving.body.error.message, /transfer ownership/);
      assert.equal((await owner.client.get(`/api/conversations/${id}`)).status, 200);
    });

    test('a reader of a public conversation who never joined has nothing to leave (403)', async () => {
      const owner = await signUp('owner');
      const passerBy = await signUp('passer-by');
      const id = await newConversation(owner, 'public');
      assert.equal((await passerBy.client.get(`/api/conversations/${id}/participants`)).status, 200);
      const response = await passerBy.client.post(`/api/conversations/${id}/leave`);
      assert.equal(response.status, 403);
    });

    test('the owner hands ownership to a participant, stays on as an admin and may then leave', async () => {
      const { id, owner, admins, members } = await group({ admins: 1, members: 1 });
      const [admin, heir] = [admins[0]!, members[0]!];
      const outsider = await signUp('outsider');
      const byAdmin = await send(admin, 'POST', `/api/conversations/${id}/transfer`, { userId: admin.id });
      assert.equal(byAdmin.status, 403);
      const toOutsider = await send(owner, 'POST', `/api/conversations/${id}/transfer`, { userId: outsider.id });
      assert.equal(toOutsider.status, 400);
      assert.match(toOutsider.body.error.message, /already in the conversation/);

      const transferred = await send(owner, 'POST', `/api/conversations/${id}/transfer`, { userId: heir.id });
      assert.equal(transferred.status, 200, JSON.stringify(transferred.body));
      const roles = Object.fromEntries(
        transferred.body.participants.map((person: { userId: string; role: string }) => [person.userId, person.role]),
      );
      assert.deepEqual(roles, { [owner.id]: 'admin', [admin.id]: 'admin', [heir.id]: 'owner' });
      assert.equal((await heir.client.get(`/api/conversations/${id}`)).body.ownerId, heir.id);
      // The former owner is an admin now: no more transfers, but free to go.
      assert.equal((await send(owner, 'POST', `/api/conversations/${id}/transfer`, { userId: owner.id })).status, 403);
      assert.equal((await owner.client.post(`/api/conversations/${id}/leave`)).status, 204);
      assert.equal((await heir.client.post(`/api/conversations/${id}/leave`)).status, 409);
    });

    test('only the owner gives roles, and the owner role only moves by transfer', async () => {
      const { id, owner, admins, members } = await group({ admins: 1, members: 2 });
      const [admin, member, otherMember] = [admins[0]!, members[0]!, members[1]!];
      const path = (userId: string) => `/api/conversations/${id}/participants/${userId}`;
      const promoted = await send(owner, 'PATCH', path(member.id), { role: 'admin' });
      assert.equal(promoted.status, 200, JSON.stringify(promoted.body));
      assert.deepEqual(
        [promoted.body.userId, promoted.body.role, promoted.body.displayName],
        [member.id, 'admin', member.name],
      );
      const byAdmin = await send(admin, 'PATCH', path(otherMember.id), { role: 'admin' });
      assert.equal(byAdmin.status, 403);
      assert.match(byAdmin.body.error.message, /owner/);
      assert.equal((await send(owner, 'PATCH', path(owner.id), { role: 'member' })).status, 403);
      assert.equal((await send(owner, 'PATCH', path(admin.id), { role: 'member' })).status, 200);
      assert.equal((await send(owner, 'PATCH', path(member.id), { role: 'owner' })).status, 400);
      assert.equal((await send(owner, 'PATCH', path((await signUp('outsider')).id), { role: 'admin' })).status, 404);
      assert.deepEqual(await rolesIn(owner, id), {
        [owner.id]: 'owner',
        [admin.id]: 'member',
        [member.id]: 'admin',
        [otherMember.id]: 'member',
      });
    });

    test('bad input is refused with 400 naming what is wrong', async () => {
      const { id, owner, members } = await group({ members: 1 });
      const invites = `/api/conversations/${id}/invites`;
      const cases: [string, string, unknown][] = [
        ['POST', invites, { maxUses: 0 }],
        ['POST', invites, { maxUses: 1.5 }],
        ['POST', invites, { expiresInHours: -1 }],
        ['POST', invites, { expiresInHours: 24 * 366 }],
        ['POST', invites, { role: 'owner' }],
        ['POST', invites, { uses: 3 }],
        ['PATCH', `/api/conversations/${id}/participants/${members[0]!.id}`, {}],
        ['PATCH', `/api/conversations/${id}/participants/not-a-uuid`, { role: 'admin' }],
        ['DELETE', `/api/conversations/${id}/participants/not-a-uuid`, undefined],
        ['DELETE', `${invites}/not-a-uuid`, undefined],
        ['POST', `/api/conversations/${id}/transfer`, {}],
        ['POST', `/api/conversations/${id}/transfer`, { userId: 'someone' }],
        ['GET', '/api/conversations/not-a-uuid/participants', undefined],
      ];
      for (const [method, path, body] of cases) {
        const response = await send(owner, method, path, body);
        assert.equal(
          response.status,
          400,
          `${method} ${path} ${JSON.stringify(body)}: ${JSON.stringify(response.body)}`,
        );
        assert.equal(response.body.error.code, 'invalid_input');
      }
      const malformed = await owner.client.request('POST', invites, '{"maxUses":');
      assert.equal(malformed.status, 400);
    });

    test('anonymous callers are asked to sign in on every route', async () => {
      const anonymous = new TestClient(server.baseUrl);
      const id = crypto.randomUUID();
      const userId = crypto.randomUUID();
      const calls = [
        anonymous.get(`/api/conversations/${id}/participants`),
        anonymous.request(
          'PATCH',
          `/api/conversations/${id}/participants/${userId}`,
          JSON.stringify({ role: 'admin' }),
        ),
        anonymous.delete(`/api/conversations/${id}/participants/${userId}`),
        anonymous.post(`/api/conversations/${id}/leave`),
        anonymous.post(`/api/conversations/${id}/transfer`, { userId }),
        anonymous.get(`/api/conversations/${id}/invites`),
        anonymous.post(`/api/conversations/${id}/invites`, {}),
        anonymous.delete(`/api/conversations/${id}/invites/${userId}`),
        anonymous.post('/api/invites/some-token/accept'),
        anonymous.get(`/api/conversations/${id}/models`),
        anonymous.post(`/api/conversations/${id}/models`, { modelId: 'local:echo' }),
        anonymous.request('PUT', `/api/conversations/${id}/models/order`, JSON.stringify({ modelIds: [] })),
        anonymous.request('PATCH', `/api/conversations/${id}/models/local%3Aecho`, JSON.stringify({ isActive: true })),
        anonymous.delete(`/api/conversations/${id}/models/local%3Aecho`),
      ];
      for (const response of await Promise.all(calls)) {
        assert.equal(response.status, 401, JSON.stringify(response.body));
        assert.equal(response.body.error.code, 'unauthorized');
      }
    });

    test('the routes are in the OpenAPI document', async () => {
      const document = (await new TestClient(server.baseUrl).get('/api/openapi.json')).body;
      for (const path of [
        '/api/conversations/{id}/participants',
        '/api/conversations/{id}/participants/{userId}',
        '/api/conversations/{id}/leave',
        '/api/conversations/{id}/transfer',
        '/api/conversations/{id}/invites',
        '/api/conversations/{id}/invites/{inviteId}',
        '/api/invites/{token}/accept',
      ]) {
        assert.ok(document.paths[path], `${path} is documented`);
      }
      assert.ok(document.components.schemas.Participant);
      assert.ok(document.components.schemas.Invite);
    });
  });
}
