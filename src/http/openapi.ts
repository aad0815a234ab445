// Pieces every route's OpenAPI description reuses: the error body and how a caller signs in; the document's own
// header, and the shapes only streams carry.
import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { replySummarySchema } from '../chat/reply-summary.ts';
import { ERROR_STATUS, type ErrorCode } from '../errors.ts';
import type { AppEnv } from './context.ts';

export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.enum(Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]]),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .openapi('Error');

const errorDescriptions: Record<number, string> = {
  400: 'Invalid input',
  401: 'Not signed in',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Conflict',
  416: 'Range not satisfiable (Content-Range names the size)',
  429: 'Rate limited',
  503: 'Busy: try again after Retry-After seconds',
};

/** OpenAPI `responses` entries for the given error statuses, all with the one error body. */
export function errorResponses(...statuses: number[]) {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        description: errorDescriptions[status] ?? 'Error',
        content: { 'application/json': { schema: errorBodySchema } },
      },
    ]),
  );
}

/** Either credential works: the session cookie of a browser, or an API key as a bearer token. */
export const signedIn: Array<Record<string, string[]>> = [{ session: [] }, { apiKey: [] }];

export const OPENAPI_DOCUMENT = {
  openapi: '3.1.0',
  info: { title: 'Chorus API', version: '1', description: 'Chat with many AI models, alone or together.' },
};

/**
 * Shapes sent inside an event stream rather than as a route's JSON body, named in the document so clients can
 * generate their types too: the `data-reply` parts of POST /api/chat's stream. (The conversation events are the
 * schema of their route's stream.)
 */
export function registerStreamedShapes(app: OpenAPIHono<AppEnv>) {
  app.openAPIRegistry.register('ReplySummary', replySummarySchema);
}
