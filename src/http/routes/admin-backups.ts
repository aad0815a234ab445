// Backups for admins: the log of every run (status, size, how long, where), "back up now", and a finished backup as
// one zip to download. The work is the backup service's; these routes only translate.
import path from 'node:path';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { backupArchive } from '../../backups/backup-archive.ts';
import { openBackupLocation } from '../../backups/backup-location.ts';
import { notFound } from '../../errors.ts';
import type { BackupLog } from '../../store/backup-logs.ts';
import { type AppEnv, adminOnly, requireAdmin } from '../context.ts';
import { errorResponses, signedIn } from '../openapi.ts';

const backupSchema = z
  .object({
    id: z.uuid(),
    status: z.enum(['started', 'in_progress', 'completed', 'failed']),
    startedAt: z.iso.datetime(),
    completedAt: z.iso.datetime().nullable(),
    durationMs: z.number().int().nullable().openapi({ description: 'From start to end; null while it runs' }),
    location: z.string().nullable().openapi({ description: 'A folder or s3://bucket/prefix/name, once completed' }),
    sizeBytes: z.number().int().nullable(),
    checksum: z.string().nullable().openapi({ description: "SHA-256 of the backup's manifest" }),
    error: z.string().nullable(),
    progress: z
      .object({
        tablesDone: z.number().int(),
        tablesTotal: z.number().int(),
        rows: z.number().int(),
        bytes: z.number(),
      })
      .nullable(),
  })
  .openapi('Backup');

const idParam = z.object({ id: z.uuid() });
const route = { tags: ['admin: backups'], security: signedIn, middleware: [adminOnly] };

const listRoute = createRoute({
  ...route,
  method: 'get',
  path: '/api/admin/backups',
  summary: 'The backup log, newest first, and where backups go',
  request: { query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }) },
  responses: {
    200: {
      description: 'The log',
      content: {
        'application/json': {
          schema: z.object({
            items: z.array(backupSchema),
            destination: z.string(),
            intervalMs: z.number().int().nullable().openapi({ description: 'CHORUS_BACKUP_INTERVAL; null: none' }),
            keep: z.number().int().nullable().openapi({ description: 'CHORUS_BACKUP_KEEP; null: all' }),
          }),
        },
      },
    },
    ...errorResponses(400, 401, 403),
  },
});

const startRoute = createRoute({
  ...route,
  method: 'post',
  path: '/api/admin/backups',
  summary: 'Back up now; answers once the backup is under way (follow it in the log)',
  responses: {
    202: { description: 'Under way', content: { 'application/json': { schema: backupSchema } } },
    ...errorResponses(401, 403, 409),
  },
});

const downloadRoute = createRoute({
  ...route,
  method: 'get',
  path: '/api/admin/backups/{id}/download',
  summary: 'A completed backup as one zip (unzipped, a folder `chorus restore` takes)',
  request: { params: idParam },
  responses: {
    200: {
      description: 'The zip',
      content: { 'application/zip': { schema: z.string().openapi({ format: 'binary' }) } },
    },
    ...errorResponses(401, 403, 404),
  },
});

function toBackupDto(log: BackupLog) {
  const ended = log.completedAt;
  return {
    id: log.id,
    status: log.status,
    startedAt: log.startedAt.toISOString(),
    completedAt: ended?.toISOString() ?? null,
    durationMs: ended ? ended.getTime() - log.startedAt.getTime() : null,
    location: log.filePath,
    sizeBytes: log.fileSizeBytes,
    checksum: log.checksum,
    error: log.errorMessage,
    progress: log.progress,
  };
}

export function registerAdminBackupRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(listRoute, async (context) => {
    requireAdmin(context);
    const { limit } = context.req.valid('query');
    const runtime = context.get('runtime');
    const logs = await runtime.store.backupLogs.list({ limit });
    return context.json(
      {
        items: logs.map(toBackupDto),
        destination: runtime.backups.location.address,
        intervalMs: runtime.env.CHORUS_BACKUP_INTERVAL ?? null,
        keep: runtime.env.CHORUS_BACKUP_KEEP ?? null,
      },
      200,
    );
  });

  app.openapi(startRoute, async (context) => {
    requireAdmin(context);
    const run = await context.get('runtime').backups.start();
    return context.json(toBackupDto(run.log), 202);
  });

  app.openapi(downloadRoute, async (context) => {
    requireAdmin(context);
    const { id } = context.req.valid('param');
    const runtime = context.get('runtime');
    const log = await runtime.store.backupLogs.find(id);
    if (log?.status !== 'completed' || !log.filePath) throw notFound('completed backup', id);
    const location = openBackupLocation(log.filePath, runtime.env);
    const name = path.posix.basename(log.filePath.replaceAll('\\', '/'));
    const body = await backupArchive(location, name);
    return new Response(body, {
      status: 200,
      headers: { 'content-type': 'application/zip', 'content-disposition': `attachment; filename="${name}.zip"` },
    }) as never;
  });
}
