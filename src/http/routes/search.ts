// /api/search: full-text search over the caller's own conversations (titles and messages), best match first.
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { messageRole } from '../../db/schema/index.ts';
import { DEFAULT_SEARCH_PAGE, MAX_QUERY_LENGTH, MAX_SEARCH_PAGE, type SearchHit } from '../../search/search-service.ts';
import { type AppEnv, requireActor } from '../context.ts';
import { cursorSchema, pageSchema } from '../dto/page.ts';
import { errorResponses, signedIn } from '../openapi.ts';

const snippetRunSchema = z.object({ text: z.string(), highlighted: z.boolean() }).openapi('SnippetRun');

const searchHitSchema = z
  .object({
    kind: z.enum(['message', 'title']).openapi({ description: 'A message that matched, or a conversation title' }),
    conversationId: z.uuid(),
    conversationTitle: z.string().nullable(),
    messageId: z.uuid().nullable().openapi({ description: 'The message that matched; null for a title' }),
    role: z.enum(messageRole.enumValues).nullable(),
    senderId: z.uuid().nullable(),
    modelId: z.string().nullable(),
    threadRootId: z.uuid().nullable().openapi({
      description: 'The message whose thread the matched message is in; null in the main conversation',
    }),
    createdAt: z.iso.datetime().openapi({ description: "The message's time; for a title, the last activity" }),
    snippet: z.array(snippetRunSchema).openapi({ description: 'The text around the match, matched words highlighted' }),
  })
  .openapi('SearchHit');

const searchQuery = z.object({
  q: z
    .string()
    .max(MAX_QUERY_LENGTH)
    .openapi({ description: 'Words to find; "quoted phrases", `or` and -excluded words work as in web search' }),
  conversationId: z.uuid().optional().openapi({ description: 'Only this conversation' }),
  modelId: z.string().min(1).max(200).optional().openapi({ description: 'Only messages this model wrote' }),
  senderId: z.uuid().optional().openapi({ description: 'Only messages this person wrote' }),
  from: z.iso.datetime({ offset: true }).optional().openapi({ description: 'Only messages written at or after' }),
  to: z.iso.datetime({ offset: true }).optional().openapi({ description: 'Only messages written before' }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_SEARCH_PAGE)
    .optional()
    .openapi({ description: `Hits per page, 1–${MAX_SEARCH_PAGE}; default ${DEFAULT_SEARCH_PAGE}` }),
  cursor: cursorSchema,
});

const searchRoute = createRoute({
  method: 'get',
  path: '/api/search',
  tags: ['conversations'],
  summary: 'Search the titles and messages of your conversations, best match first',
  description:
    'Only conversations you take part in are searched. A model, person or date filter limits hits to messages. ' +
    'With encryption at rest on, only titles are searched.',
  security: signedIn,
  request: { query: searchQuery },
  responses: {
    200: { description: 'A page of hits', content: { 'application/json': { schema: pageSchema(searchHitSchema) } } },
    ...errorResponses(400, 401),
  },
});

const toSearchHitDto = ({ kind, id, at, ...hit }: SearchHit) => ({
  ...hit,
  kind,
  messageId: kind === 'message' ? id : null,
  createdAt: at.toISOString(),
});

export function registerSearchRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(searchRoute, async (context) => {
    const actor = requireActor(context);
    const { q, limit, cursor, from, to, ...filters } = context.req.valid('query');
    const page = await context.get('runtime').search.search({
      actor,
      query: q,
      limit,
      cursor,
      filters: { ...filters, from: from ? new Date(from) : undefined, to: to ? new Date(to) : undefined },
    });
    return context.json({ items: page.items.map(toSearchHitDto), nextCursor: page.nextCursor }, 200);
  });
}
