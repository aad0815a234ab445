// The OpenAI-compatible API under /v1: GET /v1/models, GET /v1/models/{id}, POST /v1/chat/completions (JSON or
// Server-Sent Events), so OpenAI's own clients and the tools built on them can use Chorus as their server. The
// work is in src/openai-compat/; here are the HTTP concerns: credentials, the stream, a client that leaves, and
// error bodies with OpenAI's extra fields.
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { logError } from '../../loggable-error.ts';
import { isErrorEvent } from '../../openai-compat/chunks.ts';
import { isChorusErrorBody, withOpenAiFields } from '../../openai-compat/errors.ts';
import { assertMessagesWithin } from '../../openai-compat/request.ts';
import {
  chatCompletionChunkSchema,
  chatCompletionRequestSchema,
  chatCompletionSchema,
  modelListSchema,
  openAiErrorBodySchema,
  openAiModelSchema,
} from '../../openai-compat/wire.ts';
import { type AppEnv, requireActor } from '../context.ts';
import { handleError } from '../errors.ts';
import { signedIn } from '../openapi.ts';
import { oneByOne, sendEventStream } from '../sse.ts';
import { DONE_FRAME, formatFrame } from '../sse-frames.ts';

const errorDescriptions: Record<number, string> = {
  400: 'Invalid request',
  401: 'No valid API key or session',
  404: 'No such model, or it cannot be used now',
  429: 'Daily message limit reached',
  502: 'The provider failed (non-streaming requests; a stream carries an error event instead)',
  503: 'Too many requests are waiting to start: try again after Retry-After seconds',
};

const openAiErrorResponses = (...statuses: number[]) =>
  Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        description: errorDescriptions[status] ?? 'Error',
        content: { 'application/json': { schema: openAiErrorBodySchema } },
      },
    ]),
  );

const listModelsRoute = createRoute({
  method: 'get',
  path: '/v1/models',
  tags: ['openai-compatible'],
  summary: 'The models you may use, as OpenAI lists models',
  security: signedIn,
  responses: {
    200: { description: 'Usable models', content: { 'application/json': { schema: modelListSchema } } },
    ...openAiErrorResponses(401),
  },
});

const getModelRoute = createRoute({
  method: 'get',
  path: '/v1/models/{id}',
  tags: ['openai-compatible'],
  summary: 'One usable model (URL-encode the id: it holds `:` and may hold `/`)',
  security: signedIn,
  request: { params: z.object({ id: z.string().min(1).max(200) }) },
  responses: {
    200: { description: 'The model', content: { 'application/json': { schema: openAiModelSchema } } },
    ...openAiErrorResponses(401, 404),
  },
});

const chatCompletionsRoute = createRoute({
  method: 'post',
  path: '/v1/chat/completions',
  tags: ['openai-compatible'],
  summary: 'OpenAI Chat Completions: each call is stored as a new conversation (origin api) with its reply',
  security: signedIn,
  request: { body: { required: true, content: { 'application/json': { schema: chatCompletionRequestSchema } } } },
  responses: {
    200: {
      description:
        'The reply: a chat.completion, or with `stream: true` chat.completion.chunk events ending in `data: [DONE]`',
      headers: z.object({
        'x-chorus-conversation-id': z.uuid().meta({ description: 'The conversation the call was stored as' }),
      }),
      content: {
        'application/json': { schema: chatCompletionSchema },
        'text/event-stream': { schema: chatCompletionChunkSchema },
      },
    },
    ...openAiErrorResponses(400, 401, 404, 429, 502, 503),
  },
});

/** The routes; `openAiErrorFields` must be registered for /v1/* before every middleware that may refuse a request. */
export function registerOpenAiCompatibleRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(listModelsRoute, async (context) => {
    const actor = requireActor(context);
    const data = context.get('runtime').completions.listModels(actor);
    return context.json({ object: 'list' as const, data }, 200);
  });

  app.openapi(getModelRoute, async (context) => {
    const actor = requireActor(context);
    const model = context.get('runtime').completions.getModel(actor, context.req.valid('param').id);
    return context.json(model, 200);
  });

  app.openapi(chatCompletionsRoute, async (context) => {
    const actor = requireActor(context);
    const { completions, chat } = context.get('runtime');
    const request = context.req.valid('json');
    assertMessagesWithin(request, context.get('runtime').env.CHORUS_MAX_MESSAGE_CHARS);
    const signal = context.req.raw.signal;
    const completion = await completions.start(actor, request, signal);
    // A client that leaves gets no more tokens: stop the reply rather than pay for an answer nobody reads.
    whenClientLeaves(signal, () => chat.stop(actor, completion.conversationId));
    context.header('x-chorus-conversation-id', completion.conversationId);
    if (!request.stream) {
      try {
        return context.json(await completions.complete(completion, signal), 200);
      } catch (error) {
        // The client left mid-reply: nobody reads this answer, and the reply ending early is no server fault.
        if (signal.aborted) return context.body(null, 204) as never;
        throw error;
      }
    }

    const includeUsage = request.stream_options?.include_usage === true;
    const events = await completions.openEvents(completion, { includeUsage, signal });
    return sendEventStream(context, oneByOne(events), {
      headers: {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
        'x-chorus-conversation-id': completion.conversationId,
      },
      frameOf: (event) => formatFrame({ data: JSON.stringify(event) }),
      // OpenAI ends a failed stream with the error, no [DONE].
      endsAfter: isErrorEvent,
      last: DONE_FRAME,
      failureLog: `POST /v1/chat/completions: streaming ${completion.turn.streamId} failed`,
      failureFrame: () =>
        formatFrame({
          data: JSON.stringify(withOpenAiFields({ error: { code: 'internal', message: 'internal server error' } })),
        }),
    }) as never;
  });
}

function whenClientLeaves(signal: AbortSignal, stop: () => Promise<unknown>) {
  const run = () => void stop().catch((error) => logError('stopping the reply of a client that left failed', error));
  if (signal.aborted) run();
  else signal.addEventListener('abort', run, { once: true });
}

/**
 * Every error under /v1 — from a handler, validation or an unknown path — gets OpenAI's `type` and `param`. A
 * 429 or 502 also says `x-should-retry: false`: the daily limit will not lift in seconds, and the server already
 * retried the provider, so OpenAI's client retrying would only store more failed conversations.
 */
export const openAiErrorFields: MiddlewareHandler<AppEnv> = async (context, next) => {
  try {
    await next();
  } catch (error) {
    context.res = handleError(error instanceof Error ? error : new Error(String(error)), context);
  }
  await rewriteErrorResponse(context);
};

async function rewriteErrorResponse(context: Context<AppEnv>) {
  const response = context.res;
  if (response.ok || !response.headers.get('content-type')?.startsWith('application/json')) return;
  const body: unknown = await response
    .clone()
    .json()
    .catch(() => null);
  if (!isChorusErrorBody(body)) return;
  const headers = new Headers(response.headers);
  if (response.status === 429 || response.status === 502) headers.set('x-should-retry', 'false');
  context.res = new Response(JSON.stringify(withOpenAiFields(body)), { status: response.status, headers });
}
