// GET /api/me/export: everything of mine as one zip, streamed (see transcripts/account-export.ts for its contents).
import { Readable } from 'node:stream';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { type AppEnv, requireActor } from '../context.ts';
import { errorResponses, signedIn } from '../openapi.ts';
import { attachmentDisposition } from './transcripts.ts';

const accountExportRoute = createRoute({
  method: 'get',
  path: '/api/me/export',
  tags: ['accounts'],
  summary:
    'Download my data: a zip of every conversation I own or take part in (JSON each), my votes, my saved prompts and my uploads',
  security: signedIn,
  responses: {
    200: {
      description: 'The zip, streamed',
      content: { 'application/zip': { schema: z.string().openapi({ format: 'binary' }) } },
    },
    ...errorResponses(401),
  },
});

export function registerAccountExportRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(accountExportRoute, async (context) => {
    const actor = requireActor(context);
    const archive = await context.get('runtime').accountExports.open({ actor });
    return new Response(Readable.toWeb(archive.body) as ReadableStream<Uint8Array>, {
      headers: {
        'content-type': 'application/zip',
        'content-disposition': attachmentDisposition(archive.fileName),
        'cache-control': 'private, no-store',
      },
    }) as never;
  });
}
