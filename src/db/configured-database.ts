// The database the configuration names: PostgreSQL at DATABASE_URL, else the embedded one in DATA_DIR. Opened by
// the server's runtime and by every command that works on the database alone.
import type { Environment } from '../config/env.ts';
import { type DatabaseHandle, openDatabase } from './client.ts';

export function openConfiguredDatabase(env: Environment): Promise<DatabaseHandle> {
  return env.DATABASE_URL
    ? openDatabase({ url: env.DATABASE_URL })
    : openDatabase({ dataDir: env.DATA_DIR, durability: env.CHORUS_EMBEDDED_DURABILITY });
}
