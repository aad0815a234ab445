// GET /api/conversations/:id/events: the conversation live, as Server-Sent Events, for anyone who may read it —
// new messages, every model's reply as it streams and ends, people and models joining and leaving. Each event
// has an id; a client that reconnects with Last-Event-ID (EventSource does so by itself) gets what it missed.
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { AppError } from '../../errors.ts';
import { conversationEventSchema, type DeliveredEvent, subscriptionEnd } from '../../events/conversation-event.ts';
import { logError } from '../../loggable-error.ts';
import { type AppEnv, requireActor } from '../context.ts';
import { errorResponses, signedIn } from '../openapi.ts';
import { conversationParams } from './conversations.ts';

/** A comment line this often keeps proxies and load balancers from closing a quiet stream. */
const KEEP_ALIVE_MS = 15_000;
/** How long EventSource waits before reconnecting after the connection drops. */
const RECONNECT_DELAY_MS = 2_000;
const eventIdSchema = z.string().max(64);

const eventsRoute = createRoute({
  method: 'get',
  path: '/api/conversations/{id}/events',
  tags: ['conversations'],
  summary: 'Follow a conversation live: messages, replies as they stream, people and models coming and going',
  description:
    'Server-Sent Events, each `id: <event id>` and `data: <JSON event>` (the schema below is one event). Send ' +
    '`Last-Event-ID` (or `?lastEventId=`) to get every event after that one first; an id no longer kept (about ' +
    '10 minutes, 2,000 events) gets a `reset` event: refetch the messages. The stream ends after you are removed ' +
    'or leave, the conversation is deleted, or it is made private while you read it from outside. A comment line ' +
    'every 15 s keeps it open. One person may hold CHORUS_MAX_EVENT_STREAMS_PER_USER streams (20 unless set) open ' +
    'at once in a server process: one more is a 429.',
  security: signedIn,
  request: {
    params: conversationParams,
    headers: z.object({ 'last-event-id': eventIdSchema.optional() }),
    query: z.object({
      lastEventId: eventIdSchema.optional().openapi({ description: 'For clients that cannot set headers' }),
    }),
  },
  responses: {
    200: { description: 'The event stream', content: { 'text/event-stream': { schema: conversationEventSchema } } },
    ...errorResponses(400, 401, 404, 429),
  },
});

export function registerConversationEventRoutes(app: OpenAPIHono<AppEnv>) {
  const keepAlive = new KeepAlive(KEEP_ALIVE_MS);
  const frames = new FrameCache();
  const openStreams = new OpenStreamCounts();

  app.openapi(eventsRoute, async (context) => {
    const actor = requireActor(context);
    const { id } = context.req.valid('param');
    const lastEventId = context.req.valid('header')['last-event-id'] ?? context.req.valid('query').lastEventId;
    const { store, conversationEvents, env } = context.get('runtime');
    const release = openStreams.open(actor.id, env.CHORUS_MAX_EVENT_STREAMS_PER_USER);
    try {
      // Taken before the access check, so a removal right after the check is still among the events sent (and
      // ends the stream) instead of slipping between the check and the subscription.
      const from = lastEventId ?? (await conversationEvents.latestId(id));
      const conversation = await store.conversations.get({ actor, id, level: 'read' });
      // Someone else's public conversation may be read from outside it: such a reader loses it when it turns private.
      const inConversation =
        conversation.ownerId === actor.id ||
        conversation.visibility === 'private' ||
        (await store.participants.roleOf(id, actor.id)) !== undefined;
      const ends = subscriptionEnd(actor.id, { inConversation });
      const stop = new AbortController();
      stop.signal.addEventListener('abort', release, { once: true });
      const deliveries = conversationEvents.subscribe(id, from, stop.signal);
      return eventStreamResponse(deliveries, {
        position: lastEventId ? null : from,
        stop,
        endsAfter: (delivered) => ends(delivered.event),
        keepAlive,
        frames,
      }) as never;
    } catch (error) {
      release();
      throw error;
    }
  });
}

/**
 * The live streams each person holds open in this process, capped (CHORUS_MAX_EVENT_STREAMS_PER_USER): each holds
 * a subscription and a connection, and a person with many tabs open needs a few dozen at most. Counted per
 * process: with several processes behind a load balancer a person may hold the cap in each.
 */
class OpenStreamCounts {
  private readonly counts = new Map<string, number>();

  /** Counts one more stream of `userId` and returns its release (safe to call twice), or refuses with 429. */
  open(userId: string, max: number): () => void {
    const open = this.counts.get(userId) ?? 0;
    if (open >= max) {
      throw new AppError(
        'rate_limited',
        `you already have ${open} live event streams open, the most one person may hold at once (${max}); close one (a tab) first`,
      );
    }
    this.counts.set(userId, open + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.counts.get(userId) ?? 1) - 1;
      if (left > 0) this.counts.set(userId, left);
      else this.counts.delete(userId);
    };
  }
}

const encoder = new TextEncoder();
const KEEP_ALIVE_LINE = encoder.encode(': keep-alive\n\n');

/**
 * SSE frames, each encoded once however many clients follow the conversation: subscribers in a process share
 * one event object per event. (JSON never holds a raw line break, so the data fits one `data:` line.)
 */
class FrameCache {
  private readonly frames = new WeakMap<object, Uint8Array>();

  frameOf({ id, event }: DeliveredEvent): Uint8Array {
    let frame = this.frames.get(event);
    if (!frame) {
      frame = encoder.encode(`id: ${id}\ndata: ${JSON.stringify(event)}\n\n`);
      // A reset is one shared object sent with many ids.
      if (event.type !== 'reset') this.frames.set(event, frame);
    }
    return frame;
  }
}

function eventStreamResponse(
  deliveries: AsyncIterable<DeliveredEvent>,
  options: {
    /** Sent first to a new client as an id-only frame: it sets EventSource's Last-Event-ID without an event. */
    position: string | null;
    stop: AbortController;
    endsAfter: (delivered: DeliveredEvent) => boolean;
    keepAlive: KeepAlive;
    frames: FrameCache;
  },
): Response {
  const iterator = deliveries[Symbol.asyncIterator]();
  let open = true;
  let stopKeepAlive = () => {};
  const finish = () => {
    open = false;
    stopKeepAlive();
    options.stop.abort();
  };
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      // With the position, a client that drops before its first event still resumes from where it started.
      const position = options.position === null ? '' : `id: ${options.position}\n`;
      controller.enqueue(encoder.encode(`retry: ${RECONNECT_DELAY_MS}\n${position}\n`));
      stopKeepAlive = options.keepAlive.add(() => open && controller.enqueue(KEEP_ALIVE_LINE));
    },
    // Pulled as the client reads: a slow client falls behind in the history (then gets a reset), not in memory.
    async pull(controller) {
      let next: IteratorResult<DeliveredEvent>;
      try {
        next = await iterator.next();
      } catch (error) {
        // The client reconnects with the id of the last event it got and loses nothing.
        logError('conversation events: a subscription failed', error);
        next = { done: true, value: undefined };
      }
      if (!open) return;
      if (next.done) {
        finish();
        controller.close();
        return;
      }
      controller.enqueue(options.frames.frameOf(next.value));
      if (options.endsAfter(next.value)) {
        finish();
        controller.close();
        await iterator.return?.();
      }
    },
    async cancel() {
      finish();
      await iterator.return?.();
    },
  });
  return new Response(body, {
    headers: {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      'x-accel-buffering': 'no',
      // An ended stream's connection is not reused: closing it lets a shutdown finish at once.
      connection: 'close',
    },
  });
}

/**
 * One timer for every open stream (a timer per connection drifts under load), unref'd so it never keeps the
 * process alive, and stopped while no stream is open.
 */
class KeepAlive {
  private readonly beats = new Set<() => void>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly intervalMs: number) {}

  add(beat: () => void): () => void {
    this.beats.add(beat);
    if (!this.timer) {
      this.timer = setInterval(() => {
        for (const beat of this.beats) beat();
      }, this.intervalMs);
      this.timer.unref();
    }
    return () => {
      this.beats.delete(beat);
      if (this.beats.size === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = null;
      }
    };
  }
}
