// The Discord bot end to end: the real discord.js against the fake Discord, the real chat service and the fake
// provider, on each test database. What people see in the channel is read back from the fake.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { InteractionResponseType, MessageFlags } from 'discord.js';
import { eq } from 'drizzle-orm';
import { conversations } from '../../src/db/schema/index.ts';
import { discordBotOf } from '../../src/discord/bot-from-runtime.ts';
import { DISCORD_METRIC_TYPE, type DiscordBotFigures } from '../../src/discord/bot-metrics.ts';
import { openFenceAfter, splitMessage } from '../../src/discord/message-splitting.ts';
import { testBackends } from '../support/database.ts';
import { type BotHarness, startBotHarness, TEST_EDIT_INTERVAL_MS } from '../support/discord-bot.ts';
import type { FakeMessage } from '../support/fake-discord/index.ts';
import { type Person, signUp } from '../support/people.ts';

process.env.AI_SDK_LOG_WARNINGS = 'false';

const STREAMED = Array.from({ length: 40 }, (_, index) => `word${index}`).join(' ');
const CODE_LINES = Array.from({ length: 170 }, (_, index) => `let value${index} = ${index} * 2; // step`).join('\n');
const LONG = `${'An opening paragraph of prose that sets the scene. '.repeat(30)}\n\n\`\`\`js\n${CODE_LINES}\n\`\`\`\n\nThat is all.`;

const isReply = (message: FakeMessage) => message.source === 'webhook' || message.source === 'bot';
const finalText = (message: FakeMessage) => message.revisions.at(-1)!.content;

for (const kind of testBackends()) {
  describe(`Discord bot on ${kind}`, () => {
    let harness: BotHarness;
    let admin: Person;

    before(async () => {
      harness = await startBotHarness(kind, {
        models: {
          streamer: { reply: STREAMED, chunkSize: 6, chunkDelayMs: 25 },
          long: { reply: LONG, chunkSize: 400, chunkDelayMs: 5 },
          lead: { reply: 'The lead answers first, in brief.', chunkDelayMs: 2 },
          second: { reply: 'A second view, after the lead.', chunkDelayMs: 2 },
          third: { reply: 'A third view, after the lead.', chunkDelayMs: 2 },
          broken: { reply: 'never', failFirst: { count: 1_000, status: 400, body: { error: { message: 'bad' } } } },
        },
      });
      // The first to sign up is the site's admin.
      admin = await signUp(harness.server, 'Ann');
    });
    after(async () => {
      await harness?.close();
    });

    /**
     * Runs a slash command and waits for its first answer, whether given at once or deferred and then written in;
     * returns the answer's content, and whether it was deferred.
     */
    const command = async (channelId: string, name: string, options?: Record<string, string | number>) => {
      const { discord } = harness;
      const interaction = discord.runSlashCommand({ channelId, name, options });
      const answered = await discord.waitUntil(
        () => discord.interaction(interaction.id)?.callbacks[0],
        `an answer to /${name}`,
      );
      const flags = Number(answered.data?.flags ?? 0);
      if (answered.type !== InteractionResponseType.DeferredChannelMessageWithSource) {
        return { interaction, content: String(answered.data?.content ?? ''), flags, deferred: false };
      }
      const written = await discord.waitUntil(() => {
        const original = discord.message(discord.interaction(interaction.id)?.originalMessageId ?? '');
        return original && (original.flags & MessageFlags.Loading) === 0 ? original : null;
      }, `the deferred answer to /${name}`);
      return { interaction, content: finalText(written), flags, deferred: true };
    };

    /** The bot's messages in the channel since `since`, once `done` holds of them (re-checked on every change). */
    const repliesAfter = async (
      channelId: string,
      since: FakeMessage,
      done: (replies: FakeMessage[]) => boolean,
      timeoutMs = 10_000,
    ) => {
      const { discord } = harness;
      const replies = () => discord.messagesIn(channelId).filter((m) => isReply(m) && m.id > since.id);
      await discord.waitUntil(() => done(replies()), 'the replies', timeoutMs);
      // Nothing more arrives afterwards (a reply posted twice would show here).
      await new Promise((resolve) => setTimeout(resolve, TEST_EDIT_INTERVAL_MS * 3));
      return replies();
    };

    test('a mention is answered by a streamed reply named by its model, edited at most once an interval', async () => {
      const { discord } = harness;
      const channel = discord.channel('general');
      const use = await command(channel.id, 'use', { models: 'fake:streamer' });
      assert.match(use.content, /streamer/);
      const asked = discord.sendMessage({ channelId: channel.id, content: 'tell me forty words', mentionBot: true });
      const [reply, ...others] = await repliesAfter(
        channel.id,
        asked,
        (replies) => finalText(replies[0] ?? asked) === STREAMED,
      );
      assert.equal(others.length, 0);
      assert.equal(reply!.source, 'webhook', 'posted through the channel webhook');
      assert.equal(reply!.author.username, 'streamer (fake)', "the model's display name");
      assert.equal(finalText(reply!), STREAMED);
      assert.ok(reply!.revisions.length >= 2, 'the first words were posted, then edited');
      assert.ok(STREAMED.startsWith(reply!.revisions[0]!.content), 'the first post holds the first words');
      // The fake stamps each edit on arrival, so gaps jitter; over the reply, edits never outpace the interval.
      const span = reply!.revisions.at(-1)!.at - reply!.revisions[0]!.at;
      assert.ok(
        reply!.revisions.length - 1 <= Math.floor(span / TEST_EDIT_INTERVAL_MS) + 1,
        `${reply!.revisions.length} writes in ${span} ms`,
      );
    });

    /** A channel of its own for a test, with these models answering. */
    const channelWith = async (name: string, models: string) => {
      const { discord } = harness;
      const channel = discord.createChannel({ guildId: discord.guild('Lab').id, name });
      await command(channel.id, 'use', { models });
      return channel;
    };
    const ask = (channelId: string, content: string) =>
      harness.discord.sendMessage({ channelId, content, mentionBot: true });
    const conversationOf = async (channelId: string) =>
      (await harness.server.runtime.store.discordConversations.findCurrent(channelId))!;

    test('three models in first-responder mode: the lead answers first, the others after it, each named', async () => {
      const channel = await channelWith('trio', 'fake:lead, fake:second, fake:third');
      const mode = await command(channel.id, 'mode', { mode: 'first_responder' });
      assert.match(mode.content, /first_responder/);
      const asked = ask(channel.id, 'what do you all think?');
      const replies = await repliesAfter(
        channel.id,
        asked,
        (found) => found.length === 3 && found.every((m) => !m.content.endsWith(' ') && m.content.includes('.')),
      );
      assert.deepEqual(
        replies.map((reply) => reply.author.username),
        ['lead (fake)', 'second (fake)', 'third (fake)'],
        'the lead posted first',
      );
      assert.equal(finalText(replies[0]!), 'The lead answers first, in brief.');
      const { provider } = harness;
      const lead = provider.requestsFor('lead').at(-1)!;
      for (const follower of ['second', 'third']) {
        const request = provider.requestsFor(follower).at(-1)!;
        assert.ok(request.receivedAt >= lead.finishedAt!, `${follower} was asked after the lead had answered`);
        assert.match(JSON.stringify(request.messages), /The lead answers first/);
      }
    });

    test('a 5,000-character reply continues over messages split at boundaries, code blocks closed and reopened', async () => {
      const channel = await channelWith('long-read', 'fake:long');
      const asked = ask(channel.id, 'write at length');
      const expected = splitMessage(LONG);
      assert.ok(LONG.length > 5_000 && expected.length >= 3);
      const replies = await repliesAfter(
        channel.id,
        asked,
        (found) => found.length === expected.length && finalText(found.at(-1)!) === expected.at(-1),
      );
      assert.deepEqual(replies.map(finalText), expected);
      for (const reply of replies) {
        assert.ok(finalText(reply).length <= 2_000);
        assert.equal(openFenceAfter(finalText(reply), null), null, 'every message closes its code blocks');
      }
      assert.ok(
        replies.slice(1).some((reply) => finalText(reply).startsWith('```js\n')),
        'the block reopened',
      );
    });

    test('the same MESSAGE_CREATE delivered twice gives one message and one reply', async () => {
      const channel = await channelWith('twice', 'fake:lead');
      const asked = ask(channel.id, 'only once, please');
      await repliesAfter(channel.id, asked, (found) => found.length === 1 && finalText(found[0]!).endsWith('brief.'));
      const requestsBefore = harness.provider.requestsFor('lead').length;
      harness.discord.redeliverMessage(asked.id);
      const replies = await repliesAfter(channel.id, asked, (found) => found.length >= 1);
      assert.equal(replies.length, 1);
      assert.equal(harness.provider.requestsFor('lead').length, requestsBefore, 'the model was not asked again');
      const { id } = await conversationOf(channel.id);
      const messages = await harness.server.runtime.store.messages
        .page({ actor: admin.actor, conversationId: id, limit: 10 })
        .catch(() => null);
      if (messages) assert.equal(messages.items.length, 2, 'one message and one reply');
    });

    test('a gateway dropped mid-reply resumes, and the reply is completed', async () => {
      const channel = await channelWith('flaky-gateway', 'fake:streamer');
      const { discord } = harness;
      const resumesBefore = discord.gatewayCounts().resumes;
      const asked = ask(channel.id, 'keep talking');
      await repliesAfter(channel.id, asked, (found) => found.length === 1, 10_000);
      assert.ok(discord.dropGateway() >= 1);
      const [reply] = await repliesAfter(channel.id, asked, (found) => finalText(found[0]!) === STREAMED);
      assert.ok(reply);
      await discord.waitUntil(() => discord.gatewayCounts().resumes > resumesBefore, 'the session to resume');
      assert.equal(discord.gatewayCounts().sessions, 1);
    });

    test("Discord's 429 with retry_after is waited out and a 5xx retried: nothing lost, nothing sent twice", async () => {
      const channel = await channelWith('busy', 'fake:streamer');
      const { discord } = harness;
      // The channel's webhook exists after its first reply; then its posts and edits are refused once each.
      await repliesAfter(
        channel.id,
        ask(channel.id, 'warm up'),
        (found) => finalText(found[0] ?? ({ revisions: [{ content: '' }] } as FakeMessage)) === STREAMED,
      );
      discord.failNext({ route: 'POST /webhooks/:webhookId/:token', status: 429, retryAfter: 0.3 });
      discord.failNext({
        route: 'PATCH /webhooks/:webhookId/:token/messages/:messageId',
        status: 429,
        retryAfter: 0.2,
      });
      discord.failNext({ route: 'PATCH /webhooks/:webhookId/:token/messages/:messageId', status: 502 });
      const asked = ask(channel.id, 'again, through the limits');
      const replies = await repliesAfter(
        channel.id,
        asked,
        (found) => found.length === 1 && finalText(found[0]!) === STREAMED,
      );
      assert.equal(replies.length, 1, 'posted once');
      const refused = discord.requests.filter((request) => request.status === 429 || request.status === 502);
      assert.ok(refused.length >= 3, 'the faults were met');
    });

    test('a reply that fails shows a short error line, never a stack', async () => {
      const channel = await channelWith('failing', 'fake:broken');
      const asked = ask(channel.id, 'this will not work');
      const [reply] = await repliesAfter(
        channel.id,
        asked,
        (found) => found.length === 1 && finalText(found[0]!).includes('⚠️'),
      );
      const text = finalText(reply!);
      assert.ok(text.split('\n').length <= 2 && text.length < 400, text);
      assert.doesNotMatch(text, /\n\s+at /);
    });

    test('direct messages are answered; messages not addressed to the bot, and bots, are not', async () => {
      const { discord } = harness;
      const general = discord.channel('general');
      const quiet = discord.sendMessage({ channelId: general.id, content: 'just chatting, no mention' });
      const dm = discord.sendDirectMessage({ content: 'hello in private' });
      const [reply] = await repliesAfter(
        dm.channelId,
        dm,
        (found) => found.length === 1 && !finalText(found[0]!).endsWith(' '),
      );
      assert.equal(reply!.source, 'bot', 'no webhooks in direct messages: a header line names the model');
      assert.match(finalText(reply!), /^\*\*.+\*\*\n/);
      const after = discord.messagesIn(general.id).filter((m) => isReply(m) && m.id > quiet.id);
      assert.deepEqual(after, []);
    });

    test("a reply to one of the bot's messages is answered, without a mention", async () => {
      const channel = await channelWith('threadlike', 'fake:lead');
      const first = ask(channel.id, 'start');
      const [answer] = await repliesAfter(
        channel.id,
        first,
        (found) => found.length === 1 && finalText(found[0]!).endsWith('brief.'),
      );
      const followUp = harness.discord.sendMessage({
        channelId: channel.id,
        content: 'and then?',
        replyTo: answer!.id,
      });
      const [second] = await repliesAfter(
        channel.id,
        followUp,
        (found) => found.length === 1 && finalText(found[0]!).endsWith('brief.'),
      );
      assert.equal(second!.author.username, 'lead (fake)');
    });

    test('a thread is a conversation of its own, answered inside the thread', async () => {
      const parent = await channelWith('with-threads', 'fake:lead');
      const thread = harness.discord.createThread({ parentId: parent.id, name: 'side topic' });
      const asked = ask(thread.id, 'in the thread');
      const [reply] = await repliesAfter(
        thread.id,
        asked,
        (found) => found.length === 1 && finalText(found[0]!).endsWith('brief.'),
      );
      assert.equal(reply!.author.username, 'lead (fake)');
      const inThread = await conversationOf(thread.id);
      assert.ok(inThread);
      const ofParent = await harness.server.runtime.store.discordConversations.findCurrent(parent.id);
      assert.notEqual(ofParent?.id, inThread.id);
    });

    test('slash commands: /models, /limit, /usage (private), /ask with models, /new', async () => {
      const channel = await channelWith('commands', 'fake:lead');
      const models = await command(channel.id, 'models');
      assert.match(models.content, /fake:streamer/);
      const limit = await command(channel.id, 'limit', { n: 280 });
      assert.match(limit.content, /280 characters/);
      const usage = await command(channel.id, 'usage');
      assert.equal(usage.flags & 64, 64, 'ephemeral');
      assert.match(usage.content, /Today: \d+ messages/);
      const asked = await command(channel.id, 'ask', { prompt: 'from a command', models: 'fake:second' });
      assert.match(asked.content, /from a command/);
      const [reply] = await repliesAfter(channel.id, harness.discord.messagesIn(channel.id).at(-1)!, (found) =>
        found.some((m) => finalText(m) === 'A second view, after the lead.'),
      );
      assert.equal(reply!.author.username, 'second (fake)');
      const before = await conversationOf(channel.id);
      const fresh = await command(channel.id, 'new');
      assert.match(fresh.content, /fresh conversation/);
      assert.notEqual((await conversationOf(channel.id))?.id, before.id);
    });

    test('/link, then the channel is in the web sidebar, and a message written there is posted into the channel', async () => {
      const { discord, server } = harness;
      const channel = await channelWith('linked', 'fake:lead');
      const first = ask(channel.id, 'hello before linking');
      await repliesAfter(channel.id, first, (found) => found.length === 1 && finalText(found[0]!).endsWith('brief.'));
      const link = await command(channel.id, 'link');
      assert.equal(link.flags & 64, 64, 'ephemeral');
      const code = /`([A-Z0-9-]+)`/.exec(link.content)![1]!;
      const bob = await signUp(server, 'Bob');
      const linked = await bob.client.request('POST', '/api/me/discord-link', JSON.stringify({ code }));
      assert.ok(linked.status < 300, JSON.stringify(linked.body));
      const { id } = await conversationOf(channel.id);
      const listed = await bob.client.request('GET', '/api/conversations');
      assert.ok(JSON.stringify(listed.body).includes(id), 'the Discord conversation is in the sidebar');
      const before = discord.messagesIn(channel.id).at(-1)!;
      const sent = await bob.client.open(
        'POST',
        '/api/chat',
        JSON.stringify({
          id,
          message: { id: crypto.randomUUID(), role: 'user', parts: [{ type: 'text', text: 'written on the web' }] },
        }),
      );
      assert.equal(sent.status, 200);
      await sent.text();
      const replies = await repliesAfter(
        channel.id,
        before,
        (found) => found.length === 2 && finalText(found[1]!).endsWith('brief.'),
      );
      assert.equal(finalText(replies[0]!), 'written on the web');
      assert.equal(replies[0]!.author.username, 'Bob', "posted under the person's name");
      assert.equal(replies[1]!.author.username, 'lead (fake)', 'and the reply to it follows');
    });

    test('a deleted channel ends its conversation, keeping it', async () => {
      const channel = await channelWith('doomed', 'fake:lead');
      const asked = ask(channel.id, 'hello');
      await repliesAfter(channel.id, asked, (found) => found.length === 1 && finalText(found[0]!).endsWith('brief.'));
      const { id } = await conversationOf(channel.id);
      harness.discord.deleteChannel(channel.id);
      const { store } = harness.server.runtime;
      for (let tries = 0; tries < 100 && (await store.discordConversations.findCurrent(channel.id)); tries++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.equal(await store.discordConversations.findCurrent(channel.id), undefined);
      const [kept] = await harness.server.runtime.database.db
        .select()
        .from(conversations)
        .where(eq(conversations.id, id));
      assert.ok(kept?.endedAt, 'ended, and kept');
    });

    test('a channel not allowed gets silence; a spent daily limit gets a polite reply', async () => {
      const { discord, server } = harness;
      const allowed = await channelWith('allowed', 'fake:lead');
      const elsewhere = await channelWith('elsewhere', 'fake:lead');
      const configs = server.runtime.store.systemConfigs;
      await configs.set({ actor: admin.actor, key: 'discord.access', value: { channelIds: [allowed.id] } });
      try {
        const requestsBefore = harness.provider.requests.length;
        const ignored = ask(elsewhere.id, 'anyone?');
        const answered = ask(allowed.id, 'and here?');
        await repliesAfter(
          allowed.id,
          answered,
          (found) => found.length === 1 && finalText(found[0]!).endsWith('brief.'),
        );
        assert.deepEqual(
          discord.messagesIn(elsewhere.id).filter((m) => isReply(m) && m.id > ignored.id),
          [],
        );
        assert.equal(harness.provider.requests.length, requestsBefore + 1);
        await configs.set({ actor: admin.actor, key: 'limits.messagesPerDay', value: { user: 0, admin: 0 } });
        const limited = ask(allowed.id, 'one more?');
        const [polite] = await repliesAfter(allowed.id, limited, (found) => found.length === 1);
        assert.match(finalText(polite!), /message limit/);
        assert.equal(harness.provider.requests.length, requestsBefore + 1, 'no model was asked');
      } finally {
        await configs.set({ actor: admin.actor, key: 'discord.access', value: {} });
        await configs.set({ actor: admin.actor, key: 'limits.messagesPerDay', value: {} });
      }
    });

    test("the bot's figures are written under its user id when it stops", async () => {
      const { bot, discord, server } = harness;
      await bot.stop();
      const rows = await server.runtime.store.metrics.query({
        metricType: DISCORD_METRIC_TYPE,
        clientBotId: discord.bot.id,
      });
      assert.ok(rows.length > 0, 'a metrics row');
      // A row per period: a slow run spans more than one.
      const periods = rows.map((row) => row.metricData as DiscordBotFigures);
      const total = (count: (figures: DiscordBotFigures) => number) =>
        periods.reduce((sum, figures) => sum + count(figures), 0);
      assert.ok(total((f) => f.messagesHandled) >= 5);
      assert.ok(total((f) => f.replies) >= 5);
      assert.ok(total((f) => f.edits) >= 1);
      assert.ok(total((f) => f.rateLimitWaits) >= 1);
      assert.ok(total((f) => f.firstWordsLatencyMs.count) >= 5);
    });

    test('a command whose answer is not ready in time is deferred, then answered with its visibility', async () => {
      // Here every answer is "late": the bot defers at once.
      const patient = discordBotOf(harness.server.runtime, { deferAfterMs: 0, editIntervalMs: TEST_EDIT_INTERVAL_MS })!;
      patient.start();
      try {
        await harness.discord.waitUntil(() => patient.botUserId, 'the bot to connect again');
        const channel = harness.discord.channel('general');
        const usage = await command(channel.id, 'usage');
        assert.equal(usage.deferred, true);
        assert.equal(usage.flags & MessageFlags.Ephemeral, MessageFlags.Ephemeral, 'deferred privately');
        assert.match(usage.content, /Today: \d+ messages/);
        const limit = await command(channel.id, 'limit', { n: 300 });
        assert.equal(limit.deferred, true);
        assert.equal(limit.flags & MessageFlags.Ephemeral, 0, 'deferred for the channel to see');
        assert.match(limit.content, /300 characters/);
      } finally {
        await patient.stop();
      }
    });
  });
}
