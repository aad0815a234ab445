// Keyset pagination: a cursor is the (timestamp, id) of the last row seen, opaque to clients.
import { AppError } from '../errors.ts';

export type Page<T> = { items: T[]; nextCursor: string | null };
export type Keyset = { at: Date; id: string };

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

export function encodeCursor(key: Keyset): string {
  return Buffer.from(`${key.at.toISOString()}|${key.id}`).toString('base64url');
}

/** What encodeCursor writes: a time as toISOString gives it (years 1 to 9999, which PostgreSQL can store) and a UUID. */
const ISSUED_TIME = /^(?!0000)\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function decodeCursor(cursor: string): Keyset {
  const [iso, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const at = new Date(iso ?? '');
  // Checked as strictly as the database will read them, so a forged cursor is a 400, not a failed query.
  if (!id || !ISSUED_TIME.test(iso ?? '') || Number.isNaN(at.getTime()) || !UUID.test(id)) {
    throw new AppError('invalid_input', 'cursor is not a cursor this server issued', { details: { cursor } });
  }
  return { at, id };
}

export function clampLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE_SIZE;
  return Math.max(1, Math.min(MAX_PAGE_SIZE, Math.trunc(limit)));
}

/** Given limit+1 rows fetched, returns the page and the cursor of its last row if more exist. */
export function toPage<T>(rows: T[], limit: number, keyOf: (row: T) => Keyset): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(keyOf(last)) : null };
}
