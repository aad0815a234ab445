// A fake Discord on 127.0.0.1 for tests: enough of the REST API (v10) and of the gateway (WebSocket, JSON, no
// compression) that the real discord.js v14 runs against it unmodified. Tests play the people in the guilds,
// inject failures, and read back everything the bot did.
//
//   const fake = await startFakeDiscord({ guilds: [{ name: 'Lab', channels: [{ name: 'general' }] }] });
//   const client = new Client({ intents, partials: [Partials.Channel], rest: { api: fake.apiUrl } });
//   await client.login(fake.token);
//   const general = fake.channel('general');
//   fake.sendMessage({ channelId: general.id, content: 'hello', mentionBot: true });
//   const reply = await fake.waitForMessage(general.id, (m) => m.source !== 'user');
//   reply.revisions.map((r) => r.content)               // its content over time
//   fake.failNext({ route: 'POST /channels/:channelId/messages', status: 429, retryAfter: 0.2 });
//   fake.dropGateway();                                 // discord.js resumes and gets what it missed
//   await fake.close();
//
// discord.js needs `partials: [Partials.Channel]` to see DMs, against this fake as against Discord. Close the
// discord.js clients before the fake, or they keep trying to reconnect.
//
// Not modelled: compression (zlib, ETF), sharding, presences and members beyond the bot, voice, reactions, pins,
// embeds' rendering, attachments' bytes (only name, size and type are kept), roles and per-channel permission
// overwrites (the bot's guild-wide permissions are set per guild), identify limits, and rate limits unless asked for.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeDiscordControls, type SlashCommandInput, type UserMessageInput, type UserRef } from './controls.ts';
import type { FakeWorld } from './events.ts';
import { FaultQueue, type FaultSpec } from './faults.ts';
import { FakeGateway } from './gateway.ts';
import { DISCORD_LIKE_RATE_LIMITS, GlobalRateLimit, type RouteLimit, RouteRateLimits } from './rate-limits.ts';
import { type RecordedDiscordRequest, RestRouter } from './rest.ts';
import { channelRoutes } from './routes/channels.ts';
import { applicationCommandRoutes } from './routes/commands.ts';
import { identityRoutes } from './routes/identity.ts';
import { interactionCallbackRoutes } from './routes/interactions.ts';
import { webhookRoutes } from './routes/webhooks.ts';
import { addGuild, addUser, type FakeChannelConfig, type FakeGuildConfig, type FakeUserConfig } from './setup.ts';
import {
  type FakeChannel,
  type FakeCommand,
  FakeDiscordState,
  type FakeGuild,
  type FakeInteraction,
  type FakeMessage,
  type FakeUser,
  type FakeWebhook,
} from './state.ts';

export type {
  FakeChannel,
  FakeChannelConfig,
  FakeCommand,
  FakeGuild,
  FakeGuildConfig,
  FakeInteraction,
  FakeMessage,
  FakeUser,
  FakeUserConfig,
  FakeWebhook,
  FaultSpec,
  RecordedDiscordRequest,
  RouteLimit,
  SlashCommandInput,
  UserMessageInput,
  UserRef,
};
export { DISCORD_LIKE_RATE_LIMITS };

export type FakeDiscordOptions = {
  /**
   * The bot token REST and IDENTIFY must carry; by default one of this fake's own, so bots of different fakes never
   * share a gateway lock (keyed by token) on one test database.
   */
  token?: string;
  botName?: string;
  applicationName?: string;
  guilds?: FakeGuildConfig[];
  /** The people in the guilds; default one, 'alice'. */
  users?: FakeUserConfig[];
  /** The heartbeat interval HELLO announces; default 1000 ms (Discord's is about 41 s). */
  heartbeatIntervalMs?: number;
  /** How long after INTERACTION_CREATE the first callback is accepted; default 3000 ms, as on Discord. */
  interactionResponseDeadlineMs?: number;
  /**
   * Per-route limits to enforce, by route key (e.g. DISCORD_LIKE_RATE_LIMITS); default none, every answer then
   * carries a bucket with room to spare.
   */
  rateLimits?: Record<string, RouteLimit>;
  /**
   * Discord's global limit on requests authorized by the bot token (50 a second on Discord; discord.js paces itself
   * to its own `globalRequestsPerSecond`); default none.
   */
  globalRequestsPerSecond?: number;
  /** Log every REST request with its status (and the error of refusals); default on when FAKE_DISCORD_LOG=1. */
  logRequests?: boolean;
};

export type GatewayCounts = {
  /** Open WebSocket connections, identified or not. */
  connections: number;
  /** Open connections with a live session (after IDENTIFY or RESUME). */
  sessions: number;
  identifies: number;
  resumes: number;
  /** Connections that came in on the resume_gateway_url. */
  resumeUrlConnections: number;
};

export type FakeDiscord = {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  /** `${url}/api`: discord.js's `rest.api` option. */
  readonly apiUrl: string;
  readonly gatewayUrl: string;
  readonly token: string;
  readonly bot: FakeUser;
  readonly applicationId: string;
  readonly state: FakeDiscordState;
  /** Every REST request in arrival order, faulted and unknown ones included. */
  readonly requests: RecordedDiscordRequest[];
  guild(name: string): FakeGuild;
  /** A channel or thread by name (optionally within a guild). */
  channel(name: string, guildName?: string): FakeChannel;
  user(username: string): FakeUser;
  addUser(user: FakeUserConfig): FakeUser;
  /** The DM channel between the bot and a user (opened if need be), e.g. to run a slash command in a DM. */
  directChannel(user?: UserRef): FakeChannel;
  /** The bot joins another guild: GUILD_CREATE. */
  addGuild(guild: FakeGuildConfig): FakeGuild;

  sendMessage(input: UserMessageInput): FakeMessage;
  sendDirectMessage(input: { content: string; author?: UserRef }): FakeMessage;
  redeliverMessage(messageId: string): void;
  editUserMessage(messageId: string, content: string): FakeMessage;
  runSlashCommand(input: SlashCommandInput): FakeInteraction;
  createThread(input: { parentId: string; name: string; owner?: UserRef; private?: boolean }): FakeChannel;
  createChannel(input: { guildId: string; name: string }): FakeChannel;
  deleteChannel(channelId: string): void;
  dispatch(event: string, data: unknown): void;

  /** Closes the live gateway connections (default code 4000: discord.js resumes); returns how many. */
  dropGateway(options?: { code?: number; terminate?: boolean }): number;
  invalidateSessions(): void;
  requestReconnect(): void;
  /** Off, heartbeats go unanswered like on a zombie connection, which discord.js closes and resumes. */
  setHeartbeatAcks(enabled: boolean): void;
  gatewayCounts(): GatewayCounts;

  failNext(fault: FaultSpec): void;
  clearFaults(): void;

  requestsTo(route: string): RecordedDiscordRequest[];
  /** Requests that matched no route (each was also logged). */
  unknownRequests(): RecordedDiscordRequest[];
  messagesIn(channelId: string): FakeMessage[];
  message(messageId: string): FakeMessage | undefined;
  webhooksIn(channelId: string): FakeWebhook[];
  commands(guildId?: string): FakeCommand[];
  interaction(interactionId: string): FakeInteraction | undefined;
  /** The milliseconds between consecutive revisions of a message (creation to first edit, and so on). */
  editGapsMs(messageId: string): number[];

  /** Resolves with `check`'s first truthy value, re-checked after every change in the fake; default timeout 10 s. */
  waitUntil<T>(check: () => T | undefined | null | false, what: string, timeoutMs?: number): Promise<T>;
  /** The first message in the channel (from any author) that satisfies `matches`, waiting for it if need be. */
  waitForMessage(
    channelId: string,
    matches?: (message: FakeMessage) => boolean,
    timeoutMs?: number,
  ): Promise<FakeMessage>;
  waitForRequest(
    route: string,
    matches?: (request: RecordedDiscordRequest) => boolean,
    timeoutMs?: number,
  ): Promise<RecordedDiscordRequest>;
  /** Waits until exactly `count` connections hold a live session. */
  waitForSessions(count: number, timeoutMs?: number): Promise<void>;
  /** Stops the gateway and the REST server, cutting every connection. */
  close(): Promise<void>;
};

export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const token = options.token ?? `fake-bot-token-${randomUUID()}`;
  const state = new FakeDiscordState({
    botName: options.botName ?? 'Chorus',
    applicationName: options.applicationName ?? 'Chorus',
  });
  for (const user of options.users ?? [{ username: 'alice' }]) addUser(state, user);
  for (const guild of options.guilds ?? []) addGuild(state, guild);

  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const wsBase = url.replace('http://', 'ws://');
  const gateway = new FakeGateway(state, {
    token,
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 1000,
    resumeUrl: `${wsBase}/gateway-resume`,
    onUnexpected: (description) => console.warn(`fake Discord: ${description}`),
  });
  const world: FakeWorld = { state, gateway };
  const faults = new FaultQueue();
  const router = new RestRouter(
    [
      ...identityRoutes(`${wsBase}/gateway`),
      ...applicationCommandRoutes,
      ...webhookRoutes,
      ...channelRoutes,
      ...interactionCallbackRoutes({ responseDeadlineMs: options.interactionResponseDeadlineMs ?? 3000 }),
    ],
    world,
    faults,
    new RouteRateLimits(options.rateLimits ?? {}),
    new GlobalRateLimit(options.globalRequestsPerSecond ?? null),
    token,
    options.logRequests ?? process.env.FAKE_DISCORD_LOG === '1',
  );
  for (const route of Object.keys(options.rateLimits ?? {})) {
    if (!router.hasRoute(route)) throw new Error(`fake Discord: rateLimits names no route "${route}"`);
  }
  server.on('request', (request, response) => {
    router.answer(request, response).catch((error: unknown) => {
      console.error('fake Discord:', error);
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ message: '500: Internal Server Error', code: 0 }));
    });
  });
  server.on('upgrade', (request, socket, head) => {
    if (!gateway.handleUpgrade(request, socket, head)) socket.destroy();
  });
  const controls = new FakeDiscordControls(world);

  const findChannel = (name: string, guildName?: string) => {
    const guildId = guildName === undefined ? undefined : fake.guild(guildName).id;
    const channel = [...state.channels.values()].find(
      (candidate) => candidate.name === name && (guildId === undefined || candidate.guildId === guildId),
    );
    if (!channel) throw new Error(`fake Discord: no channel named ${name}`);
    return channel;
  };

  const fake: FakeDiscord = {
    url,
    apiUrl: `${url}/api`,
    gatewayUrl: `${wsBase}/gateway`,
    token,
    bot: state.bot,
    applicationId: state.applicationId,
    state,
    requests: router.requests,
    guild(name) {
      const guild = [...state.guilds.values()].find((candidate) => candidate.name === name);
      if (!guild) throw new Error(`fake Discord: no guild named ${name}`);
      return guild;
    },
    channel: findChannel,
    user(username) {
      const user = [...state.users.values()].find((candidate) => candidate.username === username);
      if (!user) throw new Error(`fake Discord: no user named ${username}`);
      return user;
    },
    directChannel: (user) => state.directChannelWith(controls.resolveUser(user).id),
    addGuild(config) {
      const guild = addGuild(state, config);
      controls.addGuild(guild);
      return guild;
    },
    addUser: (user) => addUser(state, user),

    sendMessage: (input) => controls.sendMessage(input),
    sendDirectMessage: (input) => controls.sendDirectMessage(input),
    redeliverMessage: (messageId) => controls.redeliverMessage(messageId),
    editUserMessage: (messageId, content) => controls.editMessage(messageId, content),
    runSlashCommand: (input) => controls.runSlashCommand(input),
    createThread: (input) => controls.createThread(input),
    createChannel: (input) => controls.createChannel(input),
    deleteChannel: (channelId) => controls.deleteChannel(channelId),
    dispatch: (event, data) => controls.dispatch(event, data),

    dropGateway: (dropOptions) => gateway.drop(dropOptions),
    invalidateSessions: () => gateway.invalidateSessions(),
    requestReconnect: () => gateway.requestReconnect(),
    setHeartbeatAcks(enabled) {
      gateway.acknowledgeHeartbeats = enabled;
    },
    gatewayCounts: () => ({
      connections: gateway.connections.size,
      sessions: [...gateway.connections].filter((c) => c.session?.connection === c).length,
      identifies: gateway.identifyCount,
      resumes: gateway.resumeCount,
      resumeUrlConnections: [...gateway.connections].filter((c) => c.via === 'resume').length,
    }),

    failNext(fault) {
      if (fault.route !== undefined && !router.hasRoute(fault.route)) {
        throw new Error(`fake Discord: no route "${fault.route}"; routes are:\n  ${router.routeKeys().join('\n  ')}`);
      }
      faults.add(fault);
    },
    clearFaults: () => faults.clear(),

    requestsTo: (route) => router.requests.filter((request) => request.route === route),
    unknownRequests: () => router.requests.filter((request) => request.route === null),
    messagesIn: (channelId) => state.messagesIn(channelId),
    message: (messageId) => state.messages.get(messageId),
    webhooksIn: (channelId) => [...state.webhooks.values()].filter((webhook) => webhook.channelId === channelId),
    commands: (guildId) => state.commandsOf(guildId ?? null),
    interaction: (interactionId) => state.interactions.get(interactionId),
    editGapsMs(messageId) {
      const revisions = state.messages.get(messageId)?.revisions ?? [];
      return revisions.slice(1).map((revision, index) => revision.at - revisions[index]!.at);
    },

    waitUntil: (check, what, timeoutMs) => state.waitUntil(check, what, timeoutMs),
    waitForMessage: (channelId, matches = () => true, timeoutMs) =>
      state.waitUntil(() => state.messagesIn(channelId).find(matches), `a message in channel ${channelId}`, timeoutMs),
    waitForRequest: (route, matches = () => true, timeoutMs) =>
      state.waitUntil(
        () => router.requests.find((request) => request.route === route && request.status !== null && matches(request)),
        `a request to ${route}`,
        timeoutMs,
      ),
    waitForSessions: async (count, timeoutMs) => {
      await state.waitUntil(() => fake.gatewayCounts().sessions === count, `${count} live gateway sessions`, timeoutMs);
    },
    async close() {
      await gateway.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
  return fake;
}
