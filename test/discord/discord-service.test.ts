// The domain as the Discord bot calls it, with no Discord at all: Discord users and channels become users and
// conversations (race-safe), threads and `/new` get conversations of their own, the admin's allow-list decides where
// the bot answers, the channel commands change the conversation exactly as the web does, a redelivered message is
// saved and answered once, and a link code merges a Discord user into a web account keeping everything.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import type { ReplyStream } from '../../src/chat/chat-service.ts';
import { conversations, discordLinkCodes, models, streams, users } from '../../src/db/schema/index.ts';
import type { DiscordAuthor, DiscordPlace } from '../../src/discord/discord-service.ts';
import { hashLinkCode } from '../../src/discord/link-codes.ts';
import { AppError } from '../../src/errors.ts';
import { registerDeclaredModels } from '../../src/providers/index.ts';
import type { Actor } from '../../src/store/index.ts';
import { readChat } from '../support/chat-stream.ts';
import { testBackends } from '../support/database.ts';
import { type FakeProvider, startFakeProvider } from '../support/fake-provider.ts';
import { type Person, signInAsGuest, signUp } from '../support/people.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

process.env.AI_SDK_LOG_WARNINGS = 'false';

const LONG_REPLY = Array.from({ length: 60 }, (_, index) => `word${index}`).join(' ');

for (const kind of testBackends()) {
  describe(`the Discord side of the domain on ${kind}`, () => {
    let server: TestServer;
    let fake: FakeProvider;
    let admin: Person;
    let snowflakes = 100_000_000_000_000_000n;

    before(async () => {
      fake = await startFakeProvider({
        models: {
          alpha: { reply: 'Alpha answers.' },
          beta: { reply: 'Beta answers.' },
          verbose: { reply: LONG_REPLY, chunkSize: 9 },
        },
      });
      server = await startTestServer(kind, {
        CHORUS_PROVIDER_FAKE_BASE_URL: fake.baseURL,
        CHORUS_PROVIDER_FAKE_MODELS: 'alpha,beta,verbose',
      });
      await registerDeclaredModels(server.runtime.database.db, server.runtime.providers);
      await server.runtime.database.db.insert(models).values({
        id: 'fake:retired',
        provider: 'fake',
        providerModelId: 'retired',
        name: 'Retired',
        contextWindow: 8_000,
        pricing: { input: 0, output: 0 },
        status: 'deprecated',
      });
      await server.runtime.modelCache.refresh();
      admin = await signUp(server, 'Admin');
    });
    after(async () => {
      await server?.close();
      await fake?.close();
    });

    const discord = () => server.runtime.discord;
    const snowflake = () => String(++snowflakes);
    const author = (name = 'Dana'): DiscordAuthor => ({ discordId: snowflake(), name, avatarUrl: null });
    const channel = (overrides: Partial<DiscordPlace> = {}): DiscordPlace => ({
      channelId: snowflake(),
      guildId: '42',
      parentChannelId: null,
      name: 'general',
      isDirect: false,
      ...overrides,
    });
    const conversationRow = async (id: string) => {
      const [row] = await server.runtime.database.db.select().from(conversations).where(eq(conversations.id, id));
      return row!;
    };
    const drain = async (stream: ReplyStream) => {
      for await (const _batch of stream.batches);
    };
    /** A Discord message, sent as the bot sends it: its Discord id is the message's request id. */
    const say = async (actor: Actor, conversationId: string, text: string, messageId = snowflake()) => {
      const stream = await server.runtime.chat.submit({
        actor,
        conversationId,
        clientMessageId: messageId,
        parts: [{ type: 'text', text }],
      });
      await drain(stream);
      return { messageId, retried: stream.retried };
    };
    const messagesOf = async (actor: Actor, conversationId: string) =>
      (await server.runtime.store.messages.page({ actor, conversationId, limit: 100 })).items.reverse();
    const rejectsWith = async (promise: Promise<unknown>, code: string, message: RegExp) => {
      await assert.rejects(promise, (error: unknown) => {
        assert.ok(error instanceof AppError, String(error));
        assert.equal(error.code, code);
        assert.match(error.message, message);
        return true;
      });
    };

    describe('Discord users are users', () => {
      test('first messages at once from one Discord user make one user', async () => {
        const dana = author('Dana');
        const actors = await Promise.all(Array.from({ length: 6 }, () => discord().actorFor(dana)));
        assert.equal(new Set(actors.map((actor) => actor.id)).size, 1);
        const rows = await server.runtime.database.db.select().from(users).where(eq(users.discordId, dana.discordId));
        assert.equal(rows.length, 1);
        assert.equal(rows[0]!.displayName, 'Dana');
        assert.equal(rows[0]!.email, null);
        assert.equal(actors[0]!.card?.displayName, 'Dana');
      });

      test('their name and avatar follow Discord', async () => {
        const dana = author('Dana');
        const first = await discord().actorFor(dana);
        const renamed = await discord().actorFor({ ...dana, name: 'Dana R.', avatarUrl: 'https://cdn.test/a.png' });
        assert.equal(renamed.id, first.id);
        const user = await server.runtime.store.users.getById(first.id);
        assert.equal(user.displayName, 'Dana R.');
        assert.equal(user.avatarUrl, 'https://cdn.test/a.png');
        assert.equal(await discord().displayNameOf(first.id), 'Dana R.');
      });

      test('someone an admin deactivated is refused, as on the web, until reactivated', async () => {
        const dana = author('Dana');
        const first = await discord().actorFor(dana);
        const { db } = server.runtime.database;
        await db.update(users).set({ isActive: false }).where(eq(users.id, first.id));
        await assert.rejects(discord().actorFor(dana), (error: AppError) => {
          assert.equal(error.code, 'forbidden');
          assert.match(error.message, /deactivated/);
          return true;
        });
        await db.update(users).set({ isActive: true }).where(eq(users.id, first.id));
        assert.equal((await discord().actorFor(dana)).id, first.id);
      });
    });

    describe('channels are conversations', () => {
      test('two people writing first at once get one conversation of the channel, both in it', async () => {
        const place = channel();
        const [dana, eli] = await Promise.all([discord().actorFor(author('Dana')), discord().actorFor(author('Eli'))]);
        const ids = await Promise.all([
          discord().conversationFor(place, dana),
          discord().conversationFor(place, eli),
          discord().conversationFor(place, dana),
        ]);
        assert.equal(new Set(ids).size, 1);
        const row = await conversationRow(ids[0]!);
        assert.equal(row.origin, 'discord');
        assert.equal(row.discordChannelId, place.channelId);
        assert.equal(row.title, '#general');
        const people = await server.runtime.conversations.participants.list({ actor: dana, conversationId: ids[0]! });
        assert.deepEqual(people.map((person) => person.userId).sort(), [dana.id, eli.id].sort());
        assert.equal(await discord().conversationFor(place, eli), ids[0], 'later messages go to it');
      });

      test("a thread is a conversation of its own, starting with its parent channel's models", async () => {
        const parent = channel();
        const dana = await discord().actorFor(author());
        await discord().useModels(parent, dana, ['beta']);
        const parentId = await discord().conversationFor(parent, dana);
        const thread = channel({ parentChannelId: parent.channelId, name: 'a side question' });
        const threadId = await discord().conversationFor(thread, dana);
        assert.notEqual(threadId, parentId);
        assert.equal((await conversationRow(threadId)).discordChannelId, thread.channelId);
        assert.deepEqual(
          (await discord().settingsOf(thread)).models.map((model) => model.id),
          ['fake:beta'],
        );
      });

      test('/new: later messages go to a fresh conversation with the same settings; the old one keeps its data', async () => {
        const place = channel();
        const dana = await discord().actorFor(author());
        await discord().useModels(place, dana, ['alpha', 'beta']);
        await discord().setMode(place, dana, 'first_responder');
        const old = await discord().conversationFor(place, dana);
        await say(dana, old, 'before the fresh start');

        const fresh = await discord().startFresh(place, dana);
        assert.notEqual(fresh, old);
        assert.equal(await discord().conversationFor(place, dana), fresh);
        assert.ok((await conversationRow(old)).endedAt, 'the old conversation ended');
        assert.equal((await conversationRow(fresh)).endedAt, null);
        assert.equal((await messagesOf(dana, old)).length, 3, 'its message and both replies are kept');
        assert.deepEqual(await messagesOf(dana, fresh), []);
        const settings = await discord().settingsOf(place);
        assert.equal(settings.conversationId, fresh);
        assert.deepEqual(
          settings.models.map((model) => model.id),
          ['fake:alpha', 'fake:beta'],
        );
        assert.equal(settings.mode, 'first_responder');
        assert.deepEqual(await discord().destinationOf(old), null, 'the channel now shows the fresh one');
        assert.deepEqual(await discord().destinationOf(fresh), { channelId: place.channelId });
        const active = await discord().activeConversationIds(new Date(Date.now() - 60_000));
        assert.ok(active.includes(fresh) && !active.includes(old), 'the bot follows the current conversations');
      });

      test('a deleted channel ends its conversation, keeping its messages; a web conversation has no channel', async () => {
        const place = channel();
        const dana = await discord().actorFor(author());
        const id = await discord().conversationFor(place, dana);
        await say(dana, id, 'hello');
        await discord().channelEnded(place.channelId);
        assert.ok((await conversationRow(id)).endedAt);
        assert.equal((await messagesOf(dana, id)).length, 2);
        assert.equal(await discord().destinationOf(id), null);
        const web = await server.runtime.conversations.create({ actor: admin.actor, title: 'web' });
        assert.equal(await discord().destinationOf(web.id), null);
      });

      test('a Discord message delivered twice is saved once and answered once', async () => {
        const place = channel();
        const dana = await discord().actorFor(author());
        const id = await discord().conversationFor(place, dana);
        await discord().useModels(place, dana, ['alpha', 'beta']);
        const messageId = snowflake();
        const requestsBefore = fake.requests.length;
        const deliveries = await Promise.all([
          say(dana, id, 'only once please', messageId),
          say(dana, id, 'only once please', messageId),
        ]);
        const replayed = await say(dana, id, 'only once please', messageId);
        assert.deepEqual(
          [...deliveries.map((delivery) => delivery.retried).sort(), replayed.retried],
          [false, true, true],
          'the bot is told which deliveries were repeats, so it posts the replies once',
        );
        const saved = await messagesOf(dana, id);
        assert.deepEqual(
          saved.map((message) => message.role),
          ['user', 'assistant', 'assistant'],
        );
        assert.equal(saved[0]!.requestId, messageId);
        assert.equal(fake.requests.length - requestsBefore, 2, 'each model was called once');
        const usage = await discord().usageOf(dana);
        assert.equal(usage.messagesToday, 1, 'the redeliveries did not count against the daily limit');

        // Redelivered once its turn's stream has expired (here: its newest stream is one the log never had).
        await server.runtime.database.db.insert(streams).values({ id: crypto.randomUUID(), conversationId: id });
        const late = await say(dana, id, 'only once please', messageId);
        assert.equal(late.retried, true, 'no error: it was answered, and nothing more happens');
        assert.equal((await messagesOf(dana, id)).length, 3);
      });
    });

    describe('where the bot answers', () => {
      test('everywhere by default; an admin narrows it to guilds and channels, audited, and bad values are refused', async () => {
        const anywhere = channel({ guildId: '7' });
        assert.equal(await discord().isAllowed(anywhere), true);
        assert.equal(await discord().isAllowed(channel({ guildId: null, isDirect: true })), true);

        const allowed = channel({ guildId: '7' });
        const bad = await admin.client.request(
          'PUT',
          '/api/admin/discord/access',
          JSON.stringify({ guildIds: ['seven'] }),
        );
        assert.equal(bad.status, 400, JSON.stringify(bad.body));
        assert.match(bad.body.error.message, /guildIds/);
        const badThroughConfig = await admin.client.request(
          'PUT',
          '/api/admin/config/discord.access',
          JSON.stringify({ value: { guilds: ['7'] } }),
        );
        assert.equal(badThroughConfig.status, 400, 'the generic config route validates it too');
        const set = await admin.client.request(
          'PUT',
          '/api/admin/discord/access',
          JSON.stringify({ guildIds: ['7'], channelIds: [allowed.channelId], directMessages: false }),
        );
        assert.equal(set.status, 200, JSON.stringify(set.body));
        const shown = await admin.client.get('/api/admin/discord');
        assert.deepEqual(shown.body.access, {
          guildIds: ['7'],
          channelIds: [allowed.channelId],
          directMessages: false,
        });
        try {
          assert.equal(await discord().isAllowed(allowed), true);
          assert.equal(await discord().isAllowed(anywhere), false, 'another channel of the guild');
          assert.equal(
            await discord().isAllowed(channel({ guildId: '7', parentChannelId: allowed.channelId })),
            true,
            'a thread of an allowed channel',
          );
          assert.equal(await discord().isAllowed({ ...allowed, guildId: '8' }), false, 'another guild');
          assert.equal(await discord().isAllowed(channel({ guildId: null, isDirect: true })), false);
          const history = await admin.client.get('/api/admin/config/discord.access/history');
          assert.equal(history.body.items[0].changedBy, admin.id);
        } finally {
          const reset = await admin.client.request('PUT', '/api/admin/discord/access', JSON.stringify({}));
          assert.equal(reset.status, 200);
        }
        assert.equal(await discord().isAllowed(anywhere), true);
      });

      test("an admin's models for a channel are the ones its conversations start with", async () => {
        const place = channel();
        const set = await admin.client.request(
          'PUT',
          '/api/admin/discord/channel-models',
          JSON.stringify({ [place.channelId]: ['fake:beta', 'fake:retired'] }),
        );
        assert.equal(set.status, 200, JSON.stringify(set.body));
        const dana = await discord().actorFor(author());
        const id = await discord().conversationFor(place, dana);
        const details = await server.runtime.conversations.get({ actor: dana, conversationId: id });
        assert.deepEqual(
          details.models.map((model) => model.modelId),
          ['fake:beta'],
          'a retired model is left out',
        );
      });
    });

    describe('channel commands change the conversation as the web does', () => {
      test('/use names models by name or id, in order; unknown and retired ones are refused by name', async () => {
        const place = channel();
        const dana = await discord().actorFor(author());
        const before = await discord().settingsOf(place);
        assert.equal(before.conversationId, null);
        assert.equal(before.models.length, 1, "the server's default model");
        const settings = await discord().useModels(place, dana, ['Beta', 'fake:alpha']);
        assert.deepEqual(
          settings.models.map((model) => model.id),
          ['fake:beta', 'fake:alpha'],
        );
        assert.equal(settings.mode, 'parallel', 'several models answer at once unless told otherwise');
        await rejectsWith(
          discord().useModels(place, dana, ['alpha', 'nonesuch']),
          'invalid_input',
          /nonesuch: no such model/,
        );
        await rejectsWith(discord().useModels(place, dana, ['retired']), 'invalid_input', /fake:retired.*deprecated/);
        const after = await discord().settingsOf(place);
        assert.deepEqual(
          after.models.map((model) => model.id),
          ['fake:beta', 'fake:alpha'],
          'a refused /use changed nothing',
        );
        const pickable = (await discord().pickableModels(dana)).map((model) => model.id);
        assert.ok(pickable.includes('fake:alpha') && !pickable.includes('fake:retired'));
      });

      test('/mode first_responder and /limit: one lead, its reply held to the limit, seen on the web', async () => {
        const place = channel();
        const dana = await discord().actorFor(author());
        await discord().useModels(place, dana, ['verbose', 'alpha']);
        await discord().setMode(place, dana, 'first_responder');
        const settings = await discord().setLimit(place, dana, 40);
        assert.equal(settings.charLimit, 40);
        await rejectsWith(discord().setLimit(place, dana, -1), 'invalid_input', /character limit/);
        await rejectsWith(discord().setMode(place, dana, 'chaos'), 'invalid_input', /unknown mode chaos/);

        const id = await discord().conversationFor(place, dana);
        await say(dana, id, 'go');
        const replies = (await messagesOf(dana, id)).filter((message) => message.role === 'assistant');
        assert.equal(replies.length, 2);
        const lead = replies.find((reply) => reply.isFirstResponder);
        assert.equal(lead?.modelId, 'fake:verbose');
        assert.ok((lead?.content ?? '').length <= 40, `cut to the limit: ${lead?.content}`);
        const details = await server.runtime.conversations.get({ actor: dana, conversationId: id });
        assert.equal(details.conversation.settings.replyMode, 'first_responder');
        assert.equal(details.conversation.settings.charLimit, 40);
        assert.equal((await discord().setLimit(place, dana, 0)).charLimit, null, '0 is no limit');
      });

      test("someone the conversation's owner made a member may not change its settings, as on the web", async () => {
        const place = channel();
        const [dana, eli] = [await discord().actorFor(author('Dana')), await discord().actorFor(author('Eli'))];
        const id = await discord().conversationFor(place, dana);
        await discord().conversationFor(place, eli);
        await server.runtime.conversations.participants.changeRole({
          actor: dana,
          conversationId: id,
          userId: eli.id,
          role: 'member',
        });
        await rejectsWith(
          discord().setMode(place, eli, 'parallel'),
          'forbidden',
          /may read this conversation but not change it/,
        );
        await rejectsWith(discord().startFresh(place, eli), 'forbidden', /not change it/);
      });
    });

    describe('linking a Discord account to a web account', () => {
      const linkWith = (person: Person, code: string) =>
        person.client.request('POST', '/api/me/discord-link', JSON.stringify({ code }));

      test('the code merges the Discord user into the account: every message kept, the conversation in their list', async () => {
        const dana = author('Dana');
        const discordUser = await discord().actorFor(dana);
        const place = channel();
        const id = await discord().conversationFor(place, discordUser);
        await say(discordUser, id, 'written in Discord');
        const { code, expiresAt } = await discord().createLinkCode(discordUser);
        assert.ok(expiresAt.getTime() > Date.now());
        const [stored] = await server.runtime.database.db.select().from(discordLinkCodes);
        assert.notEqual(stored?.codeHash, code, 'only its hash is kept');

        const web = await signUp(server, 'Dana on the web');
        const linked = await linkWith(web, code.toLowerCase());
        assert.equal(linked.status, 204, JSON.stringify(linked.body));

        const list = await web.client.get('/api/conversations');
        const listed = list.body.items.find((item: { id: string }) => item.id === id);
        assert.equal(listed?.origin, 'discord');
        const page = await web.client.get(`/api/conversations/${id}/messages`);
        const texts = page.body.items.map((message: { content: string }) => message.content);
        assert.ok(texts.includes('written in Discord'));
        const mine = (await messagesOf(web.actor, id)).find((message) => message.role === 'user');
        assert.equal(mine?.senderId, web.id);
        assert.deepEqual(
          await server.runtime.database.db.select().from(users).where(eq(users.id, discordUser.id)),
          [],
          'the Discord-only user is gone',
        );
        assert.equal((await web.client.get('/api/me')).body.discordId, dana.discordId);

        const again = await discord().actorFor({ ...dana, name: 'Someone else' });
        assert.equal(again.id, web.id, 'Discord messages are now the account’s');
        assert.equal((await server.runtime.store.users.getById(web.id)).displayName, 'Dana on the web');
        assert.equal(await discord().conversationFor(place, again), id);
        const reply = await web.client.open(
          'POST',
          '/api/chat',
          JSON.stringify({
            id,
            message: { id: crypto.randomUUID(), role: 'user', parts: [{ type: 'text', text: 'and from the web' }] },
          }),
        );
        assert.equal(reply.status, 200, 'writable from the web');
        await readChat(reply.body!);
        const fromWeb = (await messagesOf(web.actor, id)).findLast((message) => message.role === 'user')!;
        assert.deepEqual(await discord().webMessageDestination(id, fromWeb.id), {
          channelId: place.channelId,
          authorName: 'Dana on the web',
        });
        assert.equal(
          await discord().webMessageDestination(id, mine!.id),
          null,
          'a message that came from Discord is not posted back',
        );
        const modelReply = (await messagesOf(web.actor, id)).find((message) => message.role === 'assistant')!;
        assert.equal(await discord().webMessageDestination(id, modelReply.id), null);

        const reused = await linkWith(web, code);
        assert.equal(reused.status, 400);
        assert.match(reused.body.error.message, /already used/);
        await rejectsWith(discord().createLinkCode(again), 'conflict', /already linked/);
      });

      test('unknown, expired and guest: 400 naming the problem, nothing changed', async () => {
        const discordUser = await discord().actorFor(author());
        const web = await signUp(server, 'Fay');
        const unknown = await linkWith(web, 'AAAAA-BBBBB');
        assert.equal(unknown.status, 400);
        assert.match(unknown.body.error.message, /unknown link code/);

        const { code } = await discord().createLinkCode(discordUser);
        await server.runtime.database.db
          .update(discordLinkCodes)
          .set({ expiresAt: new Date(Date.now() - 1000) })
          .where(eq(discordLinkCodes.codeHash, hashLinkCode(code)));
        const expired = await linkWith(web, code);
        assert.equal(expired.status, 400);
        assert.match(expired.body.error.message, /expired/);

        const fresh = await discord().createLinkCode(discordUser);
        const guest = await signInAsGuest(server);
        const byGuest = await linkWith(guest, fresh.code);
        assert.equal(byGuest.status, 400);
        assert.match(byGuest.body.error.message, /guest/);
        assert.equal((await server.runtime.store.users.getById(discordUser.id)).discordId !== null, true);

        const empty = await linkWith(web, ' - ');
        assert.equal(empty.status, 400);
        const taken = await signUp(server, 'Gus');
        assert.equal((await linkWith(taken, fresh.code)).status, 204);
        const other = await discord().actorFor(author());
        const second = await discord().createLinkCode(other);
        const twice = await linkWith(taken, second.code);
        assert.equal(twice.status, 409);
        assert.match(twice.body.error.message, /already linked to another Discord account/);
      });
    });

    test("/usage: the person's tokens and cost, today and in all", async () => {
      const dana = await discord().actorFor(author());
      const place = channel();
      await discord().useModels(place, dana, ['alpha']);
      const id = await discord().conversationFor(place, dana);
      await say(dana, id, 'count me');
      const usage = await discord().usageOf(dana);
      assert.equal(usage.today.messages, 1);
      assert.ok(usage.today.outputTokens > 0);
      assert.deepEqual(usage.allTime, usage.today);
      assert.equal(usage.messagesToday, 1);
      assert.equal(usage.dailyMessageLimit, 1000);
    });
  });
}
