// Discord replies as threads: a Discord reply to a message that shows a Chorus message (a model's reply, a person's
// message) goes in that message's thread, and the model answering it sees the thread's context, not what the channel
// said since. A reply to a Discord message that shows nothing of the conversation stays in the main line.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { conversations } from '../../src/db/schema/index.ts';
import { actorOf } from '../../src/store/index.ts';
import { testBackends } from '../support/database.ts';
import { type BotHarness, startBotHarness, TEST_EDIT_INTERVAL_MS } from '../support/discord-bot.ts';
import type { FakeMessage } from '../support/fake-discord/index.ts';

process.env.AI_SDK_LOG_WARNINGS = 'false';

const ANSWER = 'The answer, in brief.';
const isReply = (message: FakeMessage) => message.source === 'webhook' || message.source === 'bot';
const finalText = (message: FakeMessage) => message.revisions.at(-1)!.content;

for (const kind of testBackends()) {
  describe(`Discord replies as threads on ${kind}`, () => {
    let harness: BotHarness;

    before(async () => {
      harness = await startBotHarness(kind, { models: { answerer: { reply: ANSWER, chunkDelayMs: 2 } } });
    });
    after(async () => {
      await harness?.close();
    });

    const use = async (channelId: string) => {
      const { discord } = harness;
      const interaction = discord.runSlashCommand({ channelId, name: 'use', options: { models: 'fake:answerer' } });
      await discord.waitUntil(() => discord.interaction(interaction.id)?.callbacks[0], 'an answer to /use');
    };
    /** The bot's finished reply to `asked`. */
    const answerTo = async (channelId: string, asked: FakeMessage) => {
      const { discord } = harness;
      const replies = () => discord.messagesIn(channelId).filter((m) => isReply(m) && m.id > asked.id);
      await discord.waitUntil(() => finalText(replies()[0] ?? asked) === ANSWER, 'the reply');
      // Its Discord message is recorded once posted; give the write a moment, as a person would take to reply.
      await new Promise((resolve) => setTimeout(resolve, TEST_EDIT_INTERVAL_MS * 2));
      return replies()[0]!;
    };
    /** The channel's conversation, read as its owner: its main line, oldest first, and a thread of it. */
    const messagesOf = async (channelId: string) => {
      const { store } = harness.server.runtime;
      const { id: conversationId } = (await store.discordConversations.findCurrent(channelId))!;
      const [owner] = await harness.server.runtime.database.db
        .select({ ownerId: conversations.ownerId })
        .from(conversations)
        .where(eq(conversations.id, conversationId));
      const actor = actorOf(await store.users.getById(owner!.ownerId));
      const page = await store.messages.page({ actor, conversationId });
      const threadOn = (rootId: string) => store.threads.read({ actor, conversationId, rootId });
      return { mainLine: page.items.reverse(), threadOn };
    };
    const sentFor = (text: string) =>
      JSON.stringify(
        harness.provider.requestsFor('answerer').findLast((request) => JSON.stringify(request.messages).includes(text)),
      );

    test("a Discord reply to a model's reply goes in that reply's thread, and the model sees the thread's context", async () => {
      const { discord } = harness;
      const channel = discord.createChannel({ guildId: discord.guild('Lab').id, name: 'threaded' });
      await use(channel.id);
      const first = discord.sendMessage({ channelId: channel.id, content: 'tell me about tides', mentionBot: true });
      const firstAnswer = await answerTo(channel.id, first);
      const later = discord.sendMessage({ channelId: channel.id, content: 'now about volcanoes', mentionBot: true });
      await answerTo(channel.id, later);

      const followUp = discord.sendMessage({
        channelId: channel.id,
        content: 'and spring tides?',
        replyTo: firstAnswer.id,
      });
      await answerTo(channel.id, followUp);

      const { mainLine, threadOn } = await messagesOf(channel.id);
      const tidesReply = mainLine.find(
        (message) => message.role === 'assistant' && message.parentId === mainLine[0]!.id,
      )!;
      const thread = await threadOn(tidesReply.id);
      assert.deepEqual(
        thread.messages.map((message) => [message.role, message.content]),
        [
          ['user', 'and spring tides?'],
          ['assistant', ANSWER],
        ],
      );
      assert.ok(!mainLine.some((message) => message.content === 'and spring tides?'), 'not in the main line');
      const sent = sentFor('and spring tides?');
      assert.match(sent, /tell me about tides/);
      assert.doesNotMatch(sent, /volcanoes/, 'not what the channel said after the message replied to');

      // A reply to the person's own Discord message in the thread continues that thread.
      const again = discord.sendMessage({
        channelId: channel.id,
        content: 'and neap tides?',
        replyTo: followUp.id,
        mentionBot: true,
      });
      await answerTo(channel.id, again);
      const reread = await threadOn(tidesReply.id);
      assert.equal(reread.messages.length, 4);
    });

    test('a Discord reply to a message that shows nothing of the conversation stays in the main line', async () => {
      const { discord } = harness;
      const channel = discord.createChannel({ guildId: discord.guild('Lab').id, name: 'unthreaded' });
      await use(channel.id);
      const chatter = discord.sendMessage({ channelId: channel.id, content: 'just people talking' });
      const asked = discord.sendMessage({
        channelId: channel.id,
        content: 'what was that about?',
        replyTo: chatter.id,
        mentionBot: true,
      });
      await answerTo(channel.id, asked);
      const { mainLine } = await messagesOf(channel.id);
      assert.deepEqual(
        mainLine.map((message) => [message.role, message.threadRootId]),
        [
          ['user', null],
          ['assistant', null],
        ],
      );
    });
  });
}
