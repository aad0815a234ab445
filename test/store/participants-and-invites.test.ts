import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { conversationInvites, models } from '../../src/db/schema/index.ts';
import { type Actor, actorOf, createStore, type Store } from '../../src/store/index.ts';
import { openTestDatabase, type TestDatabase, testBackends } from '../support/database.ts';

for (const kind of testBackends()) {
  describe(`people, invites and models of a conversation on ${kind}`, () => {
    let database: TestDatabase;
    let store: Store;
    before(async () => {
      database = await openTestDatabase(kind);
      store = createStore(database.db);
      await database.db.insert(models).values(
        ['alpha', 'beta', 'gamma', 'retired'].map((name) => ({
          id: `test:${name}`,
          provider: 'test',
          providerModelId: name,
          name,
          contextWindow: 8_000,
          pricing: { input: 1, output: 2 },
          status: name === 'retired' ? ('deprecated' as const) : ('active' as const),
        })),
      );
    });
    after(() => database.close());

    const newUser = async (): Promise<Actor> => {
      const user = await store.users.create({ displayName: 'Someone' });
      return actorOf(user);
    };
    const newConversation = async (owner: Actor, visibility: 'private' | 'public' = 'private') =>
      store.conversations.create({ actor: owner, title: 'Group', visibility });
    const roles = async (owner: Actor, conversationId: string) =>
      Object.fromEntries(
        (await store.participants.list({ actor: owner, conversationId })).map((person) => [person.userId, person.role]),
      );

    describe('participants', () => {
      test('the owner is the first participant, listed with their name', async () => {
        const owner = await newUser();
        const conversation = await newConversation(owner);
        const people = await store.participants.list({ actor: owner, conversationId: conversation.id });
        assert.equal(people.length, 1);
        assert.equal(people[0]!.userId, owner.id);
        assert.equal(people[0]!.role, 'owner');
        assert.equal(people[0]!.user.displayName, 'Someone');
      });

      test('a manager adds people once; the same person twice is a conflict, an unknown user invalid input', async () => {
        const owner = await newUser();
        const friend = await newUser();
        const conversation = await newConversation(owner);
        const added = await store.participants.add({
          actor: owner,
          conversationId: conversation.id,
          userId: friend.id,
        });
        assert.equal(added.role, 'member');
        await assert.rejects(
          store.participants.add({ actor: owner, conversationId: conversation.id, userId: friend.id }),
          { code: 'conflict' },
        );
        await assert.rejects(
          store.participants.add({
            actor: owner,
            conversationId: conversation.id,
            userId: '00000000-0000-4000-8000-000000000000',
          }),
          { code: 'invalid_input' },
        );
        // The friend now reads the private conversation.
        assert.equal((await store.conversations.get({ actor: friend, id: conversation.id })).id, conversation.id);
      });

      test('a member cannot add, re-role or remove people, and a stranger cannot even list them', async () => {
        const owner = await newUser();
        const member = await newUser();
        const stranger = await newUser();
        const conversation = await newConversation(owner);
        const conversationId = conversation.id;
        await store.participants.add({ actor: owner, conversationId, userId: member.id });
        await assert.rejects(store.participants.add({ actor: member, conversationId, userId: stranger.id }), {
          code: 'not_found',
        });
        await assert.rejects(
          store.participants.changeRole({ actor: member, conversationId, userId: member.id, role: 'admin' }),
          { code: 'not_found' },
        );
        await assert.rejects(store.participants.remove({ actor: member, conversationId, userId: owner.id }), {
          code: 'not_found',
        });
        await assert.rejects(store.participants.list({ actor: stranger, conversationId }), { code: 'not_found' });
        assert.deepEqual(await roles(owner, conversationId), { [owner.id]: 'owner', [member.id]: 'member' });
      });

      test('anyone may list the people of a public conversation', async () => {
        const owner = await newUser();
        const passerBy = await newUser();
        const conversation = await newConversation(owner, 'public');
        const people = await store.participants.list({ actor: passerBy, conversationId: conversation.id });
        assert.deepEqual(
          people.map((person) => person.userId),
          [owner.id],
        );
      });

      test('an admin participant adds and removes people but cannot remove the owner, nor give roles', async () => {
        const owner = await newUser();
        const admin = await newUser();
        const member = await newUser();
        const conversation = await newConversation(owner);
        const conversationId = conversation.id;
        await store.participants.add({ actor: owner, conversationId, userId: admin.id, role: 'admin' });
        await store.participants.add({ actor: admin, conversationId, userId: member.id });
        await assert.rejects(
          store.participants.changeRole({ actor: admin, conversationId, userId: member.id, role: 'admin' }),
          { code: 'not_found' },
        );
        const promoted = await store.participants.changeRole({
          actor: owner,
          conversationId,
          userId: member.id,
          role: 'admin',
        });
        assert.equal(promoted.role, 'admin');
        await store.participants.remove({ actor: admin, conversationId, userId: member.id });
        await assert.rejects(store.participants.remove({ actor: admin, conversationId, userId: owner.id }), {
          code: 'forbidden',
        });
        await assert.rejects(
          store.participants.changeRole({ actor: owner, conversationId, userId: owner.id, role: 'member' }),
          { code: 'forbidden' },
        );
        await assert.rejects(store.participants.remove({ actor: admin, conversationId, userId: member.id }), {
          code: 'not_found',
        });
        assert.deepEqual(await roles(owner, conversationId), { [owner.id]: 'owner', [admin.id]: 'admin' });
      });

      test('the owner role is never given directly', async () => {
        const owner = await newUser();
        const friend = await newUser();
        const conversation = await newConversation(owner);
        const conversationId = conversation.id;
        await assert.rejects(
          store.participants.add({ actor: owner, conversationId, userId: friend.id, role: 'owner' as 'admin' }),
          { code: 'invalid_input' },
        );
        await store.participants.add({ actor: owner, conversationId, userId: friend.id });
        await assert.rejects(
          store.participants.changeRole({ actor: owner, conversationId, userId: friend.id, role: 'owner' as 'admin' }),
          { code: 'invalid_input' },
        );
      });

      test('a participant who leaves loses access to a private conversation; the owner cannot leave before a transfer', async () => {
        const owner = await newUser();
        const member = await newUser();
        const conversation = await newConversation(owner);
        const conversationId = conversation.id;
        await store.participants.add({ actor: owner, conversationId, userId: member.id });
        await store.participants.leave({ actor: member, conversationId });
        await assert.rejects(store.conversations.get({ actor: member, id: conversationId }), { code: 'not_found' });
        await assert.rejects(store.participants.leave({ actor: member, conversationId }), { code: 'not_found' });
        await assert.rejects(store.participants.leave({ actor: owner, conversationId }), {
          code: 'conflict',
          message: /transfer ownership/,
        });
      });

      test('transferring ownership moves owner_id and both roles together; the old owner stays as an admin', async () => {
        const owner = await newUser();
        const heir = await newUser();
        const conversation = await newConversation(owner);
        const conversationId = conversation.id;
        await store.participants.add({ actor: owner, conversationId, userId: heir.id });
        const transferred = await store.participants.transferOwnership({
          actor: owner,
          conversationId,
          newOwnerId: heir.id,
        });
        assert.equal(transferred.ownerId, heir.id);
        assert.deepEqual(await roles(heir, conversationId), { [owner.id]: 'admin', [heir.id]: 'owner' });
        // The new owner alone may delete; the old one, now an admin, may not.
        await assert.rejects(store.conversations.delete({ actor: owner, id: conversationId }), { code: 'not_found' });
        await store.participants.leave({ actor: owner, conversationId });
        await assert.rejects(store.participants.leave({ actor: heir, conversationId }), { code: 'conflict' });
      });

      test('only the owner transfers ownership, and only to someone already in the conversation', async () => {
        const owner = await newUser();
        const admin = await newUser();
        const outsider = await newUser();
        const conversation = await newConversation(owner);
        const conversationId = conversation.id;
        await store.participants.add({ actor: owner, conversationId, userId: admin.id, role: 'admin' });
        await assert.rejects(
          store.participants.transferOwnership({ actor: admin, conversationId, newOwnerId: admin.id }),
          { code: 'not_found' },
        );
        await assert.rejects(
          store.participants.transferOwnership({ actor: owner, conversationId, newOwnerId: outsider.id }),
          { code: 'invalid_input' },
        );
        // Nothing of the refused transfer stayed behind.
        assert.equal((await store.conversations.get({ actor: owner, id: conversationId })).ownerId, owner.id);
        assert.deepEqual(await roles(owner, conversationId), { [owner.id]: 'owner', [admin.id]: 'admin' });
      });
    });

    describe('invites', () => {
      const invited = async (owner: Actor, options: { maxUses?: number; role?: 'admin' | 'member' } = {}) => {
        const conversation = await newConversation(owner);
        const invite = await store.invites.create({ actor: owner, conversationId: conversation.id, ...options });
        return { conversation, invite };
      };
      const useCount = async (id: string) => {
        const [row] = await database.db.select().from(conversationInvites).where(eq(conversationInvites.id, id));
        return row!.useCount;
      };

      test('accepting an invite adds the person with its role and counts the use', async () => {
        const owner = await newUser();
        const guest = await newUser();
        const { conversation, invite } = await invited(owner, { role: 'admin' });
        const accepted = await store.invites.accept({ actor: guest, token: invite.token });
        assert.equal(accepted.joined, true);
        assert.equal(accepted.conversation.id, conversation.id);
        assert.equal(await store.participants.roleOf(conversation.id, guest.id), 'admin');
        assert.equal(await useCount(invite.id), 1);
      });

      test('tokens are long, random and unique', async () => {
        const owner = await newUser();
        const { invite: first } = await invited(owner);
        const { invite: second } = await invited(owner);
        assert.ok(first.token.length >= 43);
        assert.notEqual(first.token, second.token);
      });

      test('someone already in the conversation gets it back without using the invite', async () => {
        const owner = await newUser();
        const { conversation, invite } = await invited(owner, { maxUses: 1 });
        const accepted = await store.invites.accept({ actor: owner, token: invite.token });
        assert.deepEqual([accepted.joined, accepted.conversation.id], [false, conversation.id]);
        assert.equal(await useCount(invite.id), 0);
      });

      test('an expired invite is refused, says so, and adds nobody', async () => {
        const owner = await newUser();
        const late = await newUser();
        const conversation = await newConversation(owner);
        const invite = await store.invites.create({
          actor: owner,
          conversationId: conversation.id,
          expiresAt: new Date(Date.now() + 60_000),
        });
        await database.db
          .update(conversationInvites)
          .set({ expiresAt: new Date(Date.now() - 1_000) })
          .where(eq(conversationInvites.id, invite.id));
        await assert.rejects(store.invites.accept({ actor: late, token: invite.token }), {
          code: 'conflict',
          message: /expired/,
        });
        assert.equal(await store.participants.roleOf(conversation.id, late.id), undefined);
        assert.equal(await useCount(invite.id), 0);
      });

      test('an invite used as many times as it allows is refused, and says so', async () => {
        const owner = await newUser();
        const { conversation, invite } = await invited(owner, { maxUses: 2 });
        await store.invites.accept({ actor: await newUser(), token: invite.token });
        await store.invites.accept({ actor: await newUser(), token: invite.token });
        const third = await newUser();
        await assert.rejects(store.invites.accept({ actor: third, token: invite.token }), {
          code: 'conflict',
          message: /used/,
        });
        assert.equal(await store.participants.roleOf(conversation.id, third.id), undefined);
        assert.equal(await useCount(invite.id), 2);
      });

      test('two simultaneous accepts of a single-use invite: exactly one person gets in', async () => {
        const owner = await newUser();
        for (let round = 0; round < 5; round++) {
          const { conversation, invite } = await invited(owner, { maxUses: 1 });
          const contenders = await Promise.all([newUser(), newUser()]);
          const outcomes = await Promise.allSettled(
            contenders.map((actor) => store.invites.accept({ actor, token: invite.token })),
          );
          const winners = outcomes.filter((outcome) => outcome.status === 'fulfilled');
          const losers = outcomes.filter((outcome) => outcome.status === 'rejected');
          assert.equal(winners.length, 1);
          assert.equal((losers[0] as PromiseRejectedResult).reason.code, 'conflict');
          assert.equal(await useCount(invite.id), 1);
          const people = await store.participants.list({ actor: owner, conversationId: conversation.id });
          assert.equal(people.length, 2);
        }
      });

      test('a revoked invite is refused; only managers revoke, and revoking twice keeps the first time', async () => {
        const owner = await newUser();
        const member = await newUser();
        const { conversation, invite } = await invited(owner);
        await store.participants.add({ actor: owner, conversationId: conversation.id, userId: member.id });
        await assert.rejects(store.invites.revoke({ actor: member, id: invite.id }), { code: 'not_found' });
        const revoked = await store.invites.revoke({ actor: owner, id: invite.id });
        assert.ok(revoked.revokedAt instanceof Date);
        const again = await store.invites.revoke({ actor: owner, id: invite.id });
        assert.equal(again.revokedAt?.getTime(), revoked.revokedAt.getTime());
        await assert.rejects(store.invites.accept({ actor: await newUser(), token: invite.token }), {
          code: 'conflict',
          message: /revoked/,
        });
      });

      test('an unknown token is not found', async () => {
        await assert.rejects(store.invites.accept({ actor: await newUser(), token: 'no-such-token' }), {
          code: 'not_found',
        });
      });

      test('only managers create and list invites, with sensible limits', async () => {
        const owner = await newUser();
        const member = await newUser();
        const { conversation, invite } = await invited(owner);
        const conversationId = conversation.id;
        await store.participants.add({ actor: owner, conversationId, userId: member.id });
        await assert.rejects(store.invites.create({ actor: member, conversationId }), { code: 'not_found' });
        await assert.rejects(store.invites.listForConversation({ actor: member, conversationId }), {
          code: 'not_found',
        });
        await assert.rejects(store.invites.create({ actor: owner, conversationId, maxUses: 0 }), {
          code: 'invalid_input',
        });
        await assert.rejects(
          store.invites.create({ actor: owner, conversationId, expiresAt: new Date(Date.now() - 1) }),
          {
            code: 'invalid_input',
          },
        );
        await assert.rejects(store.invites.create({ actor: owner, conversationId, role: 'owner' as 'admin' }), {
          code: 'invalid_input',
        });
        const listed = await store.invites.listForConversation({ actor: owner, conversationId });
        assert.deepEqual(
          listed.map((row) => row.id),
          [invite.id],
        );
      });

      test('an admin invites members, but only the owner makes invitations that give admin', async () => {
        const owner = await newUser();
        const admin = await newUser();
        const conversation = await newConversation(owner);
        const conversationId = conversation.id;
        await store.participants.add({ actor: owner, conversationId, userId: admin.id, role: 'admin' });
        const forMembers = await store.invites.create({ actor: admin, conversationId });
        assert.equal(forMembers.role, 'member');
        await assert.rejects(store.invites.create({ actor: admin, conversationId, role: 'admin' }), {
          code: 'not_found',
        });
        assert.equal((await store.invites.create({ actor: owner, conversationId, role: 'admin' })).role, 'admin');
      });

      test('revoking through another conversation finds nothing and revokes nothing', async () => {
        const owner = await newUser();
        const { invite } = await invited(owner);
        const elsewhere = await newConversation(owner);
        await assert.rejects(store.invites.revoke({ actor: owner, conversationId: elsewhere.id, id: invite.id }), {
          code: 'not_found',
        });
        const [row] = await database.db.select().from(conversationInvites).where(eq(conversationInvites.id, invite.id));
        assert.equal(row!.revokedAt, null);
        const revoked = await store.invites.revoke({
          actor: owner,
          conversationId: invite.conversationId,
          id: invite.id,
        });
        assert.ok(revoked.revokedAt instanceof Date);
      });
    });

    describe('models of a conversation', () => {
      const withModels = async (owner: Actor, modelIds: string[]) => {
        const conversation = await newConversation(owner);
        for (const modelId of modelIds) {
          await store.conversationModels.add({ actor: owner, conversationId: conversation.id, modelId });
        }
        return conversation.id;
      };
      const order = async (actor: Actor, conversationId: string) =>
        (await store.conversationModels.list({ actor, conversationId })).map((row) => row.modelId);

      test('models are listed in the order they were added; a stranger gets not-found', async () => {
        const owner = await newUser();
        const conversationId = await withModels(owner, ['test:beta', 'test:alpha']);
        assert.deepEqual(await order(owner, conversationId), ['test:beta', 'test:alpha']);
        await assert.rejects(store.conversationModels.list({ actor: await newUser(), conversationId }), {
          code: 'not_found',
        });
      });

      test('an unknown or retired model is invalid input, and adding one twice is a conflict', async () => {
        const owner = await newUser();
        const conversationId = await withModels(owner, ['test:alpha']);
        await assert.rejects(store.conversationModels.add({ actor: owner, conversationId, modelId: 'test:nope' }), {
          code: 'invalid_input',
        });
        await assert.rejects(store.conversationModels.add({ actor: owner, conversationId, modelId: 'test:retired' }), {
          code: 'invalid_input',
          message: /deprecated/,
        });
        await assert.rejects(store.conversationModels.add({ actor: owner, conversationId, modelId: 'test:alpha' }), {
          code: 'conflict',
        });
      });

      test('reorder takes the complete new order at once, and refuses an incomplete one', async () => {
        const owner = await newUser();
        const conversationId = await withModels(owner, ['test:alpha', 'test:beta', 'test:gamma']);
        const reordered = await store.conversationModels.reorder({
          actor: owner,
          conversationId,
          modelIds: ['test:gamma', 'test:alpha', 'test:beta'],
        });
        assert.deepEqual(
          reordered.map((row) => [row.modelId, row.position]),
          [
            ['test:gamma', 0],
            ['test:alpha', 1],
            ['test:beta', 2],
          ],
        );
        const incomplete = [
          ['test:alpha', 'test:beta'],
          ['test:alpha', 'test:alpha', 'test:beta'],
          ['test:alpha', 'test:beta', 'test:nope'],
        ];
        for (const modelIds of incomplete) {
          await assert.rejects(store.conversationModels.reorder({ actor: owner, conversationId, modelIds }), {
            code: 'invalid_input',
          });
        }
        assert.deepEqual(await order(owner, conversationId), ['test:gamma', 'test:alpha', 'test:beta']);
      });

      test('a manager changes a model’s settings and removes it; a member can do neither', async () => {
        const owner = await newUser();
        const member = await newUser();
        const conversationId = await withModels(owner, ['test:alpha', 'test:beta']);
        await store.participants.add({ actor: owner, conversationId, userId: member.id });
        const target = { conversationId, modelId: 'test:alpha' };
        await assert.rejects(store.conversationModels.update({ actor: member, ...target, changes: { settings: {} } }), {
          code: 'not_found',
        });
        await assert.rejects(store.conversationModels.remove({ actor: member, ...target }), { code: 'not_found' });
        const modelIds = ['test:beta', 'test:alpha'];
        await assert.rejects(store.conversationModels.reorder({ actor: member, conversationId, modelIds }), {
          code: 'not_found',
        });
        const updated = await store.conversationModels.update({
          actor: owner,
          ...target,
          changes: { settings: { persona: 'a sceptic', temperature: 0.2 } },
        });
        assert.deepEqual(updated.settings, { persona: 'a sceptic', temperature: 0.2 });
        await store.conversationModels.remove({ actor: owner, ...target });
        assert.deepEqual(await order(member, conversationId), ['test:beta']);
        await assert.rejects(store.conversationModels.remove({ actor: owner, ...target }), { code: 'not_found' });
      });

      test('setting changes merge into the stored settings: given ones set, null removes, the rest stay', async () => {
        const owner = await newUser();
        const conversationId = await withModels(owner, ['test:alpha']);
        const target = { actor: owner, conversationId, modelId: 'test:alpha' };
        await store.conversationModels.update({
          ...target,
          changes: { settings: { persona: 'a poet', temperature: 1 } },
        });
        const merged = await store.conversationModels.update({
          ...target,
          settingChanges: { temperature: null, systemPrompt: 'Rhyme.' },
          changes: { isActive: false },
        });
        assert.deepEqual(merged.settings, { persona: 'a poet', systemPrompt: 'Rhyme.' });
        assert.equal(merged.isActive, false);
        await assert.rejects(store.conversationModels.update({ ...target }), { code: 'invalid_input' });
      });
    });
  });
}
