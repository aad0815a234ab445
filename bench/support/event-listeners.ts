// Many followers of one conversation's live events (GET /api/conversations/:id/events), each on a connection of
// its own in this process, noting when each kind of event first reached each of them during a round (one message
// and its turn). Frames are read the cheap way — the event's type from the start of its `data:` line, no JSON
// parsing — so the listeners' own cost stays small beside the server's, and the last of 200 is not late because
// this process was busy with the other 199.
import { Agent, type ClientRequest, request as httpRequest } from 'node:http';
import { performance } from 'node:perf_hooks';

const TYPE_PREFIX = 'data: {"type":"';

type Waiter = { type: string; resolve(): void };

export class ConversationListeners {
  /** The event types whose first arrival per listener is kept. */
  private readonly firstArrival = new Map<string, Float64Array>();
  private readonly seen = new Map<string, number>();
  private readonly waiters = new Set<Waiter>();
  private readonly requests: ClientRequest[] = [];
  private readonly agent = new Agent({ keepAlive: false, maxSockets: Infinity });
  private roundOpen = false;
  private closing = false;
  /** A listener whose stream failed or ended: the figures of a round without it would flatter the server. */
  readonly problems: string[] = [];

  private constructor(
    readonly count: number,
    types: string[],
  ) {
    for (const type of types) {
      this.firstArrival.set(type, new Float64Array(count).fill(Number.NaN));
      this.seen.set(type, 0);
    }
  }

  /**
   * Connects `count` listeners, `batch` at a time, each ready once the stream's opening frame (its position)
   * arrived — so each is subscribed before the first message is sent.
   */
  static async open(
    target: { baseUrl: string; apiKey: string; conversationId: string },
    { count, types, batch = 50 }: { count: number; types: string[]; batch?: number },
  ): Promise<ConversationListeners> {
    const listeners = new ConversationListeners(count, types);
    const url = new URL(`/api/conversations/${target.conversationId}/events`, target.baseUrl);
    for (let opened = 0; opened < count; opened += batch) {
      const size = Math.min(batch, count - opened);
      await Promise.all(
        Array.from({ length: size }, (_, index) => listeners.connect(url, target.apiKey, opened + index)),
      );
    }
    return listeners;
  }

  /** Forgets the arrivals of the round before: from now on, the first arrival of each type counts. */
  startRound(): void {
    for (const [type, arrivals] of this.firstArrival) {
      arrivals.fill(Number.NaN);
      this.seen.set(type, 0);
    }
    this.roundOpen = true;
  }

  /** Resolves once every listener got an event of `type` this round; rejects after `timeoutMs`. */
  async waitForAll(type: string, timeoutMs: number): Promise<void> {
    if (this.seen.get(type) === this.count) return;
    let timer: NodeJS.Timeout | undefined;
    const waiter: Waiter = { type, resolve: () => {} };
    try {
      await new Promise<void>((resolve, reject) => {
        waiter.resolve = resolve;
        this.waiters.add(waiter);
        timer = setTimeout(() => {
          const problems = this.problems.length > 0 ? `; ${this.problems[0]}` : '';
          reject(
            new Error(
              `${this.seen.get(type)} of ${this.count} listeners got ${type} within ${timeoutMs} ms${problems}`,
            ),
          );
        }, timeoutMs);
      });
    } finally {
      clearTimeout(timer);
      this.waiters.delete(waiter);
    }
  }

  /** performance.now() of each listener's first `type` event this round (NaN: none yet). */
  arrivals(type: string): Float64Array {
    return this.firstArrival.get(type)!;
  }

  close(): void {
    this.closing = true;
    for (const request of this.requests) request.destroy();
    this.agent.destroy();
  }

  private connect(url: URL, apiKey: string, index: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const request = httpRequest(url, { agent: this.agent, headers: { authorization: `Bearer ${apiKey}` } });
      this.requests.push(request);
      let ready = false;
      const fail = (problem: string) => {
        if (this.closing) return;
        if (!ready) reject(new Error(`listener ${index}: ${problem}`));
        else this.problems.push(`listener ${index}: ${problem}`);
      };
      request.on('error', (error) => fail(error.message));
      request.on('response', (response) => {
        if (response.statusCode !== 200) {
          fail(`HTTP ${response.statusCode}`);
          response.resume();
          return;
        }
        response.setEncoding('utf8');
        let pending = '';
        response.on('data', (text: string) => {
          const at = performance.now();
          pending += text;
          let start = 0;
          for (let end = pending.indexOf('\n\n'); end !== -1; end = pending.indexOf('\n\n', start)) {
            if (!ready) {
              // The opening frame (`retry:` and the position): subscribed.
              ready = true;
              resolve();
            } else {
              this.take(pending, start, end, index, at);
            }
            start = end + 2;
          }
          pending = pending.slice(start);
        });
        response.on('end', () => fail('the stream ended'));
      });
      request.end();
    });
  }

  private take(text: string, start: number, end: number, index: number, at: number): void {
    if (!this.roundOpen) return;
    const data = text.indexOf(TYPE_PREFIX, start);
    if (data === -1 || data > end) return;
    const typeStart = data + TYPE_PREFIX.length;
    const type = text.slice(typeStart, text.indexOf('"', typeStart));
    const arrivals = this.firstArrival.get(type);
    if (!arrivals || !Number.isNaN(arrivals[index]!)) return;
    arrivals[index] = at;
    const seen = this.seen.get(type)! + 1;
    this.seen.set(type, seen);
    if (seen === this.count) for (const waiter of this.waiters) if (waiter.type === type) waiter.resolve();
  }
}
