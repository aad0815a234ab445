// Start-up wiring shared by the server and the CLI: read the configuration, open the database the
// configuration names, bring its schema up to date, seed the registry on first start, add the models the
// operator declared for their own OpenAI-compatible servers, build the store, the provider registry and the
// accounts (better-auth, with its session-signing secret).
import { type Auth, createAuth } from './auth/better-auth.ts';
import { abandonedAfterMs, startAbandonedReplySweeper } from './chat/abandoned-replies.ts';
import { ChatService } from './chat/chat-service.ts';
import { ChatEngine } from './chat/engine.ts';
import { resolveAuthSecret } from './auth/secret.ts';
import type { Environment } from './config/env.ts';
import { keyringFromEnvironment } from './crypto/encryption.ts';
import { type DatabaseHandle, openDatabase } from './db/client.ts';
import { migrateUp } from './db/migrations/migrator.ts';
import { registryIsEmpty, seedModels } from './models/seed.ts';
import { registerDeclaredModels } from './providers/declared-models.ts';
import { createProviderRegistry, type ProviderRegistry } from './providers/registry.ts';
import { createStore, type Store } from './store/index.ts';
import { createStreamLog, type StreamLog } from './streams/index.ts';
import { createStopSignals } from './streams/stop-signals.ts';

export type Runtime = {
  env: Environment;
  database: DatabaseHandle;
  store: Store;
  providers: ProviderRegistry;
  auth: Auth;
  /** Resumable reply streams (in-process, or Redis with REDIS_URL). */
  streamLog: StreamLog;
  chat: ChatService;
  close(): Promise<void>;
};

export type RuntimeOptions = {
  migrate?: boolean;
  seedIfEmpty?: boolean;
  /** Insert the models of CHORUS_PROVIDER_<NAME>_MODELS that the registry lacks (default true). */
  registerDeclaredModels?: boolean;
  log?: (line: string) => void;
  /** An already open database to run on instead of the configured one (tests); closed with the runtime. */
  database?: DatabaseHandle;
};

export function openConfiguredDatabase(env: Environment): Promise<DatabaseHandle> {
  return env.DATABASE_URL ? openDatabase({ url: env.DATABASE_URL }) : openDatabase({ dataDir: env.DATA_DIR });
}

export async function openRuntime(env: Environment, options: RuntimeOptions = {}): Promise<Runtime> {
  const log = options.log ?? (() => {});
  // A bad key stops start-up before anything is opened, naming the variable.
  keyringFromEnvironment(env);
  const providers = createProviderRegistry(env);
  const database = options.database ?? (await openConfiguredDatabase(env));
  try {
    if (options.migrate !== false) {
      const applied = await migrateUp(database.db);
      if (applied.length > 0) log(`applied migrations: ${applied.join(', ')}`);
    }
    if (options.seedIfEmpty !== false && (await registryIsEmpty(database.db))) {
      const seeded = await seedModels(database.db);
      log(`seeded ${seeded.inserted} models from the shipped catalog`);
    }
    if (options.registerDeclaredModels !== false) {
      const declared = await registerDeclaredModels(database.db, providers);
      if (declared.inserted > 0) log(`registered ${declared.inserted} models declared in CHORUS_PROVIDER_*_MODELS`);
    }
  } catch (error) {
    await database.close();
    throw error;
  }
  const store = createStore(database.db, { keyring: keyringFromEnvironment(env) });
  let auth: Auth;
  try {
    auth = createAuth({ env, store, secret: await resolveAuthSecret(env, store) });
  } catch (error) {
    await database.close();
    throw error;
  }
  const streamLog = createStreamLog(env);
  const stopSignals = createStopSignals(env);
  const engine = new ChatEngine(store, providers, streamLog, stopSignals);
  const chat = new ChatService(database.db, store, providers, engine, streamLog);
  let sweeper: { stop(): void };
  try {
    await engine.listenForStops();
    sweeper = await startAbandonedReplySweeper(store.messages, {
      quietMs: abandonedAfterMs(env),
      soleWriter: database.kind === 'pglite',
      log,
    });
  } catch (error) {
    await Promise.allSettled([stopSignals.close(), streamLog.close(), database.close()]);
    throw error;
  }
  const close = async () => {
    sweeper.stop();
    // Replies still running end as `stopped`, with what they had said saved.
    engine.activeTurns.stopAll();
    await Promise.race([engine.allSettled(), new Promise((resolve) => setTimeout(resolve, 5_000))]);
    await Promise.allSettled([stopSignals.close(), streamLog.close()]);
    await database.close();
  };
  return { env, database, store, providers, auth, streamLog, chat, close };
}
