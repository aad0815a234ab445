// The Discord bot: while this process leads (gateway-leadership.ts) it holds the gateway connection through
// discord.js, answers messages and slash commands, ends the conversations of deleted channels, posts web messages
// into their channels, and writes its metrics. `chorus serve` runs it when DISCORD_BOT_TOKEN is set.
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Client, Events, RESTEvents } from 'discord.js';
import type { ChatService } from '../chat/chat-service.ts';
import type { DatabaseHandle } from '../db/client.ts';
import { DEFAULT_SESSION_LOCK_TIMING, type SessionLockTiming } from '../db/session-lock.ts';
import type { ConversationEvents } from '../events/index.ts';
import { logError } from '../loggable-error.ts';
import type { ModelCache } from '../registry/model-cache.ts';
import type { MetricStore } from '../store/metrics.ts';
import { BotMetrics } from './bot-metrics.ts';
import { ChannelTurns } from './channel-turns.ts';
import { ChannelVoices } from './channel-voices.ts';
import { createDiscordClient } from './discord-client.ts';
import type { DiscordService } from './discord-service.ts';
import { gatewayLeadership, type Leadership } from './gateway-leadership.ts';
import { answerMessage } from './incoming-messages.ts';
import { answerCommand, registerSlashCommands } from './slash-commands.ts';
import { WebMessageRelay } from './web-message-relay.ts';

/** How long a stopping bot lets the replies it is writing finish in Discord. */
const STOP_GRACE_MS = 5_000;
/** Conversations active this recently are followed for web messages from the start; others once used again. */
const FOLLOWED_ACTIVITY_MS = 30 * 24 * 60 * 60 * 1000;
/** How long a failed connection waits before the next try. */
const RECONNECT_DELAY_MS = 5_000;
/** Discord drops a command not answered within 3 s: a slower answer is deferred well before that. */
const DEFAULT_DEFER_AFTER_MS = 1_500;

export type DiscordBotDependencies = {
  database: Pick<DatabaseHandle, 'kind' | 'url'>;
  chat: ChatService;
  discord: DiscordService;
  conversationEvents: ConversationEvents;
  modelCache: Pick<ModelCache, 'get'>;
  metrics: Pick<MetricStore, 'record'>;
};

export type DiscordBotSettings = {
  token: string;
  /** Discord's HTTP API base (DISCORD_API_URL); Discord's own when unset. */
  apiUrl?: string;
  /** How often a process that does not lead tries to, and how often the leader checks its lock. */
  leadership?: SessionLockTiming;
  editIntervalMs?: number;
  /** How long a slash command's answer may take before the command is deferred. */
  deferAfterMs?: number;
  metricsPeriodMs?: number;
  log?: (line: string) => void;
};

export class DiscordBot {
  private readonly leadership: Leadership;
  private session: GatewaySession | null = null;
  private connecting: Promise<void> | null = null;
  private leading = false;

  constructor(
    private readonly dependencies: DiscordBotDependencies,
    private readonly settings: DiscordBotSettings,
  ) {
    this.leadership = gatewayLeadership(
      dependencies.database,
      settings.token,
      { acquired: () => this.lead(), lost: () => this.stepDown() },
      settings.leadership ?? DEFAULT_SESSION_LOCK_TIMING,
    );
  }

  start(): void {
    this.leadership.start();
  }

  /** Stops leading: the replies being written finish (for a few seconds at most), then the gateway is let go. */
  async stop(): Promise<void> {
    await this.leadership.stop();
  }

  /** The bot's Discord user id, while this process holds the gateway connection. */
  get botUserId(): string | null {
    return this.session?.botId ?? null;
  }

  /** Connects; a connection that fails is tried again until it succeeds or the lead is lost. */
  private async lead(): Promise<void> {
    this.leading = true;
    this.connecting = (async () => {
      while (this.leading && !this.session) {
        const session = new GatewaySession(this.dependencies, this.settings);
        try {
          await session.open();
          this.session = session;
          this.settings.log?.(`Discord bot connected as ${session.botId}`);
        } catch (error) {
          logError('the Discord bot could not connect', error);
          await session.close();
          if (this.leading) await sleep(RECONNECT_DELAY_MS);
        }
      }
    })();
    await this.connecting;
  }

  private async stepDown(): Promise<void> {
    this.leading = false;
    await this.connecting;
    const session = this.session;
    this.session = null;
    await session?.close();
  }
}

/** One connection of the bot to the gateway, from its READY to its end. */
class GatewaySession {
  private readonly client: Client;
  private readonly metrics: BotMetrics;
  private turns: ChannelTurns | null = null;
  private relay: WebMessageRelay | null = null;
  private voices: ChannelVoices | null = null;
  botId: string | null = null;

  constructor(
    private readonly dependencies: DiscordBotDependencies,
    private readonly settings: DiscordBotSettings,
  ) {
    this.client = createDiscordClient({ token: settings.token, apiUrl: settings.apiUrl });
    this.metrics = new BotMetrics(dependencies.metrics, settings.metricsPeriodMs);
  }

  async open(): Promise<void> {
    const { client, metrics } = this;
    const ready = new Promise<Client<true>>((resolve) => client.once(Events.ClientReady, resolve));
    client.on(Events.Error, (error) => logError('the Discord client failed', error));
    client.rest.on(RESTEvents.RateLimited, () => metrics.count('rateLimitWaits'));
    await client.login(this.settings.token);
    const readyClient = await ready;
    this.botId = readyClient.user.id;
    const { chat, discord, conversationEvents, modelCache } = this.dependencies;
    const voices = new ChannelVoices(readyClient, () => metrics.count('rateLimitWaits'));
    const relay = new WebMessageRelay({
      events: conversationEvents,
      discord,
      voices,
      models: modelCache,
      metrics,
      editIntervalMs: this.settings.editIntervalMs,
    });
    const turns = new ChannelTurns({
      chat,
      models: modelCache,
      voices,
      metrics,
      follow: (conversationId) => relay.follow(conversationId),
      recordReplyMessage: (messageId, discordMessageId) => discord.recordReplyMessage(messageId, discordMessageId),
      editIntervalMs: this.settings.editIntervalMs,
    });
    this.turns = turns;
    this.voices = voices;
    this.relay = relay;
    metrics.start(this.botId);
    const botId = this.botId;
    const deferAfterMs = this.settings.deferAfterMs ?? DEFAULT_DEFER_AFTER_MS;
    const answering = { discord, turns, voices, metrics, deferAfterMs };
    client.on(Events.MessageCreate, (message) => {
      const arrivedAt = performance.now();
      answerMessage(message, botId, arrivedAt, answering).catch((error: unknown) => {
        metrics.count('errors');
        logError('a Discord message could not be handled', error);
      });
    });
    client.on(Events.InteractionCreate, (interaction) => {
      const arrivedAt = performance.now();
      if (!interaction.isChatInputCommand()) return;
      answerCommand(interaction, arrivedAt, answering).catch((error: unknown) => {
        metrics.count('errors');
        logError('a Discord command could not be handled', error);
      });
    });
    const channelEnded = (channelId: string) => {
      voices.forget(channelId);
      discord.channelEnded(channelId).catch((error: unknown) => logError('ending a deleted channel failed', error));
    };
    client.on(Events.ChannelDelete, (channel) => channelEnded(channel.id));
    client.on(Events.ThreadDelete, (thread) => channelEnded(thread.id));
    await registerSlashCommands(readyClient);
    const since = new Date(Date.now() - FOLLOWED_ACTIVITY_MS);
    for (const conversationId of await discord.activeConversationIds(since)) relay.follow(conversationId);
  }

  async close(): Promise<void> {
    this.client.removeAllListeners(Events.MessageCreate);
    this.client.removeAllListeners(Events.InteractionCreate);
    await this.turns?.settled(STOP_GRACE_MS);
    this.relay?.stop();
    this.voices?.close();
    await this.metrics.stop();
    await this.client.destroy();
  }
}
