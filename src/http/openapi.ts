// Pieces every route's OpenAPI description reuses: the error body and how a caller signs in.
import { z } from '@hono/zod-openapi';
import { ERROR_STATUS, type ErrorCode } from '../errors.ts';

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
