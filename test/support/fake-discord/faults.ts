// Failures a test asks for: the next N requests to a route (or to any route) answer 429 with `retry_after`, as
// Discord's per-route or global rate limit does, or a 5xx. The 429 carries the headers @discordjs/rest reads to
// decide how long to wait (Retry-After, X-RateLimit-Reset-After, X-RateLimit-Global, X-RateLimit-Scope).

export type FaultSpec = {
  /** A route as the fake names it, e.g. 'POST /channels/:channelId/messages'; any route when left out. */
  route?: string;
  /** How many requests fail; default 1. */
  count?: number;
  /** 429 (rate limited) or a 5xx. */
  status: number;
  /** For 429: seconds the client must wait; default 0.2. */
  retryAfter?: number;
  /** For 429: Discord's global rate limit rather than the route's bucket. */
  global?: boolean;
  /** For 429: the X-RateLimit-Scope header; default 'user' ('global' when global). */
  scope?: 'user' | 'shared' | 'global';
};

export type FaultAnswer = { status: number; headers: Record<string, string>; body: Record<string, unknown> };

type PendingFault = FaultSpec & { remaining: number };

export class FaultQueue {
  private readonly pending: PendingFault[] = [];

  add(spec: FaultSpec): void {
    this.pending.push({ ...spec, remaining: spec.count ?? 1 });
  }

  clear(): void {
    this.pending.length = 0;
  }

  /** The answer for a request to `route`, if a pending fault takes it; each fault serves its count, in order. */
  take(route: string): FaultAnswer | null {
    const fault = this.pending.find((candidate) => candidate.route === undefined || candidate.route === route);
    if (!fault) return null;
    fault.remaining--;
    if (fault.remaining <= 0) this.pending.splice(this.pending.indexOf(fault), 1);
    return fault.status === 429 ? rateLimitedAnswer(fault, route) : serverErrorAnswer(fault.status);
  }
}

/** The bucket id Discord would name for a route: stable per route, opaque to the client. */
export function bucketOf(route: string): string {
  let hash = 0;
  for (const char of route) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash.toString(16).padStart(8, '0');
}

function rateLimitedAnswer(fault: FaultSpec, route: string): FaultAnswer {
  const retryAfter = fault.retryAfter ?? 0.2;
  const global = fault.global ?? false;
  const headers: Record<string, string> = {
    'retry-after': String(retryAfter),
    'x-ratelimit-scope': fault.scope ?? (global ? 'global' : 'user'),
  };
  if (global) {
    headers['x-ratelimit-global'] = 'true';
  } else {
    Object.assign(headers, {
      'x-ratelimit-limit': '5',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': ((Date.now() + retryAfter * 1000) / 1000).toFixed(3),
      'x-ratelimit-reset-after': String(retryAfter),
      'x-ratelimit-bucket': bucketOf(route),
    });
  }
  return {
    status: 429,
    headers,
    body: { message: 'You are being rate limited.', retry_after: retryAfter, global, code: 0 },
  };
}

function serverErrorAnswer(status: number): FaultAnswer {
  return { status, headers: {}, body: { message: `${status}: Server Error`, code: 0 } };
}
