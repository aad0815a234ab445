// Runs a CLI action against the configured database (DATABASE_URL, else the embedded one) and closes it.
import { readEnvironment } from '../config/env.ts';
import type { Database, DatabaseHandle } from '../db/client.ts';
import { openConfiguredDatabase } from '../db/configured-database.ts';

export async function withDatabase<T>(action: (db: Database, handle: DatabaseHandle) => Promise<T>): Promise<T> {
  const handle = await openConfiguredDatabase(readEnvironment());
  try {
    return await action(handle.db, handle);
  } finally {
    await handle.close();
  }
}
