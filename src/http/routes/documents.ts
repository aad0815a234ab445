// Documents models write and people edit: /api/documents/{id} (GET the latest with its version list, PUT a person's
// edit as a new version, DELETE ?after= to drop later versions), /api/documents/{id}/versions/{createdAt},
// /api/documents/{id}/suggestions, and /api/suggestions/{id}/accept and /reject. A document is reached as its
// conversation is: anyone else gets 404.
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { type AppEnv, requireActor } from '../context.ts';
import {
  documentSchema,
  documentVersionSchema,
  suggestionSchema,
  toDocumentDto,
  toDocumentVersionDto,
  toSuggestionDto,
} from '../dto/document.ts';
import { errorResponses, signedIn } from '../openapi.ts';

const documentParams = z.object({ id: z.uuid() });
const instant = z.iso
  .datetime({ offset: true })
  .transform((value) => new Date(value))
  .meta({ description: 'A version: its `createdAt`, as an ISO 8601 time' });
const json = <Schema extends z.ZodType>(schema: Schema, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

const getDocumentRoute = createRoute({
  method: 'get',
  path: '/api/documents/{id}',
  tags: ['documents'],
  summary: 'A document: its latest version and the list of its versions',
  security: signedIn,
  request: { params: documentParams },
  responses: { 200: json(documentSchema, 'The document'), ...errorResponses(400, 401, 404) },
});

const getVersionRoute = createRoute({
  method: 'get',
  path: '/api/documents/{id}/versions/{createdAt}',
  tags: ['documents'],
  summary: 'One version of a document',
  security: signedIn,
  request: { params: documentParams.extend({ createdAt: instant }) },
  responses: { 200: json(documentVersionSchema, 'The version'), ...errorResponses(400, 401, 404) },
});

const editDocumentRoute = createRoute({
  method: 'put',
  path: '/api/documents/{id}',
  tags: ['documents'],
  summary: "A person's edit, saved as the document's next version",
  security: signedIn,
  request: {
    params: documentParams,
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z.strictObject({
            content: z.string().max(1_000_000),
            title: z.string().trim().min(1).max(200).optional(),
          }),
        },
      },
    },
  },
  responses: { 200: json(documentVersionSchema, 'The new version'), ...errorResponses(400, 401, 404, 409) },
});

const deleteVersionsRoute = createRoute({
  method: 'delete',
  path: '/api/documents/{id}',
  tags: ['documents'],
  summary: 'Back to a version: drops every version saved after `after`, and their suggestions',
  security: signedIn,
  request: { params: documentParams, query: z.object({ after: instant }) },
  responses: {
    200: json(
      z.object({ deleted: z.number().int().meta({ description: 'Versions dropped' }), document: documentSchema }),
      'The document as it now stands',
    ),
    ...errorResponses(400, 401, 404),
  },
});

const listSuggestionsRoute = createRoute({
  method: 'get',
  path: '/api/documents/{id}/suggestions',
  tags: ['documents'],
  summary: 'The suggestions on the latest version, open and resolved, oldest first',
  security: signedIn,
  request: { params: documentParams },
  responses: {
    200: json(z.object({ suggestions: z.array(suggestionSchema) }), 'The suggestions'),
    ...errorResponses(400, 401, 404),
  },
});

const suggestionParams = z.object({ id: z.uuid() });

const acceptRoute = createRoute({
  method: 'post',
  path: '/api/suggestions/{id}/accept',
  tags: ['documents'],
  summary: "Accepts an open suggestion: applied to the latest version, saved as the document's next version",
  security: signedIn,
  request: { params: suggestionParams },
  responses: {
    200: json(z.object({ suggestion: suggestionSchema, document: documentVersionSchema }), 'The new version'),
    ...errorResponses(400, 401, 404, 409),
  },
});

const rejectRoute = createRoute({
  method: 'post',
  path: '/api/suggestions/{id}/reject',
  tags: ['documents'],
  summary: 'Rejects an open suggestion; the document is unchanged',
  security: signedIn,
  request: { params: suggestionParams },
  responses: { 200: json(suggestionSchema, 'The suggestion, resolved'), ...errorResponses(400, 401, 404, 409) },
});

export function registerDocumentRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(getDocumentRoute, async (context) => {
    const actor = requireActor(context);
    const { id } = context.req.valid('param');
    return context.json(toDocumentDto(await context.get('runtime').documents.get({ actor, id })), 200);
  });

  app.openapi(getVersionRoute, async (context) => {
    const actor = requireActor(context);
    const { id, createdAt } = context.req.valid('param');
    const version = await context.get('runtime').documents.getVersion({ actor, id, createdAt });
    return context.json(toDocumentVersionDto(version), 200);
  });

  app.openapi(editDocumentRoute, async (context) => {
    const actor = requireActor(context);
    const { id } = context.req.valid('param');
    const { content, title } = context.req.valid('json');
    const version = await context.get('runtime').documents.edit({ actor, id, content, title });
    return context.json(toDocumentVersionDto(version), 200);
  });

  app.openapi(deleteVersionsRoute, async (context) => {
    const actor = requireActor(context);
    const { id } = context.req.valid('param');
    const { after } = context.req.valid('query');
    const { deleted, document } = await context.get('runtime').documents.deleteVersionsAfter({ actor, id, after });
    return context.json({ deleted, document: toDocumentDto(document) }, 200);
  });

  app.openapi(listSuggestionsRoute, async (context) => {
    const actor = requireActor(context);
    const { id } = context.req.valid('param');
    const suggestions = await context.get('runtime').documents.listSuggestions({ actor, id });
    return context.json({ suggestions: suggestions.map(toSuggestionDto) }, 200);
  });

  app.openapi(acceptRoute, async (context) => {
    const actor = requireActor(context);
    const { id } = context.req.valid('param');
    const { suggestion, version } = await context.get('runtime').documents.accept({ actor, id });
    return context.json({ suggestion: toSuggestionDto(suggestion), document: toDocumentVersionDto(version) }, 200);
  });

  app.openapi(rejectRoute, async (context) => {
    const actor = requireActor(context);
    const { id } = context.req.valid('param');
    return context.json(toSuggestionDto(await context.get('runtime').documents.reject({ actor, id })), 200);
  });
}
