// Raw SQL through drizzle's `execute`, with the driver difference in result shape folded away.
import type { SQL } from 'drizzle-orm';
import type { Executor } from './client.ts';

/** postgres.js returns the rows array itself; PGlite returns `{ rows }`. */
export async function queryRows<Row>(db: Executor, query: SQL): Promise<Row[]> {
  const result = (await db.execute(query)) as unknown as Row[] | { rows: Row[] };
  return Array.isArray(result) ? result : result.rows;
}

export async function queryOne<Row>(db: Executor, query: SQL): Promise<Row | undefined> {
  const rows = await queryRows<Row>(db, query);
  return rows[0];
}
