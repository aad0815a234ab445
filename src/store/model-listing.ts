// The admins' listing of the registry: every status, filtered, searched, in pages walked by a (sortOrder, id) keyset
// cursor that idx_models_sort serves, so a page costs the same at the start and at the end of 10,000 models. Each
// combination of filters is one statement, built and prepared once (ModelStore keeps them) and then only run.
import { and, asc, ilike, or, type SQL, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { modelStatus, models } from '../db/schema/index.ts';
import { AppError } from '../errors.ts';
import type { MODEL_CAPABILITIES } from '../models/model-schema.ts';
import { clampLimit } from './pagination.ts';

type ModelRow = typeof models.$inferSelect;

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

/** Which filters a listing uses: the statement's shape, whatever the values. */
type ListingShape = {
  /** One status is an equality, which PostgreSQL plans better than membership in a list of one. */
  status: 'none' | 'one' | 'several';
  provider: boolean;
  capability: boolean;
  search: boolean;
  cursor: boolean;
};

/** A listing ready to run: the key of its statement's shape, and the values of its placeholders. */
export type ListingRequest = {
  shapeKey: string;
  shape: ListingShape;
  limit: number;
  values: Record<string, unknown>;
};

const shapeKeyOf = (shape: ListingShape) => Object.values(shape).map(String).join('-');

/** What a query asks for, as a statement's shape and its values (one row more than the page, to know if more follow). */
export function listingRequest(query: ModelListQuery): ListingRequest {
  const limit = clampLimit(query.limit);
  const after = query.cursor ? decodeModelCursor(query.cursor) : undefined;
  const search = query.search?.trim();
  const statuses = query.status === undefined ? [] : [query.status].flat();
  const shape: ListingShape = {
    status: statuses.length === 0 ? 'none' : statuses.length === 1 ? 'one' : 'several',
    provider: query.provider !== undefined,
    capability: query.capability !== undefined,
    search: Boolean(search),
    cursor: after !== undefined,
  };
  return {
    shapeKey: shapeKeyOf(shape),
    shape,
    limit,
    values: {
      status: statuses.length > 1 ? `{${statuses.join(',')}}` : statuses[0],
      provider: query.provider,
      capability: query.capability === undefined ? undefined : JSON.stringify([query.capability].flat()),
      search: search ? `%${escapeLike(search)}%` : undefined,
      sortOrder: after?.sortOrder,
      id: after?.id,
      limit: limit + 1,
    },
  };
}

/**
 * The listing's statement for one shape, its values left to placeholders. Built for every call, a page of 50 took
 * 1.6–1.9× what the same statement takes through the bare driver on PostgreSQL (about 0.3 ms more than its 0.45);
 * prepared, 1.05–1.2×.
 */
export function listingStatement(db: Database, { shape, shapeKey }: ListingRequest) {
  const search = sql.placeholder('search');
  const conditions: (SQL | undefined)[] = [
    shape.status === 'one' ? sql`${models.status} = ${sql.placeholder('status')}` : undefined,
    shape.status === 'several'
      ? sql`${models.status} = any(${sql.placeholder('status')}::${sql.identifier(modelStatus.enumName)}[])`
      : undefined,
    shape.provider ? sql`${models.provider} = ${sql.placeholder('provider')}` : undefined,
    // jsonb containment, served by the GIN index idx_models_capabilities.
    shape.capability ? sql`${models.capabilities} @> ${sql.placeholder('capability')}::jsonb` : undefined,
    shape.search
      ? or(...[models.id, models.name, models.displayName].map((column) => ilike(column, search)))
      : undefined,
    shape.cursor
      ? sql`(${models.sortOrder}, ${models.id}) > (${sql.placeholder('sortOrder')}::integer, ${sql.placeholder('id')}::varchar)`
      : undefined,
  ];
  return db
    .select()
    .from(models)
    .where(and(...conditions))
    .orderBy(asc(models.sortOrder), asc(models.id))
    .limit(sql.placeholder('limit'))
    .prepare(`models_list_${shapeKey}`);
}

export type ListingStatement = ReturnType<typeof listingStatement>;
