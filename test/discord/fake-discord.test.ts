// The fake Discord the bot's tests run against, proven with the real discord.js: a client logs in over the fake's
// REST and gateway, sees its guilds, receives what people write, and what it sends (messages, edits, webhook
// messages, interaction replies) lands in the fake exactly once, through rate limits, server errors and a dropped
// gateway connection.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { afterEach, describe, test } from 'node:test';
import {
  ChannelType,
  type ChatInputCommandInteraction,
  Client,
  Events,
  GatewayIntentBits,
  type Message,
  Partials,
  SlashCommandBuilder,
  type TextChannel,
} from 'discord.js';
import { type FakeDiscord, type FakeDiscordOptions, startFakeDiscord } from '../support/fake-discord/index.ts';

const GUILDS: FakeDiscordOptions['guilds'] = [
  {
    name: 'Lab',
    channels: [{ name: 'general' }, { name: 'random' }, { name: 'ideas', type: 'thread', parent: 'general' }],
  },
];

const opened: Array<{ close(): Promise<unknown> }> = [];
afterEach(async () => {
  for (const resource of opened.splice(0).reverse()) await resource.close();
});

async function startFake(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const fake = await startFakeDiscord({ guilds: GUILDS, heartbeatIntervalMs: 500, ...options });
  opened.push(fake);
  return fake;
}

/** A discord.js client as a bot builds one, logged in to the fake and ready (every guild received). */
async function startClient(fake: FakeDiscord): Promise<Client> {
  const client = new Client({
    intents: [
      GatewayIntentBits.Guilds,
      GatewayIntentBits.GuildMessages,
      GatewayIntentBits.MessageContent,
      GatewayIntentBits.DirectMessages,
    ],
    partials: [Partials.Channel],
    rest: { api: fake.apiUrl },
  });
  opened.push({ close: () => client.destroy() });
  const ready = once(client, Events.ClientReady);
  await client.login(fake.token);
  await ready;
  return client;
}

async function textChannel(client: Client, id: string): Promise<TextChannel> {
  const channel = await client.channels.fetch(id);
  assert.ok(channel?.type === ChannelType.GuildText);
  return channel;
}

describe('the fake Discord, driven by discord.js', () => {
  test('a client logs in and sees its guild with its channels and threads', async () => {
    const fake = await startFake();
    const client = await startClient(fake);

    assert.equal(client.user?.id, fake.bot.id);
    assert.equal(client.application?.id, fake.applicationId);
    const guild = client.guilds.cache.get(fake.guild('Lab').id);
    assert.equal(guild?.name, 'Lab');
    const names = [...(guild?.channels.cache.values() ?? [])].map((channel) => `${channel.name}:${channel.type}`);
    assert.deepEqual(names.sort(), ['general:0', 'ideas:11', 'random:0']);
    const thread = guild?.channels.cache.find((channel) => channel.name === 'ideas');
    assert.equal(thread?.isThread() && thread.parentId, fake.channel('general').id);
    assert.deepEqual(fake.gatewayCounts(), {
      connections: 1,
      sessions: 1,
      identifies: 1,
      resumes: 0,
      resumeUrlConnections: 0,
    });
  });

  test('a message mentioning the bot arrives with its author, content and mention', async () => {
    const fake = await startFake();
    const client = await startClient(fake);
    const received = once(client, Events.MessageCreate) as Promise<[Message]>;

    const sent = fake.sendMessage({ channelId: fake.channel('general').id, content: 'what is 2+2?', mentionBot: true });

    const [message] = await received;
    assert.equal(message.id, sent.id);
    assert.equal(message.author.username, 'alice');
    assert.equal(message.content, `<@${fake.bot.id}> what is 2+2?`);
    assert.ok(message.mentions.has(client.user!));
    assert.equal(message.guildId, fake.guild('Lab').id);
  });

  test('a reply to the bot and a direct message arrive as such', async () => {
    const fake = await startFake();
    const client = await startClient(fake);
    const general = await textChannel(client, fake.channel('general').id);
    const botMessage = await general.send('I am the bot');
    const messages: Message[] = [];
    client.on(Events.MessageCreate, (message) => {
      if (message.author.id !== client.user?.id) messages.push(message);
    });

    fake.sendMessage({ channelId: general.id, content: 'thanks', replyTo: botMessage.id });
    fake.sendDirectMessage({ content: 'psst' });
    await fake.waitUntil(() => messages.length === 2, 'both messages');

    const [reply, direct] = messages as [Message, Message];
    assert.equal(reply.reference?.messageId, botMessage.id);
    assert.ok(reply.mentions.repliedUser?.id === client.user?.id);
    assert.equal(direct.channel.type, ChannelType.DM);
    assert.equal(direct.content, 'psst');
    assert.equal(direct.guildId, null);
  });

  test('a message the bot sends and edits is stored with each revision of its content', async () => {
    const fake = await startFake();
    const client = await startClient(fake);
    const general = await textChannel(client, fake.channel('general').id);

    const message = await general.send('Thinking');
    await message.edit('Thinking about it');
    await message.edit('The answer is 4.');

    const stored = fake.message(message.id);
    assert.equal(stored?.source, 'bot');
    assert.equal(stored?.author.id, fake.bot.id);
    assert.deepEqual(
      stored?.revisions.map((revision) => revision.content),
      ['Thinking', 'Thinking about it', 'The answer is 4.'],
    );
    assert.equal(fake.messagesIn(general.id).length, 1);
  });
});
