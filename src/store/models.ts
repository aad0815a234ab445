// The registry's models as they are now: read whole (the model caches), by id, in the registry's order (export),
// and listed for admins (model-listing.ts). Writing them, always as a new version with its history: model-versions.ts.
import { asc, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { models } from '../db/schema/index.ts';
import { notFound } from '../errors.ts';
import {
  encodeModelCursor,
  type ListingStatement,
  listingRequest,
  listingStatement,
  type ModelListQuery,
} from './model-listing.ts';
import type { Page } from './pagination.ts';
import { inParts } from './statement-parts.ts';

export type ModelRow = typeof models.$inferSelect;
export type { ModelFilter, ModelListQuery } from './model-listing.ts';

export class ModelStore {
  /** The listing's statements, one per combination of filters, each prepared the first time it is asked for. */
  private readonly listings = new Map<string, ListingStatement>();

  constructor(private readonly db: Database) {}

  /** Every model, whatever its status, in no particular order. */
  all(): Promise<ModelRow[]> {
    return this.db.select().from(models);
  }

  /** The models among `ids` that exist, in no particular order. */
  async withIds(ids: readonly string[]): Promise<ModelRow[]> {
    const rows: ModelRow[] = [];
    for (const part of inParts(ids))
      rows.push(...(await this.db.select().from(models).where(inArray(models.id, part))));
    return rows;
  }

  async get(id: string): Promise<ModelRow> {
    const [model] = await this.db.select().from(models).where(eq(models.id, id));
    if (!model) throw notFound('model', id);
    return model;
  }

  /** Every model in the registry's order: sort order, then id. */
  inRegistryOrder(): Promise<ModelRow[]> {
    return this.db.select().from(models).orderBy(asc(models.sortOrder), asc(models.id));
  }

  /** True when there is no model at all (a database never seeded). */
  async isEmpty(): Promise<boolean> {
    const [row] = await this.db
      .select({ any: sql<boolean>`exists (select 1 from ${models})` })
      .from(sql`(select 1) as one`);
    return !row?.any;
  }

  /** Every status; filtered, searched, paged in the registry's order. */
  async list(query: ModelListQuery): Promise<Page<ModelRow>> {
    const request = listingRequest(query);
    let statement = this.listings.get(request.shapeKey);
    if (!statement) {
      statement = listingStatement(this.db, request);
      this.listings.set(request.shapeKey, statement);
    }
    const rows = await statement.execute(request.values);
    const items = rows.slice(0, request.limit);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > request.limit && last ? encodeModelCursor(last) : null };
  }
}
