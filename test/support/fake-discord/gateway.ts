// The fake's gateway: Discord's WebSocket protocol in JSON without compression. HELLO, heartbeats and their ACKs,
// IDENTIFY → READY and a GUILD_CREATE per guild, dispatches numbered per session, and RESUME, which replays every
// event the session missed after the sequence the client names, then RESUMED. Events are filtered by the intents the
// session identified with, and message content is blanked without the MessageContent intent, as Discord does.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { GatewayCloseCodes, GatewayDispatchEvents, GatewayIntentBits, GatewayOpcodes } from 'discord.js';
import { type WebSocket, WebSocketServer } from 'ws';
import type { FakeDiscordState } from './state.ts';
import { applicationPayload, guildCreatePayload, userPayload } from './wire.ts';

type DispatchPayload = { op: GatewayOpcodes.Dispatch; s: number; t: string; d: unknown };

export type GatewaySession = {
  id: string;
  intents: number;
  /** The last sequence number given to an event of this session. */
  sequence: number;
  /** Every event dispatched to this session, kept for RESUME. */
  events: DispatchPayload[];
  connection: GatewayConnection | null;
  /** An invalidated session can no longer be resumed (the client closed it, or a test invalidated it). */
  invalidated: boolean;
};

export type GatewayConnection = {
  socket: WebSocket;
  /** `gateway` for the URL from GET /gateway/bot, `resume` for the session's resume_gateway_url. */
  via: 'gateway' | 'resume';
  session: GatewaySession | null;
  heartbeats: number;
  lastHeartbeatAt: number | null;
};

/** Who may receive an event: the intent it needs (none for READY-like events), and its data per session. */
export type DispatchTarget = {
  intent?: GatewayIntentBits;
  dataFor?: (session: GatewaySession) => unknown;
};

export type GatewayOptions = {
  token: string | null;
  heartbeatIntervalMs: number;
  /** The resume_gateway_url READY names: ws://127.0.0.1:<port>/gateway-resume */
  resumeUrl: string;
  onUnexpected: (description: string) => void;
};

/** How many events a session keeps for replay; a test dispatches far fewer. */
const REPLAY_BUFFER = 10_000;

export class FakeGateway {
  readonly sessions = new Map<string, GatewaySession>();
  readonly connections = new Set<GatewayConnection>();
  identifyCount = 0;
  /** Off, the gateway goes quiet like a zombie connection: discord.js notices the missing ACK and resumes. */
  acknowledgeHeartbeats = true;
  resumeCount = 0;
  private readonly server = new WebSocketServer({ noServer: true });

  constructor(
    private readonly state: FakeDiscordState,
    private readonly options: GatewayOptions,
  ) {}

  /** Takes over an HTTP upgrade on /gateway or /gateway-resume; returns false for any other path. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = new URL(request.url ?? '/', 'http://fake');
    const via = url.pathname === '/gateway' ? 'gateway' : url.pathname === '/gateway-resume' ? 'resume' : null;
    if (!via) return false;
    if (url.searchParams.get('encoding') !== 'json' || url.searchParams.has('compress')) {
      this.options.onUnexpected(`gateway asked for ${url.search}: the fake speaks JSON without compression`);
    }
    this.server.handleUpgrade(request, socket, head, (ws) => this.accept(ws, via));
    return true;
  }

  dispatch(event: string, data: unknown, target: DispatchTarget = {}): void {
    for (const session of this.sessions.values()) {
      if (session.invalidated) continue;
      if (target.intent !== undefined && (session.intents & target.intent) === 0) continue;
      const sessionData = target.dataFor ? target.dataFor(session) : data;
      this.dispatchTo(session, event, sessionData);
    }
  }

  /**
   * Closes every live connection (or those of one session) the way a network failure or a Discord restart would.
   * With the default code 4000 (unknown error) discord.js resumes; 1000 makes it identify afresh; `terminate` cuts
   * the TCP connection without a close frame.
   */
  drop(options: { code?: number; terminate?: boolean; sessionId?: string } = {}): number {
    let dropped = 0;
    for (const connection of this.connections) {
      if (options.sessionId && connection.session?.id !== options.sessionId) continue;
      this.detach(connection);
      if (options.terminate) connection.socket.terminate();
      else connection.socket.close(options.code ?? GatewayCloseCodes.UnknownError, 'dropped by the test');
      dropped++;
    }
    return dropped;
  }

  /**
   * Ends every session as Discord does when it cannot keep one: a live connection gets INVALID_SESSION (not
   * resumable), a later RESUME gets the same, and the client identifies anew.
   */
  invalidateSessions(): void {
    for (const session of this.sessions.values()) {
      session.invalidated = true;
      if (session.connection) this.send(session.connection, { op: GatewayOpcodes.InvalidSession, d: false });
    }
  }

  /** Sends op 7 RECONNECT: the client should close and resume. */
  requestReconnect(): void {
    for (const connection of this.connections) this.send(connection, { op: GatewayOpcodes.Reconnect, d: null });
  }

  async close(): Promise<void> {
    for (const connection of this.connections) connection.socket.terminate();
    this.connections.clear();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: WebSocket, via: GatewayConnection['via']): void {
    const connection: GatewayConnection = { socket, via, session: null, heartbeats: 0, lastHeartbeatAt: null };
    this.connections.add(connection);
    this.state.changed();
    socket.on('message', (raw, isBinary) => this.receive(connection, isBinary ? null : raw.toString()));
    socket.on('close', (code) => {
      this.connections.delete(connection);
      // A client that closes with 1000 or 1001 ends its session, as Discord does; other codes leave it resumable.
      if (connection.session && (code === 1000 || code === 1001)) connection.session.invalidated = true;
      this.detach(connection);
      this.state.changed();
    });
    socket.on('error', () => {});
    this.send(connection, { op: GatewayOpcodes.Hello, d: { heartbeat_interval: this.options.heartbeatIntervalMs } });
  }

  private detach(connection: GatewayConnection): void {
    if (connection.session?.connection === connection) connection.session.connection = null;
  }

  private receive(connection: GatewayConnection, text: string | null): void {
    let payload: { op?: unknown; d?: unknown };
    try {
      payload = JSON.parse(text ?? '');
    } catch {
      this.options.onUnexpected('gateway received a payload that is not JSON');
      connection.socket.close(GatewayCloseCodes.DecodeError, 'Error while decoding payload.');
      return;
    }
    switch (payload.op) {
      case GatewayOpcodes.Heartbeat:
        connection.heartbeats++;
        connection.lastHeartbeatAt = Date.now();
        if (this.acknowledgeHeartbeats) this.send(connection, { op: GatewayOpcodes.HeartbeatAck });
        this.state.changed();
        return;
      case GatewayOpcodes.Identify:
        this.identify(connection, payload.d as { token?: string; intents?: number; compress?: boolean });
        return;
      case GatewayOpcodes.Resume:
        this.resume(connection, payload.d as { token?: string; session_id?: string; seq?: number });
        return;
      case GatewayOpcodes.PresenceUpdate:
      case GatewayOpcodes.RequestGuildMembers:
      case GatewayOpcodes.VoiceStateUpdate:
        if (!connection.session) connection.socket.close(GatewayCloseCodes.NotAuthenticated, 'Not authenticated.');
        return;
      default:
        this.options.onUnexpected(`gateway received unknown opcode ${String(payload.op)}`);
        connection.socket.close(GatewayCloseCodes.UnknownOpcode, 'Unknown opcode.');
    }
  }

  private tokenIsValid(token: string | undefined): boolean {
    return this.options.token === null ? Boolean(token) : token === this.options.token;
  }

  private identify(
    connection: GatewayConnection,
    data: { token?: string; intents?: number; compress?: boolean },
  ): void {
    if (connection.session) {
      connection.socket.close(GatewayCloseCodes.AlreadyAuthenticated, 'Already authenticated.');
      return;
    }
    if (!this.tokenIsValid(data.token)) {
      connection.socket.close(GatewayCloseCodes.AuthenticationFailed, 'Authentication failed.');
      return;
    }
    if (data.compress) this.options.onUnexpected('IDENTIFY asked for compression, which the fake does not do');
    this.identifyCount++;
    const session: GatewaySession = {
      id: this.state.nextId(),
      intents: data.intents ?? 0,
      sequence: 0,
      events: [],
      connection,
      invalidated: false,
    };
    this.sessions.set(session.id, session);
    connection.session = session;
    const guilds = [...this.state.guilds.values()];
    this.dispatchTo(session, GatewayDispatchEvents.Ready, {
      v: 10,
      user: { ...userPayload(this.state.bot), verified: true, mfa_enabled: false },
      guilds: guilds.map((guild) => ({ id: guild.id, unavailable: true })),
      session_id: session.id,
      resume_gateway_url: this.options.resumeUrl,
      shard: [0, 1],
      application: { id: this.state.applicationId, flags: applicationPayload(this.state).flags },
      session_type: 'normal',
      user_settings: {},
      private_channels: [],
      presences: [],
      relationships: [],
      guild_join_requests: [],
      geo_ordered_rtc_regions: [],
      auth: {},
    });
    if ((session.intents & GatewayIntentBits.Guilds) !== 0) {
      for (const guild of guilds) {
        this.dispatchTo(session, GatewayDispatchEvents.GuildCreate, guildCreatePayload(this.state, guild));
      }
    }
    this.state.changed();
  }

  private resume(connection: GatewayConnection, data: { token?: string; session_id?: string; seq?: number }): void {
    if (!this.tokenIsValid(data.token)) {
      connection.socket.close(GatewayCloseCodes.AuthenticationFailed, 'Authentication failed.');
      return;
    }
    const session = data.session_id ? this.sessions.get(data.session_id) : undefined;
    if (!session || session.invalidated) {
      this.send(connection, { op: GatewayOpcodes.InvalidSession, d: false });
      return;
    }
    if (session.connection && session.connection !== connection) {
      // The same session resumed elsewhere: the old connection is finished.
      session.connection.socket.close(GatewayCloseCodes.SessionTimedOut, 'Session resumed elsewhere.');
    }
    this.resumeCount++;
    session.connection = connection;
    connection.session = session;
    const after = typeof data.seq === 'number' ? data.seq : 0;
    for (const event of session.events) if (event.s > after) this.send(connection, event);
    this.dispatchTo(session, GatewayDispatchEvents.Resumed, null);
    this.state.changed();
  }

  private dispatchTo(session: GatewaySession, event: string, data: unknown): void {
    session.sequence++;
    const payload: DispatchPayload = { op: GatewayOpcodes.Dispatch, s: session.sequence, t: event, d: data };
    session.events.push(payload);
    if (session.events.length > REPLAY_BUFFER) session.events.shift();
    if (session.connection) this.send(session.connection, payload);
  }

  /** Sends a payload with all four fields Discord always includes (`s` and `t` are null outside dispatches). */
  private send(
    connection: GatewayConnection,
    payload: { op: GatewayOpcodes; d?: unknown; s?: number; t?: string },
  ): void {
    if (connection.socket.readyState !== connection.socket.OPEN) return;
    const { op, d = null, s = null, t = null } = payload;
    connection.socket.send(JSON.stringify({ op, d, s, t }));
  }
}
