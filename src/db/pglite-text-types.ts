// Drizzle asks, with every query, for dates, times and numeric arrays as the database's text (it maps them itself),
// and PGlite would merge such a request into a fresh copy of its ~320 parsers (~70 µs and as much garbage per query).
// So the engine reads those types as text to begin with (see pglite-worker.mjs), and the per-query request is dropped.
// The type ids are PostgreSQL's own (pg_type.oid), spelled out so that this thread never loads PGlite itself.
import type { PGlite } from '@electric-sql/pglite';

type QueryOptions = Parameters<PGlite['query']>[2];

/** The types drizzle reads as text: what drizzle-orm/pglite's session asks for on every query. */
export const TEXT_TYPES: ReadonlySet<number> = new Set<number>([
  1114, // timestamp
  1184, // timestamptz
  1186, // interval
  1082, // date
  1231, // numeric[]
  1115, // timestamp[]
  1185, // timestamptz[]
  1187, // interval[]
  1182, // date[]
]);

/** The options without a parser request that only asks for what the engine already does. */
export function withoutTextParsers(options: QueryOptions): QueryOptions {
  const requested = options?.parsers;
  if (!requested) return options;
  for (const type of Object.keys(requested)) if (!TEXT_TYPES.has(Number(type))) return options;
  const { parsers: _alreadyTheEngines, ...rest } = options;
  return rest;
}
