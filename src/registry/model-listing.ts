// Listing the registry for admins: every status, filtered, searched, in pages walked by a (sortOrder, id) keyset
// cursor that idx_models_sort serves, so a page costs the same at the start and at the end of 10,000 models.
import { and, asc, eq, ilike, inArray, or, type SQL, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { models } from '../db/schema/index.ts';
import { AppError } from '../errors.ts';
import type { MODEL_CAPABILITIES } from '../models/model-schema.ts';
import { clampLimit, type Page } from '../store/pagination.ts';
import type { ModelRow } from './model-changes.ts';

export type ModelFilter = {
  status?: ModelRow['status'] | ModelRow['status'][];
  provider?: string;
  /** Models having this capability (or all of these). */
  capability?: (typeof MODEL_CAPABILITIES)[number] | (typeof MODEL_CAPABILITIES)[number][];
  /** Case-insensitive substring of the id, name or display name. */
  search?: string;
};

export type ModelListQuery = ModelFilter & { limit?: number; cursor?: string | null };

type SortKey = { sortOrder: number; id: string };

export function encodeModelCursor(key: SortKey): string {
  return Buffer.from(JSON.stringify([key.sortOrder, key.id])).toString('base64url');
}

export function decodeModelCursor(cursor: string): SortKey {
  try {
    const [sortOrder, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    // Within the column's types (integer, varchar without NUL), so a forged cursor is a 400, not a failed query.
    const isInteger32 = Number.isInteger(sortOrder) && Math.abs(sortOrder as number) <= 2 ** 31 - 1;
    if (isInteger32 && typeof id === 'string' && !id.includes('\u0000')) return { sortOrder: sortOrder as number, id };
  } catch {
    // Falls through to the error below: a cursor that is not JSON is as foreign as one of the wrong shape.
  }
  throw new AppError('invalid_input', 'cursor is not a cursor this server issued', { details: { cursor } });
}

/** `%` and `_` in a search are the characters themselves, not patterns. */
const escapeLike = (text: string) => text.replace(/[\\%_]/g, (character) => `\\${character}`);

export function modelFilterCondition(filter: ModelFilter): SQL | undefined {
  const conditions: (SQL | undefined)[] = [];
  if (filter.status !== undefined) {
    const statuses = [filter.status].flat();
    conditions.push(statuses.length === 1 ? eq(models.status, statuses[0]!) : inArray(models.status, statuses));
  }
  if (filter.provider !== undefined) conditions.push(eq(models.provider, filter.provider));
  if (filter.capability !== undefined) {
    // jsonb containment, served by the GIN index idx_models_capabilities.
    conditions.push(sql`${models.capabilities} @> ${JSON.stringify([filter.capability].flat())}::jsonb`);
  }
  const search = filter.search?.trim();
  if (search) {
    const pattern = `%${escapeLike(search)}%`;
    conditions.push(or(ilike(models.id, pattern), ilike(models.name, pattern), ilike(models.displayName, pattern)));
  }
  return and(...conditions);
}

export async function listModels(db: Database, query: ModelListQuery): Promise<Page<ModelRow>> {
  const limit = clampLimit(query.limit);
  const after = query.cursor ? decodeModelCursor(query.cursor) : undefined;
  const rows = await db
    .select()
    .from(models)
    .where(
      and(
        modelFilterCondition(query),
        after && sql`(${models.sortOrder}, ${models.id}) > (${after.sortOrder}::integer, ${after.id}::varchar)`,
      ),
    )
    .orderBy(asc(models.sortOrder), asc(models.id))
    .limit(limit + 1);
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeModelCursor(last) : null };
}
