// A conversation's transcripts: GET /api/conversations/{id}/export streams one (JSON, CSV or Markdown) to whoever
// may read the conversation; POST …/transcripts stores one in file storage, GET …/transcripts lists the stored ones
// and GET …/transcripts/{transcriptId} downloads one. Outsiders get 404, as for the conversation itself.
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { transcriptFormat } from '../../db/schema/index.ts';
import type { Transcript } from '../../store/transcripts.ts';
import { toByteStream } from '../../transcripts/transcript-writer.ts';
import { type AppEnv, requireActor } from '../context.ts';
import { errorResponses, signedIn } from '../openapi.ts';
import { conversationParams } from '../path-params.ts';

const formatSchema = z.enum(transcriptFormat.enumValues).openapi({
  description:
    'json: lossless, the Chorus transcript format (docs/transcript-format.md); csv: one row per message; md: Markdown to read',
});

const transcriptSchema = z
  .object({
    id: z.uuid(),
    conversationId: z.uuid(),
    format: formatSchema,
    sizeBytes: z.number().int(),
    messageCount: z.number().int(),
    checksum: z.string().nullable().openapi({ description: 'Hex SHA-256 of the stored bytes' }),
    createdBy: z.uuid().nullable(),
    createdAt: z.iso.datetime(),
    url: z.string().openapi({ description: 'Where to download it' }),
  })
  .openapi('Transcript');

const binaryBody = (description: string) => ({
  description,
  content: Object.fromEntries(
    ['application/json', 'text/csv', 'text/markdown'].map((type) => [
      type,
      { schema: z.string().openapi({ format: 'binary' }) },
    ]),
  ),
});

const exportRoute = createRoute({
  method: 'get',
  path: '/api/conversations/{id}/export',
  tags: ['transcripts'],
  summary: 'Download a conversation as JSON, CSV or Markdown, streamed',
  description:
    'For anyone who may read the conversation. JSON carries the bytes of its files (base64) unless `files=false`, ' +
    'so that importing it restores them.',
  security: signedIn,
  request: {
    params: conversationParams,
    query: z.object({
      format: formatSchema.default('json'),
      files: z.enum(['true', 'false']).default('true').openapi({ description: "JSON only: include the files' bytes" }),
    }),
  },
  responses: { 200: binaryBody('The transcript, as an attachment'), ...errorResponses(400, 401, 404) },
});

const saveRoute = createRoute({
  method: 'post',
  path: '/api/conversations/{id}/transcripts',
  tags: ['transcripts'],
  summary: 'Store a transcript of the conversation in file storage',
  security: signedIn,
  request: {
    params: conversationParams,
    body: {
      required: true,
      content: { 'application/json': { schema: z.strictObject({ format: formatSchema }).openapi('NewTranscript') } },
    },
  },
  responses: {
    201: { description: 'Stored', content: { 'application/json': { schema: transcriptSchema } } },
    ...errorResponses(400, 401, 404),
  },
});

const listRoute = createRoute({
  method: 'get',
  path: '/api/conversations/{id}/transcripts',
  tags: ['transcripts'],
  summary: 'The stored transcripts of a conversation, newest first',
  security: signedIn,
  request: { params: conversationParams },
  responses: {
    200: {
      description: 'The transcripts',
      content: { 'application/json': { schema: z.object({ items: z.array(transcriptSchema) }) } },
    },
    ...errorResponses(400, 401, 404),
  },
});

const downloadRoute = createRoute({
  method: 'get',
  path: '/api/conversations/{id}/transcripts/{transcriptId}',
  tags: ['transcripts'],
  summary: 'Download a stored transcript',
  security: signedIn,
  request: { params: conversationParams.extend({ transcriptId: z.uuid() }) },
  responses: { 200: binaryBody('The stored transcript'), ...errorResponses(400, 401, 404) },
});

/** `attachment` with the name as given (ASCII, from transcriptFileName) and in RFC 5987 form for any other. */
export const attachmentDisposition = (fileName: string) =>
  `attachment; filename="${fileName.replace(/[^\x20-\x7e]|"/g, '_')}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;

const toTranscriptDto = (transcript: Transcript) => ({
  id: transcript.id,
  conversationId: transcript.conversationId,
  format: transcript.format,
  sizeBytes: transcript.fileSizeBytes,
  messageCount: transcript.messageCount,
  checksum: transcript.checksum,
  createdBy: transcript.createdBy,
  createdAt: transcript.createdAt.toISOString(),
  url: `/api/conversations/${transcript.conversationId}/transcripts/${transcript.id}`,
});

export function registerTranscriptRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(exportRoute, async (context) => {
    const actor = requireActor(context);
    const { id: conversationId } = context.req.valid('param');
    const { format, files } = context.req.valid('query');
    const transcript = await context
      .get('runtime')
      .transcripts.export({ actor, conversationId, format, includeFiles: files === 'true' });
    return new Response(toByteStream(transcript.chunks), {
      headers: {
        'content-type': transcript.mediaType,
        'content-disposition': attachmentDisposition(transcript.fileName),
        'cache-control': 'private, no-store',
        'x-content-type-options': 'nosniff',
      },
    }) as never;
  });

  app.openapi(saveRoute, async (context) => {
    const actor = requireActor(context);
    const { id: conversationId } = context.req.valid('param');
    const { format } = context.req.valid('json');
    const transcript = await context.get('runtime').transcripts.save({ actor, conversationId, format });
    return context.json(toTranscriptDto(transcript), 201);
  });

  app.openapi(listRoute, async (context) => {
    const actor = requireActor(context);
    const { id: conversationId } = context.req.valid('param');
    const transcripts = await context.get('runtime').transcripts.list({ actor, conversationId });
    return context.json({ items: transcripts.map(toTranscriptDto) }, 200);
  });

  app.openapi(downloadRoute, async (context) => {
    const actor = requireActor(context);
    const { id: conversationId, transcriptId } = context.req.valid('param');
    const opened = await context.get('runtime').transcripts.open({ actor, conversationId, id: transcriptId });
    const headers: Record<string, string> = {
      'content-type': opened.mediaType,
      'content-length': String(opened.transcript.fileSizeBytes),
      'content-disposition': attachmentDisposition(opened.fileName),
      'cache-control': 'private, no-store',
      'x-content-type-options': 'nosniff',
    };
    if (opened.transcript.checksum) headers.etag = `"${opened.transcript.checksum}"`;
    return new Response(opened.body, { headers }) as never;
  });
}
