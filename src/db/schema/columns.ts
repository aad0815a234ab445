// Column helpers shared by every table, so timestamps mean the same thing everywhere.
import { customType, timestamp } from 'drizzle-orm/pg-core';

/**
 * A timezone-aware timestamp that reads back as a JS Date on both drivers. Millisecond precision, the
 * precision of a JS Date, so a value read, sent to a client as a cursor and compared again is exact.
 */
export const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date', precision: 3 });

export const createdAt = () => instant('created_at').notNull().defaultNow();
export const updatedAt = () =>
  instant('updated_at')
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date());

/** Raw bytes (ciphertext); postgres.js and PGlite both hand back a Uint8Array. */
export const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
});
