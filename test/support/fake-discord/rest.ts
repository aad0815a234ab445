// The fake's REST door: matches `/api/v10/...` against the route table, checks the bot token where Discord needs
// one, records every request with its time, serves the faults a test asked for and the modelled rate limits, and
// answers errors in Discord's JSON shape. A request no route matches answers 404 like Discord and is logged, so a test writer sees what is missing.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { FakeWorld } from './events.ts';
import { bucketOf, type FaultQueue } from './faults.ts';
import type { GlobalRateLimit, RouteRateLimits } from './rate-limits.ts';
import type { FakeAttachment } from './state.ts';

export type RouteContext = {
  world: FakeWorld;
  params: Record<string, string>;
  query: URLSearchParams;
  /** The JSON body when it is an object (else empty); `json` is the body as sent. */
  body: Record<string, unknown>;
  json: unknown;
  files: FakeAttachment[];
};

export type RouteAnswer = { status: number; body?: unknown };

export type Route = {
  method: string;
  /** Discord's path with named parameters, e.g. '/channels/:channelId/messages'. */
  pattern: string;
  /** False for the routes a webhook or interaction token authorizes. */
  auth: boolean;
  handle(context: RouteContext): RouteAnswer | Promise<RouteAnswer>;
};

export function route(
  method: string,
  pattern: string,
  handle: Route['handle'],
  options: { auth?: boolean } = {},
): Route {
  return { method, pattern, auth: options.auth ?? true, handle };
}

export function routeKey(route: Pick<Route, 'method' | 'pattern'>): string {
  return `${route.method} ${route.pattern}`;
}

/** An error answered in Discord's shape: `{ message, code, errors? }`. */
export class DiscordApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly errors?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export const notFound = {
  channel: () => new DiscordApiError(404, 10003, 'Unknown Channel'),
  message: () => new DiscordApiError(404, 10008, 'Unknown Message'),
  webhook: () => new DiscordApiError(404, 10015, 'Unknown Webhook'),
  interaction: () => new DiscordApiError(404, 10062, 'Unknown interaction'),
  command: () => new DiscordApiError(404, 10063, 'Unknown application command'),
  guild: () => new DiscordApiError(404, 10004, 'Unknown Guild'),
  user: () => new DiscordApiError(404, 10013, 'Unknown User'),
};

/** Discord's form-field error (50035), e.g. content longer than 2,000 characters. */
export function invalidField(field: string, code: string, message: string): DiscordApiError {
  return new DiscordApiError(400, 50035, 'Invalid Form Body', { [field]: { _errors: [{ code, message }] } });
}

export type RecordedDiscordRequest = {
  method: string;
  /** The path after /api/v10, without the query. */
  path: string;
  /** The matched route's key ('POST /channels/:channelId/messages'), or null when no route matched. */
  route: string | null;
  params: Record<string, string>;
  query: Record<string, string>;
  /** The JSON body (for multipart requests, their payload_json). */
  body: unknown;
  files: FakeAttachment[];
  /** performance.now() when the request arrived. */
  at: number;
  status: number | null;
  /** What the fake answered (null for an empty answer). */
  answer: unknown;
  /** True when a fault the test asked for answered it. */
  faulted: boolean;
};

const API_PREFIX = '/api/v10';

type CompiledRoute = Route & { key: string; regex: RegExp; names: string[] };

function compile(route: Route): CompiledRoute {
  const names: string[] = [];
  const source = route.pattern
    .split('/')
    .map((part) => {
      if (!part.startsWith(':')) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(part.slice(1));
      return '([^/]+)';
    })
    .join('/');
  return { ...route, key: routeKey(route), regex: new RegExp(`^${source}$`), names };
}

export class RestRouter {
  readonly requests: RecordedDiscordRequest[] = [];
  private readonly routes: CompiledRoute[];

  constructor(
    routes: Route[],
    private readonly world: FakeWorld,
    private readonly faults: FaultQueue,
    private readonly rateLimits: RouteRateLimits,
    private readonly globalRateLimit: GlobalRateLimit,
    private readonly token: string | null,
    /** Logs every request and its status, and the error of every refusal, for a test writer finding their way. */
    private readonly logRequests: boolean,
  ) {
    this.routes = routes.map(compile);
  }

  hasRoute(key: string): boolean {
    return this.routes.some((route) => route.key === key);
  }

  routeKeys(): string[] {
    return this.routes.map((route) => route.key);
  }

  async answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const at = performance.now();
    const url = new URL(request.url ?? '/', 'http://fake');
    const method = request.method ?? 'GET';
    // Segments decoded, so '%40original' and '@original' are one path.
    const path = (url.pathname.startsWith(API_PREFIX) ? url.pathname.slice(API_PREFIX.length) : url.pathname)
      .split('/')
      .map((segment) => decodeURIComponent(segment))
      .join('/');
    const raw = await readBody(request);
    const { body, files, invalidJson } = await parseBody(raw, request.headers['content-type'], this.world);
    const record: RecordedDiscordRequest = {
      method,
      path,
      route: null,
      params: {},
      query: Object.fromEntries(url.searchParams),
      body,
      files,
      at,
      status: null,
      answer: null,
      faulted: false,
    };
    this.requests.push(record);
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      record.answer = payload ?? null;
      if (this.logRequests) {
        const shown = record.params.token ? path.replace(record.params.token, ':token') : path;
        console.log(`fake Discord: ${method} ${shown} → ${status}`, status >= 400 ? payload : '');
      }
      this.world.state.changed();
      sendJson(response, status, payload, headers);
    };

    const match = url.pathname.startsWith(API_PREFIX) ? this.match(method, path) : null;
    if (!match) {
      console.warn(`fake Discord: no route for ${method} ${url.pathname} (answered 404)`);
      return send(404, { message: '404: Not Found', code: 0 });
    }
    record.route = match.route.key;
    record.params = match.params;
    if (match.route.auth && !this.authorized(request.headers.authorization)) {
      return send(401, { message: '401: Unauthorized', code: 0 });
    }
    if (invalidJson) return send(400, { message: 'The request body contains invalid JSON.', code: 50109 });
    const fault = this.faults.take(match.route.key);
    if (fault) {
      record.faulted = true;
      return send(fault.status, fault.body, fault.headers);
    }
    // Interaction callbacks and token-authorized webhook calls are outside the global limit, as on Discord.
    const globalRejection = match.route.auth ? this.globalRateLimit.take() : null;
    if (globalRejection) return send(globalRejection.status, globalRejection.body, globalRejection.headers);
    const verdict = this.rateLimits.take(match.route.key, match.params);
    if (verdict?.rejected) return send(verdict.rejected.status, verdict.rejected.body, verdict.rejected.headers);
    const headers = verdict?.headers ?? generousRateLimitHeaders(match.route.key);
    try {
      const answer = await match.route.handle({
        world: this.world,
        params: match.params,
        query: url.searchParams,
        body: isObject(body) ? body : {},
        json: body,
        files,
      });
      send(answer.status, answer.body, headers);
    } catch (error) {
      if (!(error instanceof DiscordApiError)) throw error;
      const payload = { message: error.message, code: error.code, ...(error.errors ? { errors: error.errors } : {}) };
      send(error.status, payload, headers);
    }
  }

  private match(method: string, path: string): { route: CompiledRoute; params: Record<string, string> } | null {
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const found = route.regex.exec(path);
      if (!found) continue;
      const params = Object.fromEntries(route.names.map((name, index) => [name, found[index + 1]!]));
      return { route, params };
    }
    return null;
  }

  private authorized(header: string | undefined): boolean {
    if (!header?.startsWith('Bot ')) return false;
    const token = header.slice('Bot '.length);
    return this.token === null ? token.length > 0 : token === this.token;
  }
}

/** The bucket headers of an answer on a route without a modelled limit: one that never makes discord.js wait. */
function generousRateLimitHeaders(route: string): Record<string, string> {
  return {
    'x-ratelimit-limit': '50',
    'x-ratelimit-remaining': '49',
    'x-ratelimit-reset': ((Date.now() + 1000) / 1000).toFixed(3),
    'x-ratelimit-reset-after': '1',
    'x-ratelimit-bucket': bucketOf(route),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** JSON, or multipart/form-data whose `payload_json` is the JSON and whose other parts are files. */
async function parseBody(
  raw: Buffer,
  contentType: string | undefined,
  world: FakeWorld,
): Promise<{ body: unknown; files: FakeAttachment[]; invalidJson?: boolean }> {
  if (raw.length === 0) return { body: null, files: [] };
  if (contentType?.startsWith('multipart/form-data')) {
    const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': contentType } }).formData();
    const files: FakeAttachment[] = [];
    let body: unknown = {};
    for (const [name, value] of form.entries()) {
      if (name === 'payload_json' && typeof value === 'string') body = JSON.parse(value);
      else if (typeof value !== 'string') {
        files.push({
          id: world.state.nextId(),
          filename: value.name,
          size: value.size,
          contentType: value.type || null,
        });
      }
    }
    return { body, files };
  }
  try {
    return { body: JSON.parse(raw.toString('utf8')), files: [] };
  } catch {
    return { body: raw.toString('utf8'), files: [], invalidJson: true };
  }
}

function sendJson(response: ServerResponse, status: number, payload: unknown, headers: Record<string, string>): void {
  if (status === 204 || payload === undefined) {
    response.writeHead(status === 200 && payload === undefined ? 204 : status, headers);
    response.end();
    return;
  }
  const text = JSON.stringify(payload);
  response.writeHead(status, {
    ...headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}
