// A conversation's threads: GET /api/conversations/:id/threads/:messageId reads the thread hanging on a message
// (posting in one is POST /api/chat with `threadId`). Readable by whoever may read the conversation.
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { type AppEnv, requireActor } from '../context.ts';
import { messageSchema, toMessageDto } from '../dto/message.ts';
import { errorResponses, signedIn } from '../openapi.ts';

const threadParams = z.object({
  id: z.uuid(),
  messageId: z.string().min(1).max(128).openapi({ description: "The message's id, or the id its client gave it" }),
});

const threadSchema = z
  .object({
    root: messageSchema.meta({ description: 'The message the thread hangs on, with its thread summary' }),
    items: z.array(messageSchema).meta({ description: "The thread's messages, oldest first" }),
  })
  .meta({ id: 'Thread' });

const threadRoute = createRoute({
  method: 'get',
  path: '/api/conversations/{id}/threads/{messageId}',
  tags: ['conversations'],
  summary: 'The thread hanging on a message (a message inside a thread stands for its thread)',
  security: signedIn,
  request: { params: threadParams },
  responses: {
    200: { description: 'The thread', content: { 'application/json': { schema: threadSchema } } },
    ...errorResponses(400, 401, 404),
  },
});

export function registerThreadRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(threadRoute, async (context) => {
    const actor = requireActor(context);
    const { id: conversationId, messageId } = context.req.valid('param');
    const thread = await context.get('runtime').conversations.threads.read({ actor, conversationId, messageId });
    const { deletedFileIds } = thread;
    const show = ({ message, ...shown }: (typeof thread.items)[number]) =>
      toMessageDto(message, { ...shown, deletedFileIds });
    return context.json({ root: show(thread.root), items: thread.items.map(show) }, 200);
  });
}
