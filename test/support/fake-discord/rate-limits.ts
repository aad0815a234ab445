// Discord's per-route rate limits, modelled when a test asks for them: each bucket (a route and its major parameter:
// the channel, guild or webhook) allows `limit` requests per window. The answers carry the bucket's true
// X-RateLimit-Remaining and Reset-After, from which discord.js paces itself; a request over the limit gets a 429.
import { bucketOf, type FaultAnswer } from './faults.ts';

export type RouteLimit = { limit: number; windowSeconds: number };

/**
 * Limits close to what Discord answers for the routes a chat bot uses most (Discord may change them at any time;
 * bots must follow the headers, never these numbers).
 */
export const DISCORD_LIKE_RATE_LIMITS: Record<string, RouteLimit> = {
  'POST /channels/:channelId/messages': { limit: 5, windowSeconds: 5 },
  'PATCH /channels/:channelId/messages/:messageId': { limit: 5, windowSeconds: 5 },
  'POST /webhooks/:webhookId/:token': { limit: 5, windowSeconds: 2 },
  'PATCH /webhooks/:webhookId/:token/messages/:messageId': { limit: 5, windowSeconds: 2 },
};

type Window = { startedAt: number; used: number };

/** Discord's global limit: requests per second across every route authorized by the bot token. */
export class GlobalRateLimit {
  private window: Window = { startedAt: 0, used: 0 };

  constructor(private readonly requestsPerSecond: number | null) {}

  /** Counts a bot-authorized request, or answers the global 429 when this second's budget is spent. */
  take(): FaultAnswer | null {
    if (this.requestsPerSecond === null) return null;
    const now = Date.now();
    if (now - this.window.startedAt >= 1000) this.window = { startedAt: now, used: 0 };
    if (this.window.used < this.requestsPerSecond) {
      this.window.used++;
      return null;
    }
    const retryAfter = Number(((this.window.startedAt + 1000 - now) / 1000).toFixed(3));
    return {
      status: 429,
      headers: { 'retry-after': String(retryAfter), 'x-ratelimit-global': 'true', 'x-ratelimit-scope': 'global' },
      body: { message: 'You are being rate limited.', retry_after: retryAfter, global: true, code: 0 },
    };
  }
}

export type RateLimitVerdict = { rejected: FaultAnswer | null; headers: Record<string, string> };

export class RouteRateLimits {
  private readonly windows = new Map<string, Window>();

  constructor(private readonly limits: Record<string, RouteLimit>) {}

  has(route: string): boolean {
    return route in this.limits;
  }

  /** Counts a request to `route` in its bucket, or rejects it when the bucket is spent; null for unlimited routes. */
  take(route: string, params: Record<string, string>): RateLimitVerdict | null {
    const limit = this.limits[route];
    if (!limit) return null;
    const now = Date.now();
    const key = `${route} ${majorParameter(params)}`;
    let window = this.windows.get(key);
    if (!window || now - window.startedAt >= limit.windowSeconds * 1000) {
      window = { startedAt: now, used: 0 };
      this.windows.set(key, window);
    }
    const resetAfter = Math.max(0, (window.startedAt + limit.windowSeconds * 1000 - now) / 1000);
    const spent = window.used >= limit.limit;
    if (!spent) window.used++;
    const headers = {
      'x-ratelimit-limit': String(limit.limit),
      'x-ratelimit-remaining': String(limit.limit - window.used),
      'x-ratelimit-reset': ((now + resetAfter * 1000) / 1000).toFixed(3),
      'x-ratelimit-reset-after': resetAfter.toFixed(3),
      'x-ratelimit-bucket': bucketOf(route),
    };
    if (!spent) return { rejected: null, headers };
    const retryAfter = Number(resetAfter.toFixed(3));
    return {
      rejected: {
        status: 429,
        headers: { ...headers, 'retry-after': String(retryAfter), 'x-ratelimit-scope': 'user' },
        body: { message: 'You are being rate limited.', retry_after: retryAfter, global: false, code: 0 },
      },
      headers,
    };
  }
}

/** The id that separates buckets of one route, as Discord keys them. */
function majorParameter(params: Record<string, string>): string {
  if (params.webhookId) return `${params.webhookId}/${params.token ?? ''}`;
  return params.channelId ?? params.guildId ?? 'global';
}
