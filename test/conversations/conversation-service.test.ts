// The conversation services as a second door (a bot, an export) would call them, with no HTTP at all: the same
// refusals as the web API (forbidden for a reader of a public conversation, not-found for outsiders, each change
// for the roles allowed it) and every change announced on the conversation's live events by the service itself.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { readEnvironment } from '../../src/config/env.ts';
import { refusalOf } from '../../src/conversations/access.ts';
import type { ConversationService } from '../../src/conversations/conversation-service.ts';
import { DEFAULT_INVITE_HOURS } from '../../src/conversations/invites.ts';
import { models } from '../../src/db/schema/index.ts';
import { AppError, notFound } from '../../src/errors.ts';
import type { ConversationEvent, ConversationEvents } from '../../src/events/index.ts';
import { seedModels } from '../../src/models/seed.ts';
import { openRuntime, type Runtime } from '../../src/runtime.ts';
import { type Actor, actorOf } from '../../src/store/index.ts';
import { openTestDatabase, testBackends } from '../support/database.ts';

const ECHO = 'local:echo';
/** In the registry, but retired: no longer picked for a new message. */
const RETIRED = 'local:retired-echo';

/** A conversation's live events from now on, as any subscriber (an events stream, a bot) receives them. */
class Follower {
  readonly received: ConversationEvent[] = [];
  private readonly stop = new AbortController();
  private wake = () => {};
  private reading: Promise<void> = Promise.resolve();

  static async of(events: ConversationEvents, conversationId: string): Promise<Follower> {
    const follower = new Follower();
    const from = await events.latestId(conversationId);
    follower.reading = (async () => {
      for await (const { event } of events.subscribe(conversationId, from, follower.stop.signal)) {
        follower.received.push(event);
        follower.wake();
      }
    })();
    return follower;
  }

  /** The first `count` events received (waiting for them), then stops following. */
  async first(count: number): Promise<ConversationEvent[]> {
    const timeout = setTimeout(() => this.stop.abort(), 10_000);
    while (this.received.length < count && !this.stop.signal.aborted) {
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        this.stop.signal.addEventListener('abort', () => resolve(), { once: true });
      });
    }
    clearTimeout(timeout);
    this.stop.abort();
    await this.reading;
    return this.received.slice(0, count);
  }
}

describe('the refusal of an action the store found nothing for', () => {
  test('someone who may read the conversation but not act at that level is told so; anyone else, not found', () => {
    const missing = notFound('conversation', 'c1');
    const refused = refusalOf(missing, 'own', { readable: true, allowed: false });
    assert.ok(refused instanceof AppError);
    assert.equal(refused.code, 'forbidden');
    assert.match(refused.message, /only its owner may/);
    assert.equal(refused.cause, missing);
    assert.equal(refusalOf(missing, 'own', { readable: false, allowed: false }), missing);
  });

  test('what is missing inside a conversation the actor may act on stays not found; other errors pass through', () => {
    const missingPerson = notFound('participant', 'u1');
    assert.equal(refusalOf(missingPerson, 'manage', { readable: true, allowed: true }), missingPerson);
    const conflict = new AppError('conflict', 'the owner cannot leave');
    assert.equal(refusalOf(conflict, 'write', { readable: true, allowed: false }), conflict);
  });
});

for (const kind of testBackends()) {
  describe(`the conversation services on ${kind}`, () => {
    let runtime: Runtime;
    let conversations: ConversationService;
    let dataDir: string;

    before(async () => {
      dataDir = mkdtempSync(path.join(tmpdir(), 'chorus-conversations-'));
      const database = await openTestDatabase(kind);
      runtime = await openRuntime(readEnvironment({ DATA_DIR: dataDir }), {
        database,
        migrate: false,
        seedIfEmpty: false,
        registerDeclaredModels: false,
      });
      await seedModels(database.db);
      await database.db.insert(models).values({
        id: RETIRED,
        provider: 'local',
        providerModelId: 'retired-echo',
        name: 'Retired echo',
        contextWindow: 8_000,
        pricing: { input: 0, output: 0 },
        status: 'deprecated',
      });
      await runtime.modelCache.refresh();
      conversations = runtime.conversations;
    });
    after(async () => {
      await runtime?.close();
      rmSync(dataDir, { recursive: true, force: true });
    });

    const newPerson = async (): Promise<Actor> => actorOf(await runtime.store.users.create({ displayName: 'Someone' }));

    /** A conversation of a new owner's, with a member and an admin who joined by invitation. */
    const group = async (visibility: 'private' | 'public' = 'private') => {
      const owner = await newPerson();
      const conversation = await conversations.create({ actor: owner, title: 'Group', visibility, modelIds: [ECHO] });
      const conversationId = conversation.id;
      const join = async (role: 'member' | 'admin') => {
        const person = await newPerson();
        const { token } = await conversations.invites.create({ actor: owner, conversationId, role });
        await conversations.invites.accept({ actor: person, token });
        return person;
      };
      return { conversationId, owner, member: await join('member'), admin: await join('admin') };
    };

    const follow = (conversationId: string) => Follower.of(runtime.conversationEvents, conversationId);

    /** A question and a model's answer, saved as a chat turn would save them. */
    const turnIn = async (actor: Actor, conversationId: string) => {
      const [, answer] = await runtime.store.messages.save({
        actor,
        conversationId,
        messages: [
          { role: 'user', content: 'question' },
          { role: 'assistant', content: 'answer', modelId: ECHO },
        ],
      });
      return answer!;
    };

    describe('every change is announced by the service that made it', () => {
      test('people joining, changing roles, handing ownership on, being removed and leaving', async () => {
        const owner = await newPerson();
        const { id: conversationId } = await conversations.create({ actor: owner, title: 'Group' });
        const [ann, bob] = [await newPerson(), await newPerson()];
        const following = await follow(conversationId);

        const { token } = await conversations.invites.create({ actor: owner, conversationId });
        await conversations.invites.accept({ actor: ann, token });
        await conversations.invites.accept({ actor: bob, token });
        // Accepting again uses nothing and announces nothing.
        assert.equal((await conversations.invites.accept({ actor: bob, token })).joined, false);
        await conversations.participants.changeRole({ actor: owner, conversationId, userId: ann.id, role: 'admin' });
        await conversations.participants.transferOwnership({ actor: owner, conversationId, newOwnerId: ann.id });
        await conversations.participants.remove({ actor: ann, conversationId, userId: bob.id });
        await conversations.participants.leave({ actor: owner, conversationId });

        assert.deepEqual(await following.first(7), [
          { type: 'member-joined', userId: ann.id, role: 'member' },
          { type: 'member-joined', userId: bob.id, role: 'member' },
          { type: 'member-role-changed', userId: ann.id, role: 'admin' },
          { type: 'member-role-changed', userId: ann.id, role: 'owner' },
          { type: 'member-role-changed', userId: owner.id, role: 'admin' },
          { type: 'member-removed', userId: bob.id, byUserId: ann.id },
          { type: 'member-left', userId: owner.id },
        ]);
      });

      test('models added and removed, the visibility changed, the conversation deleted', async () => {
        const { conversationId, owner, admin } = await group();
        const following = await follow(conversationId);

        await conversations.models.remove({ actor: admin, conversationId, modelId: ECHO });
        await conversations.models.add({ actor: admin, conversationId, modelId: ECHO });
        await conversations.update({ actor: owner, conversationId, visibility: 'public' });
        await conversations.update({ actor: owner, conversationId, visibility: 'private' });
        await conversations.delete({ actor: owner, conversationId });

        assert.deepEqual(await following.first(5), [
          { type: 'model-removed', modelId: ECHO },
          { type: 'model-added', modelId: ECHO },
          { type: 'visibility-changed', visibility: 'public' },
          { type: 'visibility-changed', visibility: 'private' },
          { type: 'conversation-deleted' },
        ]);
      });

      test('replacing the models announces each one that left and each one that joined; a member may not', async () => {
        const { conversationId, admin, member } = await group();
        const following = await follow(conversationId);

        await assert.rejects(conversations.models.replace({ actor: member, conversationId, modelIds: [] }), {
          code: 'forbidden',
        });
        await assert.rejects(conversations.models.replace({ actor: admin, conversationId, modelIds: [RETIRED] }), {
          code: 'invalid_input',
        });
        assert.deepEqual(await conversations.models.replace({ actor: admin, conversationId, modelIds: [] }), []);
        const replaced = await conversations.models.replace({ actor: admin, conversationId, modelIds: [ECHO, ECHO] });
        assert.deepEqual(
          replaced.map(({ model }) => [model.modelId, model.position]),
          [[ECHO, 0]],
        );
        assert.deepEqual(await following.first(2), [
          { type: 'model-removed', modelId: ECHO },
          { type: 'model-added', modelId: ECHO },
        ]);
      });

      test('a refused change announces nothing', async () => {
        const { conversationId, owner, member } = await group();
        const following = await follow(conversationId);

        await assert.rejects(conversations.update({ actor: member, conversationId, visibility: 'public' }), {
          code: 'forbidden',
        });
        await assert.rejects(conversations.models.remove({ actor: member, conversationId, modelId: ECHO }), {
          code: 'forbidden',
        });
        await assert.rejects(conversations.participants.remove({ actor: member, conversationId, userId: owner.id }), {
          code: 'forbidden',
        });
        await assert.rejects(conversations.participants.leave({ actor: owner, conversationId }), { code: 'conflict' });
        await assert.rejects(conversations.delete({ actor: member, conversationId }), { code: 'forbidden' });
        // The first event after all of that is the one change that went through.
        await conversations.participants.leave({ actor: member, conversationId });

        assert.deepEqual(await following.first(1), [{ type: 'member-left', userId: member.id }]);
      });

      test('handing ownership to oneself changes nobody’s role and announces nothing', async () => {
        const { conversationId, owner, member } = await group();
        const following = await follow(conversationId);

        const people = await conversations.participants.transferOwnership({
          actor: owner,
          conversationId,
          newOwnerId: owner.id,
        });
        assert.equal(people.find((person) => person.userId === owner.id)?.role, 'owner');
        await conversations.participants.leave({ actor: member, conversationId });

        assert.deepEqual(await following.first(1), [{ type: 'member-left', userId: member.id }]);
      });
    });

    describe('who may do what', () => {
      test('a reader of a public conversation who is not in it is refused every change, never told it is missing', async () => {
        const { conversationId, owner } = await group('public');
        const reader = await newPerson();
        const answer = await turnIn(owner, conversationId);
        const changes = changesBy(conversations, reader, { conversationId, ownerId: owner.id, answerId: answer.id });
        for (const [name, change] of Object.entries(changes)) {
          await assert.rejects(change(), { code: 'forbidden' }, name);
        }
        // Reading is theirs.
        assert.equal((await conversations.get({ actor: reader, conversationId })).conversation.id, conversationId);
        assert.equal((await conversations.messages({ actor: reader, conversationId })).items.length, 2);
      });

      test('to someone outside a private conversation it does not exist, whatever they try', async () => {
        const { conversationId, owner } = await group('private');
        const outsider = await newPerson();
        const answer = await turnIn(owner, conversationId);
        const changes = changesBy(conversations, outsider, { conversationId, ownerId: owner.id, answerId: answer.id });
        for (const [name, change] of Object.entries(changes)) {
          await assert.rejects(change(), { code: 'not_found' }, name);
        }
        await assert.rejects(conversations.get({ actor: outsider, conversationId }), { code: 'not_found' });
        await assert.rejects(conversations.participants.list({ actor: outsider, conversationId }), {
          code: 'not_found',
        });
      });

      test('admins rename and invite members; only the owner changes visibility, gives roles and invites admins', async () => {
        const { conversationId, admin, member } = await group();
        const renamed = await conversations.update({ actor: admin, conversationId, title: 'Renamed' });
        assert.equal(renamed.conversation.title, 'Renamed');
        assert.equal((await conversations.invites.create({ actor: admin, conversationId })).role, 'member');

        await assert.rejects(conversations.update({ actor: admin, conversationId, visibility: 'public' }), {
          code: 'forbidden',
        });
        await assert.rejects(conversations.invites.create({ actor: admin, conversationId, role: 'admin' }), {
          code: 'forbidden',
        });
        await assert.rejects(
          conversations.participants.changeRole({ actor: admin, conversationId, userId: member.id, role: 'admin' }),
          { code: 'forbidden' },
        );
        await assert.rejects(conversations.update({ actor: member, conversationId, title: 'Mine now' }), {
          code: 'forbidden',
        });
      });

      test('a model joins only if it can be picked now, and only someone who manages learns why', async () => {
        const { conversationId, owner, member } = await group();
        const outsider = await newPerson();

        await assert.rejects(conversations.models.add({ actor: outsider, conversationId, modelId: 'no:such' }), {
          code: 'not_found',
        });
        await assert.rejects(conversations.models.add({ actor: member, conversationId, modelId: 'no:such' }), {
          code: 'forbidden',
        });
        await assert.rejects(conversations.models.add({ actor: owner, conversationId, modelId: RETIRED }), {
          code: 'invalid_input',
          message: /local:retired-echo: the model is deprecated/,
        });
        await assert.rejects(conversations.models.add({ actor: owner, conversationId, modelId: ECHO }), {
          code: 'conflict',
        });
      });

      test('a new conversation has its owner and the models given, in order; a model that cannot answer refuses it', async () => {
        const owner = await newPerson();
        const created = await conversations.create({ actor: owner, title: 'Mine', modelIds: [ECHO] });
        const { participants, models: taking } = await conversations.get({ actor: owner, conversationId: created.id });
        assert.deepEqual(
          participants.map((person) => [person.userId, person.role]),
          [[owner.id, 'owner']],
        );
        assert.deepEqual(
          taking.map((model) => model.modelId),
          [ECHO],
        );
        await assert.rejects(conversations.create({ actor: owner, title: 'Never', modelIds: [ECHO, RETIRED] }), {
          code: 'invalid_input',
        });
      });

      test('an invitation lasts a week unless told otherwise, forever when told so, and never past a year', async () => {
        const { conversationId, owner } = await group();
        const before = Date.now();
        const standard = await conversations.invites.create({ actor: owner, conversationId });
        const week = DEFAULT_INVITE_HOURS * 3_600_000;
        assert.ok(standard.expiresAt!.getTime() >= before + week - 1_000);
        assert.ok(standard.expiresAt!.getTime() <= Date.now() + week + 1_000);
        const lasting = await conversations.invites.create({ actor: owner, conversationId, expiresInHours: null });
        assert.equal(lasting.expiresAt, null);
        await assert.rejects(conversations.invites.create({ actor: owner, conversationId, expiresInHours: 24 * 366 }), {
          code: 'invalid_input',
        });
      });

      test('votes go on model replies, by people in the conversation, each reader seeing their own', async () => {
        const { conversationId, owner, member } = await group();
        const answer = await turnIn(owner, conversationId);
        await conversations.votes.vote({ actor: member, conversationId, messageId: answer.id, isUpvoted: true });
        const page = await conversations.messages({ actor: member, conversationId });
        const shown = page.items.find((item) => item.message.id === answer.id)!;
        assert.equal(shown.vote?.isUpvoted, true);
        assert.equal(shown.model?.name, 'Offline echo');
        const ownersView = await conversations.messages({ actor: owner, conversationId });
        assert.equal(ownersView.items.find((item) => item.message.id === answer.id)!.vote, undefined);
        const question = page.items.find((item) => item.message.role === 'user')!;
        await assert.rejects(
          conversations.votes.vote({ actor: member, conversationId, messageId: question.message.id, isUpvoted: true }),
          { code: 'invalid_input' },
        );
      });
    });

    describe('the access decision other doors guard their own actions with', () => {
      test('taking part: the people in it may; a reader from outside is refused; to others it does not exist', async () => {
        const { conversationId, owner, member } = await group('public');
        const reader = await newPerson();
        assert.equal((await conversations.access.assertMayWrite(member, conversationId)).id, conversationId);
        await assert.rejects(conversations.access.assertMayWrite(reader, conversationId), { code: 'forbidden' });
        await conversations.update({ actor: owner, conversationId, visibility: 'private' });
        await assert.rejects(conversations.access.assertMayWrite(reader, conversationId), { code: 'not_found' });
      });

      test('reading: whether the reader is in the conversation or reads it from outside', async () => {
        const { conversationId, owner, member } = await group('public');
        const reader = await newPerson();
        assert.equal((await conversations.access.assertMayRead(member, conversationId)).inConversation, true);
        assert.equal((await conversations.access.assertMayRead(reader, conversationId)).inConversation, false);
        assert.equal((await conversations.access.assertMayRead(owner, conversationId)).inConversation, true);
        await conversations.update({ actor: owner, conversationId, visibility: 'private' });
        await assert.rejects(conversations.access.assertMayRead(reader, conversationId), { code: 'not_found' });
      });
    });
  });
}

/** Every change a conversation's service offers, made by `actor`. */
function changesBy(
  conversations: ConversationService,
  actor: Actor,
  { conversationId, ownerId, answerId }: { conversationId: string; ownerId: string; answerId: string },
): Record<string, () => Promise<unknown>> {
  const target = { actor, conversationId };
  return {
    rename: () => conversations.update({ ...target, title: 'Taken over' }),
    'change visibility': () => conversations.update({ ...target, visibility: 'private' }),
    'change settings': () => conversations.update({ ...target, settingChanges: { replyMode: 'parallel' } }),
    delete: () => conversations.delete(target),
    'add a model': () => conversations.models.add({ ...target, modelId: ECHO }),
    'change a model': () => conversations.models.update({ ...target, modelId: ECHO, isActive: false }),
    'remove a model': () => conversations.models.remove({ ...target, modelId: ECHO }),
    'reorder the models': () => conversations.models.reorder({ ...target, modelIds: [ECHO] }),
    'give a role': () => conversations.participants.changeRole({ ...target, userId: ownerId, role: 'member' }),
    'remove someone': () => conversations.participants.remove({ ...target, userId: ownerId }),
    leave: () => conversations.participants.leave(target),
    'hand ownership on': () => conversations.participants.transferOwnership({ ...target, newOwnerId: actor.id }),
    invite: () => conversations.invites.create(target),
    'list invitations': () => conversations.invites.list(target),
    'revoke an invitation': () => conversations.invites.revoke({ ...target, inviteId: crypto.randomUUID() }),
    vote: () => conversations.votes.vote({ ...target, messageId: answerId, isUpvoted: true }),
    'take back a vote': () => conversations.votes.clear({ ...target, messageId: answerId }),
  };
}
