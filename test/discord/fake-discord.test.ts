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
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  type Message,
  MessageFlags,
  Partials,
  PermissionFlagsBits,
  Routes,
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

/** Resolves with the first `count` messages the client receives that `matches` lets through. */
function receiveMessages(client: Client, count: number, matches: (message: Message) => boolean = () => true) {
  const received: Message[] = [];
  return new Promise<Message[]>((resolve) => {
    const listener = (message: Message) => {
      if (!matches(message)) return;
      received.push(message);
      if (received.length < count) return;
      client.off(Events.MessageCreate, listener);
      resolve(received);
    };
    client.on(Events.MessageCreate, listener);
  });
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
    assert.equal((await client.application!.fetch()).name, 'Chorus');
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
    const received = receiveMessages(client, 2, (message) => message.author.id !== client.user?.id);

    fake.sendMessage({ channelId: general.id, content: 'thanks', replyTo: botMessage.id });
    fake.sendDirectMessage({ content: 'psst' });

    const [reply, direct] = (await received) as [Message, Message];
    assert.equal(reply.reference?.messageId, botMessage.id);
    assert.ok(reply.mentions.repliedUser?.id === client.user?.id);
    assert.equal(direct.channel.type, ChannelType.DM);
    assert.equal(direct.content, 'psst');
    assert.equal(direct.guildId, null);
    const answer = await direct.author.send('hello in private');
    assert.equal(answer.channelId, direct.channelId);
    assert.deepEqual(
      fake.messagesIn(direct.channelId).map((message) => [message.source, message.content]),
      [
        ['user', 'psst'],
        ['bot', 'hello in private'],
      ],
    );
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

  test('content over 2,000 characters is refused as Discord refuses it', async () => {
    const fake = await startFake();
    const client = await startClient(fake);
    const general = await textChannel(client, fake.channel('general').id);

    await assert.rejects(general.send('x'.repeat(2001)), (error: DiscordAPIError) => error.code === 50035);
    await general.send('x'.repeat(2000));

    assert.deepEqual(
      fake.messagesIn(general.id).map((message) => message.content.length),
      [2000],
    );
  });

  test('a webhook message carries the username and avatar it was sent with, and its edits', async () => {
    const fake = await startFake();
    const client = await startClient(fake);
    const general = await textChannel(client, fake.channel('general').id);

    const webhook = await general.createWebhook({ name: 'Chorus replies' });
    const sent = await webhook.send({
      content: 'Hello from a model',
      username: 'GPT Test',
      avatarURL: 'https://example.test/gpt.png',
    });
    await webhook.editMessage(sent.id, { content: 'Hello from a model, edited' });

    assert.equal(sent.author.username, 'GPT Test');
    assert.equal(sent.webhookId, webhook.id);
    assert.deepEqual(
      fake.webhooksIn(general.id).map((hook) => hook.name),
      ['Chorus replies'],
    );
    const stored = fake.message(sent.id);
    assert.equal(stored?.source, 'webhook');
    assert.equal(stored?.author.username, 'GPT Test');
    assert.equal(stored?.webhookAvatarUrl, 'https://example.test/gpt.png');
    assert.deepEqual(
      stored?.revisions.map((revision) => revision.content),
      ['Hello from a model', 'Hello from a model, edited'],
    );
    const listed = await general.fetchWebhooks();
    assert.deepEqual([...listed.keys()], [webhook.id]);
  });

  test('a bot without Manage Webhooks sees so in its permissions, and creating a webhook is refused', async () => {
    const fake = await startFake({
      guilds: [
        { name: 'Open', channels: [{ name: 'open-general' }] },
        {
          name: 'Strict',
          channels: [{ name: 'strict-general' }],
          botPermissions: PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages,
        },
      ],
    });
    const client = await startClient(fake);
    const open = await textChannel(client, fake.channel('open-general').id);
    const strict = await textChannel(client, fake.channel('strict-general').id);

    assert.equal(open.permissionsFor(client.user!)?.has(PermissionFlagsBits.ManageWebhooks), true);
    assert.equal(strict.permissionsFor(client.user!)?.has(PermissionFlagsBits.ManageWebhooks), false);
    assert.equal(strict.permissionsFor(client.user!)?.has(PermissionFlagsBits.SendMessages), true);
    await assert.rejects(strict.createWebhook({ name: 'Chorus' }), (error: DiscordAPIError) => error.code === 50013);
    await strict.send('a header line instead');
  });

  test('a 429 with retry_after makes discord.js wait, then the message is sent exactly once', async () => {
    const fake = await startFake();
    const client = await startClient(fake);
    const general = await textChannel(client, fake.channel('general').id);
    fake.failNext({ route: 'POST /channels/:channelId/messages', status: 429, retryAfter: 0.2 });

    const message = await general.send('after the limit');

    const attempts = fake.requestsTo('POST /channels/:channelId/messages');
    assert.deepEqual(
      attempts.map((request) => request.status),
      [429, 200],
    );
    assert.ok(attempts[1]!.at - attempts[0]!.at >= 200, 'the retry came after retry_after');
    assert.deepEqual(
      fake.messagesIn(general.id).map((stored) => [stored.id, stored.content]),
      [[message.id, 'after the limit']],
    );
  });

  test('a global 429 holds every route until retry_after has passed', async () => {
    const fake = await startFake();
    const client = await startClient(fake);
    const general = await textChannel(client, fake.channel('general').id);
    const random = await textChannel(client, fake.channel('random').id);
    const route = 'POST /channels/:channelId/messages';
    fake.failNext({ status: 429, retryAfter: 0.3, global: true });

    const limitNoticed = once(client.rest, 'rateLimited');
    const first = general.send('one');
    const [limit] = (await limitNoticed) as [{ global: boolean }];
    assert.equal(limit.global, true);
    // Another channel is another bucket: only the global limit holds this one back.
    await random.send('two');
    await first;

    const [limited, ...retried] = fake.requestsTo(route);
    assert.deepEqual([limited?.params.channelId, limited?.status], [general.id, 429]);
    assert.deepEqual(
      retried.map((request) => request.status),
      [200, 200],
    );
    assert.deepEqual(retried.map((request) => request.params.channelId).sort(), [general.id, random.id].sort());
    for (const request of retried) assert.ok(request.at - limited!.at >= 300, 'nothing sent during the limit');
    assert.equal(fake.messagesIn(general.id).length + fake.messagesIn(random.id).length, 2);
  });

  test('with modelled route limits, discord.js paces itself from the headers and meets no 429', async () => {
    const route = 'PATCH /channels/:channelId/messages/:messageId';
    const fake = await startFake({ rateLimits: { [route]: { limit: 2, windowSeconds: 0.3 } } });
    const client = await startClient(fake);
    const general = await textChannel(client, fake.channel('general').id);
    const message = await general.send('0');

    for (let edit = 1; edit <= 3; edit++) await message.edit(String(edit));

    const edits = fake.requestsTo(route);
    assert.deepEqual(
      edits.map((request) => request.status),
      [200, 200, 200],
    );
    assert.deepEqual(
      fake.message(message.id)?.revisions.map((revision) => revision.content),
      ['0', '1', '2', '3'],
    );
    // Two edits per window at most: the third waited for the next window.
    assert.ok(edits[2]!.at - edits[0]!.at >= 300);
  });

  test('a spent modelled route limit answers 429 with the time left', async () => {
    const route = 'POST /channels/:channelId/messages';
    const fake = await startFake({ rateLimits: { [route]: { limit: 1, windowSeconds: 0.3 } } });
    const general = fake.channel('general').id;
    const send = (content: string) =>
      fetch(`${fake.apiUrl}/v10/channels/${general}/messages`, {
        method: 'POST',
        headers: { authorization: `Bot ${fake.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ content }),
      });

    const first = await send('one');
    const second = await send('two');

    assert.equal(first.status, 200);
    assert.equal(first.headers.get('x-ratelimit-remaining'), '0');
    assert.equal(second.status, 429);
    const body = (await second.json()) as { retry_after: number; global: boolean };
    assert.ok(body.retry_after > 0 && body.retry_after <= 0.3);
    assert.equal(body.global, false);
    assert.equal(second.headers.get('retry-after'), String(body.retry_after));
  });

  test('a modelled global limit answers the excess with global 429s, and every message still lands once', async () => {
    const fake = await startFake({ globalRequestsPerSecond: 3 });
    const client = await startClient(fake);
    const channels = await Promise.all(['general', 'random'].map((name) => textChannel(client, fake.channel(name).id)));

    await Promise.all([0, 1, 2, 3, 4].map((index) => channels[index % 2]!.send(`message ${index}`)));

    const sends = fake.requestsTo('POST /channels/:channelId/messages');
    assert.ok(sends.some((request) => request.status === 429 && (request.answer as { global: boolean }).global));
    const stored = channels.flatMap((channel) => fake.messagesIn(channel.id).map((message) => message.content));
    assert.deepEqual(stored.sort(), ['message 0', 'message 1', 'message 2', 'message 3', 'message 4']);
  });

  test('a 5xx is retried and the message is sent once', async () => {
    const fake = await startFake();
    const client = await startClient(fake);
    const general = await textChannel(client, fake.channel('general').id);
    fake.failNext({ route: 'POST /channels/:channelId/messages', status: 502, count: 2 });

    await general.send('through the errors');

    assert.deepEqual(
      fake.requestsTo('POST /channels/:channelId/messages').map((request) => request.status),
      [502, 502, 200],
    );
    assert.deepEqual(
      fake.messagesIn(general.id).map((stored) => stored.content),
      ['through the errors'],
    );
  });

  for (const [how, drop] of [
    ['closed with 4000', {}],
    ['cut without a close frame', { terminate: true }],
  ] as const) {
    test(`a gateway connection ${how} is resumed, without a new IDENTIFY, and the missed events arrive`, async () => {
      const fake = await startFake();
      const client = await startClient(fake);
      const general = fake.channel('general');
      const received = receiveMessages(client, 4);
      fake.sendMessage({ channelId: general.id, content: 'before' });

      const resumed = once(client, Events.ShardResume);
      assert.equal(fake.dropGateway(drop), 1);
      fake.sendMessage({ channelId: general.id, content: 'while away 1' });
      fake.sendMessage({ channelId: general.id, content: 'while away 2' });
      await resumed;
      fake.sendMessage({ channelId: general.id, content: 'after' });

      assert.deepEqual(
        (await received).map((message) => message.content),
        ['before', 'while away 1', 'while away 2', 'after'],
      );
      const counts = fake.gatewayCounts();
      assert.equal(counts.identifies, 1);
      assert.equal(counts.resumes, 1);
      assert.equal(counts.sessions, 1);
      assert.equal(counts.resumeUrlConnections, 1);
    });
  }

  test('unanswered heartbeats make discord.js close the zombie connection and resume', async () => {
    const fake = await startFake({ heartbeatIntervalMs: 200 });
    const client = await startClient(fake);
    const resumed = once(client, Events.ShardResume);

    fake.setHeartbeatAcks(false);
    await fake.waitUntil(() => fake.gatewayCounts().sessions === 0, 'the client to give up on the connection');
    fake.setHeartbeatAcks(true);
    await resumed;

    assert.equal(fake.gatewayCounts().identifies, 1);
    assert.equal(fake.gatewayCounts().resumes, 1);
  });

  test('a RECONNECT request is answered with a resume', async () => {
    const fake = await startFake();
    const client = await startClient(fake);
    const resumed = once(client, Events.ShardResume);

    fake.requestReconnect();
    await resumed;

    assert.deepEqual(
      [fake.gatewayCounts().identifies, fake.gatewayCounts().resumes, fake.gatewayCounts().sessions],
      [1, 1, 1],
    );
  });

  test('each client holds its own session and gets every event; one leaving ends only its own', async () => {
    const fake = await startFake();
    const first = await startClient(fake);
    const second = await startClient(fake);
    assert.equal(fake.gatewayCounts().sessions, 2);
    const bothReceived = Promise.all([receiveMessages(first, 1), receiveMessages(second, 1)]);

    fake.sendMessage({ channelId: fake.channel('general').id, content: 'to everyone' });
    const [[toFirst], [toSecond]] = await bothReceived;
    await first.destroy();
    await fake.waitForSessions(1);

    assert.equal(toFirst?.content, 'to everyone');
    assert.equal(toSecond?.content, 'to everyone');
    assert.deepEqual([fake.gatewayCounts().identifies, fake.gatewayCounts().connections], [2, 1]);
  });

  test('a guild the bot joins later arrives with its channels', async () => {
    const fake = await startFake();
    const client = await startClient(fake);
    const joined = once(client, Events.GuildCreate);

    const guild = fake.addGuild({ name: 'Second', channels: [{ name: 'lobby' }] });

    const [created] = (await joined) as [{ id: string; channels: { cache: Map<string, { name: string }> } }];
    assert.equal(created.id, guild.id);
    assert.deepEqual(
      [...created.channels.cache.values()].map((channel) => channel.name),
      ['lobby'],
    );
  });

  test('the same MESSAGE_CREATE delivered twice reaches the client twice, with new sequence numbers', async () => {
    const fake = await startFake();
    const client = await startClient(fake);
    const deliveries: Array<{ id: string; sequence: number }> = [];
    const both = new Promise<void>((resolve) => {
      client.on(Events.Raw, (packet: { t: string; s: number; d: { id: string } }) => {
        if (packet.t !== 'MESSAGE_CREATE') return;
        deliveries.push({ id: packet.d.id, sequence: packet.s });
        if (deliveries.length === 2) resolve();
      });
    });

    const sent = fake.sendMessage({ channelId: fake.channel('general').id, content: 'once', mentionBot: true });
    fake.redeliverMessage(sent.id);
    await both;

    assert.deepEqual(
      deliveries.map((delivery) => delivery.id),
      [sent.id, sent.id],
    );
    assert.equal(deliveries[1]!.sequence, deliveries[0]!.sequence + 1);
  });

  test('slash commands are registered, then run; the reply is deferred, edited and followed up', async () => {
    const fake = await startFake();
    const client = await startClient(fake);
    const guildId = fake.guild('Lab').id;
    const ask = new SlashCommandBuilder()
      .setName('ask')
      .setDescription('Ask the models')
      .addStringOption((option) => option.setName('prompt').setDescription('What to ask').setRequired(true));
    await client.application!.commands.set([ask.toJSON()]);
    await client.application!.commands.set([ask.toJSON()], guildId);
    assert.deepEqual(
      fake.commands().map((command) => command.name),
      ['ask'],
    );
    assert.deepEqual(
      fake.commands(guildId).map((command) => command.name),
      ['ask'],
    );
    const handled = new Promise<void>((resolve, reject) => {
      client.on(Events.InteractionCreate, async (interaction) => {
        try {
          if (!interaction.isChatInputCommand()) return;
          await answer(interaction);
          resolve();
        } catch (error) {
          reject(error);
        }
      });
    });
    const answer = async (interaction: ChatInputCommandInteraction) => {
      assert.equal(interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild), true);
      await interaction.deferReply();
      await interaction.editReply(`You asked: ${interaction.options.getString('prompt', true)}`);
      await interaction.editReply('Answer: 4');
      await interaction.followUp('One more thing');
    };

    const run = fake.runSlashCommand({
      channelId: fake.channel('general').id,
      name: 'ask',
      options: { prompt: '2+2?' },
      memberPermissions: PermissionFlagsBits.ManageGuild,
    });
    await handled;

    const interaction = fake.interaction(run.id)!;
    assert.deepEqual(
      interaction.callbacks.map((callback) => callback.type),
      [5],
    );
    const original = fake.message(interaction.originalMessageId!);
    assert.deepEqual(
      original?.revisions.map((revision) => revision.content),
      ['', 'You asked: 2+2?', 'Answer: 4'],
    );
    assert.deepEqual(
      interaction.followupMessageIds.map((id) => fake.message(id)?.content),
      ['One more thing'],
    );
  });

  test('an immediate interaction reply can be edited through @original, and a second callback is refused', async () => {
    const fake = await startFake();
    const client = await startClient(fake);
    await client.application!.commands.set([{ name: 'usage', description: 'My usage' }]);
    const outcome = new Promise<unknown>((resolve) => {
      client.on(Events.InteractionCreate, async (interaction) => {
        if (!interaction.isChatInputCommand()) return;
        await interaction.reply('0 tokens');
        await interaction.editReply('12 tokens');
        const again = { type: 4, data: { content: 'again' } };
        const callback = Routes.interactionCallback(interaction.id, interaction.token);
        resolve(await client.rest.post(callback, { body: again, auth: false }).catch((error: unknown) => error));
      });
    });

    const run = fake.runSlashCommand({ channelId: fake.channel('general').id, name: 'usage' });

    assert.ok((await outcome) instanceof DiscordAPIError);
    assert.equal(((await outcome) as DiscordAPIError).code, 40060);
    const interaction = fake.interaction(run.id)!;
    assert.deepEqual(
      fake.message(interaction.originalMessageId!)?.revisions.map((revision) => revision.content),
      ['0 tokens', '12 tokens'],
    );
    assert.equal(interaction.callbacks.length, 1);
  });

  test('a slash command run in a DM can be answered privately, and the private answer is never dispatched', async () => {
    const fake = await startFake();
    const client = await startClient(fake);
    await client.application!.commands.set([{ name: 'link', description: 'Link your account' }]);
    const dispatched: string[] = [];
    client.on(Events.Raw, (packet: { t: string }) => dispatched.push(packet.t));
    const answered = new Promise<string | null>((resolve) => {
      client.on(Events.InteractionCreate, async (interaction) => {
        if (!interaction.isChatInputCommand()) return;
        await interaction.reply({ content: 'Your code: 123456', flags: MessageFlags.Ephemeral });
        resolve(interaction.guildId);
      });
    });

    const run = fake.runSlashCommand({ channelId: fake.directChannel().id, name: 'link' });

    assert.equal(await answered, null);
    const original = fake.message(fake.interaction(run.id)!.originalMessageId!);
    assert.equal(original?.content, 'Your code: 123456');
    assert.equal((original!.flags & MessageFlags.Ephemeral) !== 0, true);
    // A message written afterwards arrives after anything the answer could have dispatched.
    const later = receiveMessages(client, 1);
    fake.sendDirectMessage({ content: 'thanks' });
    await later;
    assert.equal(dispatched.filter((event) => event === 'MESSAGE_CREATE').length, 1);
  });

  test('without the MessageContent intent, content shows only where the bot is mentioned', async () => {
    const fake = await startFake();
    const client = new Client({
      intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages],
      rest: { api: fake.apiUrl },
    });
    opened.push({ close: () => client.destroy() });
    const ready = once(client, Events.ClientReady);
    await client.login(fake.token);
    await ready;
    const received = receiveMessages(client, 2);

    fake.sendMessage({ channelId: fake.channel('general').id, content: 'just chatting' });
    fake.sendMessage({ channelId: fake.channel('general').id, content: 'hi bot', mentionBot: true });

    assert.deepEqual(
      (await received).map((message) => message.content),
      ['', `<@${fake.bot.id}> hi bot`],
    );
  });

  test('channel deletion and new threads reach the client', async () => {
    const fake = await startFake();
    const client = await startClient(fake);
    const deleted = once(client, Events.ChannelDelete);
    const created = once(client, Events.ThreadCreate);

    const thread = fake.createThread({ parentId: fake.channel('general').id, name: 'side talk' });
    fake.deleteChannel(fake.channel('random').id);

    const [threadChannel] = (await created) as [{ id: string; name: string }];
    assert.equal(threadChannel.id, thread.id);
    assert.equal(threadChannel.name, 'side talk');
    const [channel] = (await deleted) as [{ id: string }];
    assert.equal(channel.id, fake.channel('random').id);
  });

  test("requests to routes the fake does not know answer 404 in Discord's shape and are listed", async () => {
    const fake = await startFake();
    const client = await startClient(fake);

    await assert.rejects(client.rest.get('/guilds/1234567890123456789/emojis'), { status: 404 });

    assert.deepEqual(
      fake.unknownRequests().map((request) => `${request.method} ${request.path}`),
      ['GET /guilds/1234567890123456789/emojis'],
    );
  });
});
