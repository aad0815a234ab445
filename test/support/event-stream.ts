// Follows GET /api/conversations/:id/events as a browser's EventSource would: frames parsed as they arrive, each
// event kept with its id, so a test can wait for an event, drop the connection, and resume with Last-Event-ID.
import type { ConversationEvent } from '../../src/events/conversation-event.ts';

export type ReceivedEvent = { id: string; event: ConversationEvent };

export type OpenedEventStream = { status: 200; stream: EventStream } | { status: number; body: unknown };

export class EventStream {
  readonly events: ReceivedEvent[] = [];
  /** What EventSource would send as Last-Event-ID on reconnecting: the last id received, with an event or alone. */
  position: string | undefined;
  /** Resolves when the server ends the stream (or it is closed here). */
  readonly ended: Promise<void>;
  private readonly waiters = new Set<() => void>();

  private constructor(
    body: ReadableStream<Uint8Array>,
    private readonly connection: AbortController,
  ) {
    this.ended = this.read(body);
  }

  /** Opens the stream; `lastEventId` resumes after that event. */
  static async open(
    baseUrl: string,
    conversationId: string,
    options: { bearer?: string; lastEventId?: string } = {},
  ): Promise<OpenedEventStream> {
    const connection = new AbortController();
    const headers: Record<string, string> = {};
    if (options.bearer) headers.authorization = `Bearer ${options.bearer}`;
    if (options.lastEventId) headers['last-event-id'] = options.lastEventId;
    const response = await fetch(`${baseUrl}/api/conversations/${conversationId}/events`, {
      headers,
      signal: connection.signal,
    });
    if (response.status !== 200) return { status: response.status, body: await response.json() };
    return { status: 200, stream: new EventStream(response.body!, connection) };
  }

  /** Like open, for a caller who must be let in. */
  static async follow(baseUrl: string, conversationId: string, options: { bearer?: string; lastEventId?: string }) {
    const opened = await EventStream.open(baseUrl, conversationId, options);
    if ('stream' in opened) return opened.stream;
    throw new Error(`events refused: ${opened.status} ${JSON.stringify(opened.body)}`);
  }

  get lastId(): string | undefined {
    return this.events.at(-1)?.id;
  }

  /** Resolves with the first event (from the start) that matches; rejects after `timeoutMs`. */
  waitFor(matches: (event: ConversationEvent) => boolean, timeoutMs = 10_000): Promise<ReceivedEvent> {
    return this.until(() => this.events.find((received) => matches(received.event)), timeoutMs);
  }

  /** Resolves once the stream has given a position to resume from. */
  waitForPosition(timeoutMs = 10_000): Promise<string> {
    return this.until(() => this.position, timeoutMs);
  }

  private async until<Found>(find: () => Found | undefined, timeoutMs: number): Promise<Found> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = find();
      if (found !== undefined) return found;
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        const seen = this.events.map((received) => received.event.type).join(', ');
        throw new Error(`timed out waiting for an event; seen: ${seen || 'none'}`);
      }
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, remaining);
        this.waiters.add(wake);
      });
    }
  }

  close(): Promise<void> {
    this.connection.abort();
    return this.ended;
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    let buffered = '';
    try {
      for await (const text of body.pipeThrough(new TextDecoderStream())) {
        buffered += text;
        for (let end = buffered.indexOf('\n\n'); end >= 0; end = buffered.indexOf('\n\n')) {
          this.take(buffered.slice(0, end));
          buffered = buffered.slice(end + 2);
        }
      }
    } catch (error) {
      if (!this.connection.signal.aborted) throw error;
    }
  }

  private take(frame: string): void {
    let id: string | undefined;
    let data: string | undefined;
    for (const line of frame.split('\n')) {
      if (line.startsWith('id: ')) id = line.slice(4);
      else if (line.startsWith('data: ')) data = line.slice(6);
    }
    if (id !== undefined) this.position = id;
    if (id !== undefined && data !== undefined) this.events.push({ id, event: JSON.parse(data) });
    for (const wake of [...this.waiters]) wake();
  }
}

/** The text of each reply, by message id, from its reply-delta events. */
export function replyTexts(events: ReceivedEvent[]): Map<string, string> {
  const texts = new Map<string, string>();
  for (const { event } of events) {
    if (event.type === 'reply-delta') texts.set(event.messageId, (texts.get(event.messageId) ?? '') + event.delta);
  }
  return texts;
}
