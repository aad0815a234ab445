// Partial changes to a jsonb column, merged inside the UPDATE itself: two people changing different keys at once
// both keep theirs, where read-modify-write would lose one.
import { type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';

/** `column || {keys set}` minus the keys given as null; the JSON goes as text and is cast, portable across drivers. */
export function mergedJson(column: AnyPgColumn, changes: Record<string, unknown>): SQL {
  const entries = Object.entries(changes).filter(([, value]) => value !== undefined);
  const kept = Object.fromEntries(entries.filter(([, value]) => value !== null));
  const removals = entries.filter(([, value]) => value === null).map(([key]) => sql` - ${key}::text`);
  return sql`(${column} || ${JSON.stringify(kept)}::jsonb)${sql.join(removals)}`;
}
