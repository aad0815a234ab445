// POST /api/files (upload an image or PDF to attach to a message, within the uploader's quota), GET /api/files/:id
// (its bytes, for its owner and for whoever can read the conversation it was sent in; anyone else gets 404),
// DELETE /api/files/:id (its uploader only).
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { AppError } from '../../errors.ts';
import { ATTACHABLE_MEDIA_TYPES, type AttachableMediaType } from '../../files/media-types.ts';
import { fileUrl } from '../../files/message-files.ts';
import { UnsatisfiableRangeError } from '../../files/storage.ts';
import { answerRange } from '../byte-ranges.ts';
import { type AppEnv, requireActor } from '../context.ts';
import { formBoundary, openFormFile } from '../multipart-file.ts';
import { errorResponses, signedIn } from '../openapi.ts';

const uploadedFileSchema = z
  .object({
    id: z.uuid(),
    url: z
      .string()
      .openapi({ description: 'Send this as the `url` of a file part in POST /api/chat', example: '/api/files/…' }),
    mediaType: z
      .enum(ATTACHABLE_MEDIA_TYPES)
      .openapi({ description: 'What the bytes are (checked, not taken on trust)' }),
    size: z.number().int().openapi({ description: 'Bytes' }),
    name: z.string(),
  })
  .openapi('UploadedFile');

const uploadRoute = createRoute({
  method: 'post',
  path: '/api/files',
  tags: ['files'],
  summary: 'Upload an image (PNG, JPEG, WebP, GIF) or a PDF to attach to a message',
  description:
    "At most CHORUS_MAX_UPLOAD_BYTES per file, and CHORUS_MAX_UPLOAD_BYTES_PER_USER for all of one person's uploads " +
    'together: an upload past either is a 413 naming the limit (for the quota: what your uploads use and what is left).',
  security: signedIn,
  request: {
    body: {
      required: true,
      content: {
        // Described, not validated by a schema: the route reads the form as a stream (http/multipart-file.ts).
        'multipart/form-data': {
          schema: {
            type: 'object',
            required: ['file'],
            properties: { file: { type: 'string', format: 'binary' } },
          },
        },
      },
    },
  },
  responses: {
    201: { description: 'Stored', content: { 'application/json': { schema: uploadedFileSchema } } },
    ...errorResponses(400, 401, 413, 415),
  },
});

const fileParams = z.object({ id: z.uuid() });

const fileContent = Object.fromEntries(
  ATTACHABLE_MEDIA_TYPES.map((type) => [type, { schema: z.string().openapi({ format: 'binary' }) }]),
);

const downloadRoute = createRoute({
  method: 'get',
  path: '/api/files/{id}',
  tags: ['files'],
  summary: 'The bytes of an uploaded file',
  description:
    'A `Range: bytes=start-end` header (or `bytes=start-`, `bytes=-last`) asks for part of it: 206 with ' +
    'Content-Range, or 416 when the range starts past the end. `If-Range` with the ETag asks for the part only if ' +
    'the file is still that one.',
  security: signedIn,
  request: { params: fileParams },
  responses: {
    200: { description: 'The file, with its media type', content: fileContent },
    206: { description: 'The range asked for (Content-Range says which bytes of how many)', content: fileContent },
    304: { description: 'Unchanged since the copy the client has (If-None-Match)' },
    ...errorResponses(400, 401, 404, 416),
  },
});

const deleteRoute = createRoute({
  method: 'delete',
  path: '/api/files/{id}',
  tags: ['files'],
  summary: 'Delete one of your uploads, freeing its room in your quota',
  description:
    'Only its uploader may (others who can see it get 403). A file already sent in a conversation may be deleted ' +
    'too: the message keeps the file part, marked `removed: true`, and the file answers 404 from then on.',
  security: signedIn,
  request: { params: fileParams },
  responses: { 204: { description: 'Deleted' }, ...errorResponses(400, 401, 403, 404) },
});

export function registerFileRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(uploadRoute, async (context) => {
    const actor = requireActor(context);
    const boundary = formBoundary(context.req.header('content-type'));
    if (!boundary) {
      throw new HTTPException(415, { message: 'Unsupported Media Type' });
    }
    const body = context.req.raw.body;
    const form = body && (await openFormFile(body, boundary, 'file'));
    if (!form) throw new AppError('invalid_input', 'the form has no file in its `file` field');
    const stored = await context.get('runtime').files.upload({
      actor,
      body: form.body,
      declaredType: form.declaredType,
      name: form.fileName,
    });
    // The column holds only what verifiedMediaType returned.
    const mediaType = stored.mediaType as AttachableMediaType;
    return context.json(
      { id: stored.id, url: fileUrl(stored.id), mediaType, size: stored.sizeBytes, name: stored.name },
      201,
    );
  });

  app.openapi(downloadRoute, async (context) => {
    const actor = requireActor(context);
    const files = context.get('runtime').files;
    const file = await files.find({ actor, id: context.req.valid('param').id });
    const etag = `"${file.sha256}"`;
    const headers: Record<string, string> = {
      etag,
      'accept-ranges': 'bytes',
      // The bytes behind an id never change; who may read them can, so only the person's own browser keeps a copy.
      'cache-control': 'private, max-age=3600',
      // Served from the app's own origin: never let a browser treat an upload as anything but what it was checked to
      // be.
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'",
      'content-disposition': `inline; filename*=UTF-8''${encodeURIComponent(file.name)}`,
    };
    if (context.req.header('if-none-match') === etag) return new Response(null, { status: 304, headers }) as never;
    const wanted = answerRange(
      { range: context.req.header('range'), ifRange: context.req.header('if-range') },
      { size: file.sizeBytes, etag },
    );
    if (wanted.kind === 'unsatisfiable') throw unsatisfiable(context, file.sizeBytes);
    const read = await files
      .read(file, wanted.kind === 'partial' ? { start: wanted.start, end: wanted.end } : undefined)
      .catch((error: unknown) => {
        throw error instanceof UnsatisfiableRangeError ? unsatisfiable(context, error.size) : error;
      });
    headers['content-type'] = file.mediaType;
    if (!read.range) {
      return new Response(read.body, { headers: { ...headers, 'content-length': String(read.size) } }) as never;
    }
    const { start, end } = read.range;
    return new Response(read.body, {
      status: 206,
      headers: {
        ...headers,
        'content-range': `bytes ${start}-${end}/${read.size}`,
        'content-length': String(end - start + 1),
      },
    }) as never;
  });

  app.openapi(deleteRoute, async (context) => {
    const actor = requireActor(context);
    await context.get('runtime').files.delete({ actor, id: context.req.valid('param').id });
    return context.body(null, 204);
  });
}

/** A 416 naming the file's size, as the RFC asks. */
function unsatisfiable(context: Context, size: number): AppError {
  context.header('content-range', `bytes */${size}`);
  return new AppError('range_not_satisfiable', `the range asked for is not within the file's ${size} bytes`);
}
