// GET /api/conversations/:id/events: the conversation live, as Server-Sent Events, for anyone who may read it —
// new messages, every model's reply as it streams and ends, people and models joining and leaving. Each event
// has an id; a client that reconnects with Last-Event-ID (EventSource does so by itself) gets what it missed.
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { conversationEventSchema, type DeliveredEvent, subscriptionEnd } from '../../events/conversation-event.ts';
import { type AppEnv, requireActor } from '../context.ts';
import { OpenStreamCounts } from '../open-stream-counts.ts';
import { errorResponses, signedIn } from '../openapi.ts';
import { conversationParams } from '../path-params.ts';
import { oneByOne, sendEventStream } from '../sse.ts';
import { formatFrame } from '../sse-frames.ts';
import { KeepAlive } from '../sse-keep-alive.ts';

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
    const { store, conversationEvents, env, deactivations } = context.get('runtime');
    openStreams.follow(deactivations);
    // Ended (the subscription, then the response) should the person be deactivated while it is open.
    const stop = new AbortController();
    const release = openStreams.add(actor.id, env.CHORUS_MAX_EVENT_STREAMS_PER_USER, () => stop.abort());
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
      stop.signal.addEventListener('abort', release, { once: true });
      const deliveries = conversationEvents.subscribe(id, from, stop.signal);
      // Read as the client reads: a slow client falls behind in the history (then gets a reset), not in memory.
      return sendEventStream(context, oneByOne(deliveries), {
        headers: EVENT_STREAM_HEADERS,
        // With the position, a client that drops before its first event still resumes from where it started: an
        // id-only frame sets EventSource's Last-Event-ID without an event.
        first: formatFrame({ retryMs: RECONNECT_DELAY_MS, id: lastEventId ? undefined : from }),
        frameOf: (delivered) => frames.frameOf(delivered),
        endsAfter: (delivered) => ends(delivered.event),
        keepAlive,
        // The client reconnects with the id of the last event it got and loses nothing.
        failureLog: 'conversation events: a subscription failed',
        failureFrame: () => '',
        onClosed: () => stop.abort(),
      }) as never;
    } catch (error) {
      release();
      throw error;
    }
  });
}

const EVENT_STREAM_HEADERS = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache',
  'x-accel-buffering': 'no',
  // An ended stream's connection is not reused: closing it lets a shutdown finish at once.
  connection: 'close',
};

const encoder = new TextEncoder();

/**
 * SSE frames, each encoded once however many clients follow the conversation: subscribers in a process share
 * one event object per event.
 */
class FrameCache {
  private readonly frames = new WeakMap<object, Uint8Array>();

  frameOf({ id, event }: DeliveredEvent): Uint8Array {
    let frame = this.frames.get(event);
    if (!frame) {
      frame = encoder.encode(formatFrame({ id, data: JSON.stringify(event) }));
      // A reset is one shared object sent with many ids.
      if (event.type !== 'reset') this.frames.set(event, frame);
    }
    return frame;
  }
}
