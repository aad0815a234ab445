// Keyset pages as the API shows them: a limit and an opaque cursor in, `{ items, nextCursor }` out.
import { z } from '@hono/zod-openapi';
import { DEFAULT_PAGE_SIZE } from '../../store/pagination.ts';

export const MAX_API_PAGE_SIZE = 100;

export const pageLimitSchema = z.coerce
  .number()
  .int()
  .min(1)
  .max(MAX_API_PAGE_SIZE)
  .optional()
  .openapi({ description: `Items per page, 1–${MAX_API_PAGE_SIZE}; default ${DEFAULT_PAGE_SIZE}` });

export const cursorSchema = z
  .string()
  .min(1)
  .max(200)
  .optional()
  .openapi({ description: 'The nextCursor of the previous page' });

export function pageSchema<Item extends z.ZodType>(item: Item) {
  return z.object({
    items: z.array(item),
    nextCursor: z.string().nullable().openapi({ description: 'Pass it to get the next page; null on the last page' }),
  });
}
