// POST /api/files (upload an image or PDF to attach to a message, within the uploader's quota), GET /api/files/:id
// (its bytes, for its owner and for whoever can read the conversation it was sent in; anyone else gets 404),
// DELETE /api/files/:id (its uploader only).
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { ATTACHABLE_MEDIA_TYPES, type AttachableMediaType } from '../../files/media-types.ts';
import { fileUrl } from '../../files/message-files.ts';
import { type AppEnv, requireActor } from '../context.ts';
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
        'multipart/form-data': {
          schema: z.object({ file: z.file().openapi({ type: 'string', format: 'binary' }) }),
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

const downloadRoute = createRoute({
  method: 'get',
  path: '/api/files/{id}',
  tags: ['files'],
  summary: 'The bytes of an uploaded file',
  security: signedIn,
  request: { params: fileParams },
  responses: {
    200: {
      description: 'The file, with its media type',
      content: Object.fromEntries(
        ATTACHABLE_MEDIA_TYPES.map((type) => [type, { schema: z.string().openapi({ format: 'binary' }) }]),
      ),
    },
    304: { description: 'Unchanged since the copy the client has (If-None-Match)' },
    ...errorResponses(400, 401, 404),
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
    const { file } = context.req.valid('form');
    const stored = await context.get('runtime').files.upload({
      actor,
      bytes: new Uint8Array(await file.arrayBuffer()),
      declaredType: file.type,
      name: file.name,
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
    const { file, body } = await context.get('runtime').files.open({ actor, id: context.req.valid('param').id });
    const etag = `"${file.sha256}"`;
    const headers = {
      etag,
      // The bytes behind an id never change; who may read them can, so only the person's own browser keeps a copy.
      'cache-control': 'private, max-age=3600',
      // Served from the app's own origin: never let a browser treat an upload as anything but what it was checked to
      // be.
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'",
      'content-disposition': `inline; filename*=UTF-8''${encodeURIComponent(file.name)}`,
    };
    if (context.req.header('if-none-match') === etag) {
      await body.cancel();
      return new Response(null, { status: 304, headers }) as never;
    }
    return new Response(body, {
      headers: { ...headers, 'content-type': file.mediaType, 'content-length': String(file.sizeBytes) },
    }) as never;
  });

  app.openapi(deleteRoute, async (context) => {
    const actor = requireActor(context);
    await context.get('runtime').files.delete({ actor, id: context.req.valid('param').id });
    return context.body(null, 204);
  });
}
