// POST /api/conversations/import: bring conversations in from a Chorus transcript (the JSON export) or ChatGPT's
// conversations.json. The import service checks the whole input first; a bad one is a 400 listing every problem.
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { type AppEnv, requireActor } from '../context.ts';
import { errorResponses, signedIn } from '../openapi.ts';

const importResultSchema = z
  .object({
    source: z.enum(['chorus', 'chatgpt']),
    conversations: z.array(
      z.object({
        id: z.uuid(),
        title: z.string().nullable(),
        messageCount: z.number().int(),
        fileCount: z.number().int(),
      }),
    ),
  })
  .openapi('ConversationImportResult');

const importRoute = createRoute({
  method: 'post',
  path: '/api/conversations/import',
  tags: ['transcripts'],
  summary: 'Import conversations from a Chorus JSON transcript or a ChatGPT export (conversations.json)',
  description:
    'You own what is imported. Models are found by id; one this server lacks is kept as attribution only. Files a ' +
    'Chorus transcript carries become your uploads (within your upload limits). ChatGPT conversations are flattened to the branch you last saw. ' +
    'All or nothing: any problem is a 400 listing them, and nothing is written.',
  security: signedIn,
  request: {
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z
            .unknown()
            .openapi({ description: 'A Chorus transcript object, or ChatGPT conversations.json (a list)' }),
        },
      },
    },
  },
  responses: {
    201: { description: 'Imported', content: { 'application/json': { schema: importResultSchema } } },
    ...errorResponses(400, 401, 413),
  },
});

export function registerImportRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(importRoute, async (context) => {
    const actor = requireActor(context);
    const result = await context.get('runtime').imports.import({ actor, input: context.req.valid('json') });
    return context.json(result, 201);
  });
}
