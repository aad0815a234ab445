// Start-up wiring shared by the server and the CLI: read the configuration, open the database the
// configuration names, bring its schema up to date, seed the registry on first start, build the store.
import type { Environment } from './config/env.ts';
import { keyringFromEnvironment } from './crypto/encryption.ts';
import { type DatabaseHandle, openDatabase } from './db/client.ts';
import { migrateUp } from './db/migrations/migrator.ts';
import { registryIsEmpty, seedModels } from './models/seed.ts';
import { createStore, type Store } from './store/index.ts';

export type Runtime = {
  env: Environment;
  database: DatabaseHandle;
  store: Store;
  close(): Promise<void>;
};

export type RuntimeOptions = { migrate?: boolean; seedIfEmpty?: boolean; log?: (line: string) => void };

export function openConfiguredDatabase(env: Environment): Promise<DatabaseHandle> {
  return env.DATABASE_URL ? openDatabase({ url: env.DATABASE_URL }) : openDatabase({ dataDir: env.DATA_DIR });
}

export async function openRuntime(env: Environment, options: RuntimeOptions = {}): Promise<Runtime> {
  const log = options.log ?? (() => {});
  // A bad key stops start-up before anything is opened, naming the variable.
  keyringFromEnvironment(env);
  const database = await openConfiguredDatabase(env);
  try {
    if (options.migrate !== false) {
      const applied = await migrateUp(database.db);
      if (applied.length > 0) log(`applied migrations: ${applied.join(', ')}`);
    }
    if (options.seedIfEmpty !== false && (await registryIsEmpty(database.db))) {
      const seeded = await seedModels(database.db);
      log(`seeded ${seeded.inserted} models from the shipped catalog`);
    }
  } catch (error) {
    await database.close();
    throw error;
  }
  const store = createStore(database.db, { keyring: keyringFromEnvironment(env) });
  return { env, database, store, close: () => database.close() };
}
