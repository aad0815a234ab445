// POST /api/chat (the AI SDK useChat transport's request, plus `modelIds`), GET /api/chat/:id/stream (re-attach
// to the newest reply), POST /api/chat/:id/stop. Replies stream as the AI SDK UI message stream (SSE).
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { ReplyStream } from '../../chat/chat-service.ts';
import { assertMessageTextWithin } from '../../chat/message-size.ts';
import type { MessagePart } from '../../db/schema/index.ts';
import { AppError } from '../../errors.ts';
import { modelIdSchema } from '../../models/model-schema.ts';
import { type AppEnv, requireActor } from '../context.ts';
import { invalidInput } from '../errors.ts';
import { errorResponses, signedIn } from '../openapi.ts';
import { conversationParams } from '../path-params.ts';
import { sendUiMessageStream } from '../sse.ts';

const uiPartSchema = z.looseObject({ type: z.string().min(1).max(100) });
/** What a person's new message may hold: text, and files uploaded first with POST /api/files. */
const newMessagePartSchema = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('text'), text: z.string() }),
  z.looseObject({
    type: z.literal('file'),
    url: z.string().openapi({ description: '/api/files/<id> (or the absolute URL) of your upload' }),
    mediaType: z.string().max(100),
    filename: z.string().max(1_000).optional(),
  }),
]);
const uiMessageSchema = z.object({
  id: z.string().min(1).max(128),
  role: z.enum(['user', 'assistant', 'system']),
  parts: z.array(uiPartSchema).max(200),
  metadata: z.unknown().optional(),
});

const chatRequestSchema = z
  .object({
    id: z.uuid().openapi({ description: 'The conversation; a new id starts a new conversation' }),
    messages: z
      .array(uiMessageSchema)
      .max(1_000)
      .optional()
      .openapi({ description: 'useChat sends the whole list; only the last one is read' }),
    message: uiMessageSchema.optional().openapi({ description: 'Or just the new message' }),
    trigger: z.enum(['submit-message', 'regenerate-message']).default('submit-message'),
    messageId: z
      .string()
      .min(1)
      .max(128)
      .optional()
      .openapi({
        description:
          'submit: your message being edited (it and all after it are replaced); regenerate: the reply to redo. 409 when ' +
          "that would remove other people's messages and you are not the conversation's owner or an admin",
      }),
    modelIds: z
      .array(modelIdSchema)
      .min(1)
      .max(8)
      .optional()
      .openapi({ description: 'Models to answer, side by side' }),
    webSearch: z
      .object({ contextSize: z.enum(['low', 'medium', 'high']).default('medium') })
      .nullable()
      .optional(),
    visibility: z.enum(['private', 'public']).optional(),
    threadId: z
      .string()
      .min(1)
      .max(128)
      .optional()
      .openapi({
        description:
          'submit: post in the thread on this message of the conversation (its id, or the id its client gave it; a ' +
          'message inside a thread stands for its thread). The models then see the conversation up to that ' +
          "message and the thread. 400 when it is not one of the conversation's messages",
      }),
  })
  .openapi('ChatRequest');

const sseResponse = {
  description: 'The AI SDK UI message stream (Server-Sent Events)',
  content: { 'text/event-stream': { schema: z.string() } },
};

const chatRoute = createRoute({
  method: 'post',
  path: '/api/chat',
  tags: ['chat'],
  summary: 'Send a message (or regenerate a reply) and stream the replies of one or several models',
  security: signedIn,
  request: { body: { required: true, content: { 'application/json': { schema: chatRequestSchema } } } },
  responses: { 200: sseResponse, ...errorResponses(400, 401, 403, 404, 409, 429, 503) },
});

const resumeRoute = createRoute({
  method: 'get',
  path: '/api/chat/{id}/stream',
  tags: ['chat'],
  summary: 'Re-attach to the newest reply of a conversation, from its first chunk',
  security: signedIn,
  request: { params: conversationParams },
  responses: { 200: sseResponse, 204: { description: 'No reply to re-attach to' }, ...errorResponses(401, 404) },
});

const anotherReplyRoute = createRoute({
  method: 'post',
  path: '/api/chat/{id}/replies',
  tags: ['chat'],
  summary: 'Ask another model: add its reply to your newest message, beside the replies it has, and stream it',
  description:
    'The replies already there are kept (regenerating replaces them). 409 when a person has written since that ' +
    'message: only the newest message can be asked again this way.',
  security: signedIn,
  request: {
    params: conversationParams,
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z
            .object({
              messageId: z
                .string()
                .min(1)
                .max(128)
                .openapi({ description: 'The newest message of the conversation, or one of its replies' }),
              modelId: modelIdSchema,
            })
            .openapi('AnotherReplyRequest'),
        },
      },
    },
  },
  responses: { 200: sseResponse, ...errorResponses(400, 401, 403, 404, 409, 429, 503) },
});

const stopRoute = createRoute({
  method: 'post',
  path: '/api/chat/{id}/stop',
  tags: ['chat'],
  summary: 'Stop the replies being generated in a conversation (partial text is kept, status stopped)',
  security: signedIn,
  request: { params: conversationParams },
  responses: {
    200: {
      description: 'How many turns were stopped',
      content: { 'application/json': { schema: z.object({ stopped: z.number() }) } },
    },
    ...errorResponses(401, 403, 404),
  },
});

export function registerChatRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(chatRoute, async (context) => {
    const actor = requireActor(context);
    const { chat, env } = context.get('runtime');
    const body = context.req.valid('json');
    const common = {
      actor,
      conversationId: body.id,
      modelIds: body.modelIds,
      webSearch: body.webSearch,
      signal: context.req.raw.signal,
    };
    let reply: ReplyStream;
    if (body.trigger === 'regenerate-message') {
      if (!body.messageId) throw new AppError('invalid_input', 'regenerate-message needs messageId: the reply to redo');
      const messageId = body.messageId;
      reply = await chat.regenerate({ ...common, messageId });
    } else {
      const message = body.message ?? body.messages?.at(-1);
      if (!message) throw new AppError('invalid_input', 'send `message` or `messages` with the new message last');
      if (message.role !== 'user') throw new AppError('invalid_input', 'the new message must have role user');
      const unsupported = message.parts.find((part) => part.type !== 'text' && part.type !== 'file');
      if (unsupported)
        throw new AppError('invalid_input', `message parts of type ${unsupported.type} are not supported`);
      const parts = z.array(newMessagePartSchema).safeParse(message.parts);
      if (!parts.success) throw invalidInput(parts.error, 'message parts');
      const textLength = parts.data.reduce((sum, part) => sum + (part.type === 'text' ? part.text.length : 0), 0);
      const where = body.message ? 'message.parts' : `messages.${body.messages!.length - 1}.parts`;
      assertMessageTextWithin(textLength, env.CHORUS_MAX_MESSAGE_CHARS, where);
      reply = await chat.submit({
        ...common,
        clientMessageId: message.id,
        parts: parts.data as MessagePart[],
        // useChat sends the edited message's id as messageId; a plain send repeats the new message's own id.
        replacesMessageId: body.messageId && body.messageId !== message.id ? body.messageId : undefined,
        visibility: body.visibility,
        threadId: body.threadId,
        // useChat sends every message of its chat: one alone is a new chat's first, most likely.
        likelyNewConversation: body.messages?.length === 1,
      });
    }
    // The request's signal aborts when the client goes away: the service stops reading the stream then.
    return sendUiMessageStream(context, reply.batches, {
      headers: { 'x-chorus-stream-id': reply.streamId },
    }) as never;
  });

  app.openapi(resumeRoute, async (context) => {
    const actor = requireActor(context);
    const { id } = context.req.valid('param');
    const stream = await context.get('runtime').chat.latestStream(actor, id, context.req.raw.signal);
    if (!stream) return context.body(null, 204) as never;
    return sendUiMessageStream(context, stream) as never;
  });

  app.openapi(anotherReplyRoute, async (context) => {
    const actor = requireActor(context);
    const { id } = context.req.valid('param');
    const { messageId, modelId } = context.req.valid('json');
    const reply = await context
      .get('runtime')
      .chat.askAnother({ actor, conversationId: id, messageId, modelId, signal: context.req.raw.signal });
    return sendUiMessageStream(context, reply.batches, { headers: { 'x-chorus-stream-id': reply.streamId } }) as never;
  });

  app.openapi(stopRoute, async (context) => {
    const actor = requireActor(context);
    const { id } = context.req.valid('param');
    const stopped = await context.get('runtime').chat.stop(actor, id);
    return context.json({ stopped }, 200);
  });
}
