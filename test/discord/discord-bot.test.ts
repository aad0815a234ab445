// The Discord bot end to end: the real discord.js against the fake Discord, the real chat service and the fake
// provider, on each test database. What people see in the channel is read back from the fake.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { splitMessage } from '../../src/discord/message-splitting.ts';
import { testBackends } from '../support/database.ts';
import { type BotHarness, startBotHarness, TEST_EDIT_INTERVAL_MS } from '../support/discord-bot.ts';
import type { FakeMessage } from '../support/fake-discord/index.ts';

process.env.AI_SDK_LOG_WARNINGS = 'false';

const STREAMED = Array.from({ length: 40 }, (_, index) => `word${index}`).join(' ');
const CODE_LINES = Array.from({ length: 170 }, (_, index) => `let value${index} = ${index} * 2; // step`).join('\n');
const LONG = `${'An opening paragraph of prose that sets the scene. '.repeat(30)}\n\n\`\`\`js\n${CODE_LINES}\n\`\`\`\n\nThat is all.`;

const isReply = (message: FakeMessage) => message.source === 'webhook' || message.source === 'bot';
const finalText = (message: FakeMessage) => message.revisions.at(-1)!.content;

for (const kind of testBackends()) {
  describe(`Discord bot on ${kind}`, () => {
    let harness: BotHarness;

    before(async () => {
      harness = await startBotHarness(kind, {
        models: {
          streamer: { reply: STREAMED, chunkSize: 6, chunkDelayMs: 25 },
          long: { reply: LONG, chunkSize: 400, chunkDelayMs: 5 },
          lead: { reply: 'The lead answers first, in brief.', chunkDelayMs: 2 },
          second: { reply: 'A second view, after the lead.', chunkDelayMs: 2 },
          third: { reply: 'A third view, after the lead.', chunkDelayMs: 2 },
        },
      });
    });
    after(async () => {
      await harness?.close();
    });

    /** Runs a slash command and waits for its first answer; returns the answer's content. */
    const command = async (channelId: string, name: string, options?: Record<string, string | number>) => {
      const { discord } = harness;
      const interaction = discord.runSlashCommand({ channelId, name, options });
      const answered = await discord.waitUntil(
        () => discord.interaction(interaction.id)?.callbacks[0],
        `an answer to /${name}`,
      );
      return { interaction, content: String(answered.data?.content ?? ''), flags: Number(answered.data?.flags ?? 0) };
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
      await discord.waitUntil(() => done(replies()), 'the replies', timeoutMs).catch((error) => {
        console.log(discord.messagesIn(channelId), discord.requests.map((r) => `${r.method} ${r.route} ${r.status}`));
        throw error;
      });
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
      const [reply, ...others] = await repliesAfter(channel.id, asked, (replies) => finalText(replies[0] ?? asked) === STREAMED);
      assert.equal(others.length, 0);
      assert.equal(reply!.source, 'webhook', 'posted through the channel webhook');
      assert.equal(reply!.author.username, 'streamer');
      assert.equal(finalText(reply!), STREAMED);
      assert.ok(reply!.revisions.length >= 2, 'the first words were posted, then edited');
      assert.ok(STREAMED.startsWith(reply!.revisions[0]!.content), 'the first post holds the first words');
      for (let index = 1; index < reply!.revisions.length; index++) {
        const gap = reply!.revisions[index]!.at - reply!.revisions[index - 1]!.at;
        assert.ok(gap >= TEST_EDIT_INTERVAL_MS - 5, `edits ${gap} ms apart`);
      }
    });
  });
}
