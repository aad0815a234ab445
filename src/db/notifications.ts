// Change announcements between server processes, on Postgres's own LISTEN/NOTIFY. A change announces itself
// inside the transaction that makes it: Postgres delivers a NOTIFY only if, and when, that transaction commits,
// so a listener never hears of a change it cannot yet read, nor of one rolled back. On PGlite (one process)
// the same statements work within the one embedded engine.
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import type { DatabaseHandle, Executor } from './client.ts';

export const CHANNELS = {
  /** Payload: the id of the model that changed (or `*` for many). */
  models: 'chorus_models',
  /** Payload: empty; groups, their members or which models they may use changed. */
  modelAccess: 'chorus_model_access',
  /** Payload: the system config key that changed. */
  config: 'chorus_config',
  /** Payload: `key:<hash>` of an API key revoked, or `user:<id>` of a user whose account changed. */
  credentials: 'chorus_credentials',
} as const;

export type Channel = (typeof CHANNELS)[keyof typeof CHANNELS];

/** Announces a change to every listening process once the executor's transaction commits. */
export async function announce(executor: Executor, channel: Channel, payload: string): Promise<void> {
  await executor.execute(sql`select pg_notify(${channel}, ${payload})`);
}

export type Unlisten = () => Promise<void>;

export interface ChangeListener {
  /**
   * Calls `onNotify` with each payload announced on the channel. `onListening` runs once listening starts and
   * again after every reconnection — announcements made while disconnected are lost, so reload there.
   */
  listen(channel: Channel, onNotify: (payload: string) => void, onListening?: () => void): Promise<Unlisten>;
  close(): Promise<void>;
}

export function createChangeListener(handle: DatabaseHandle): ChangeListener {
  if (handle.pglite) {
    const pglite = handle.pglite;
    return {
      async listen(channel, onNotify, onListening) {
        // Its thread restarted (see pglite-thread.ts), it listens again: as after a reconnection.
        const unlisten = await pglite.listen(channel, onNotify, onListening);
        onListening?.();
        return () => unlisten();
      },
      async close() {},
    };
  }
  if (!handle.url) throw new Error('listening for changes needs the Postgres URL of the database');
  // LISTEN holds its connection for as long as it listens: one of its own, apart from the query pool.
  const client = postgres(handle.url, { max: 1, onnotice: () => {} });
  return {
    async listen(channel, onNotify, onListening) {
      const request = await client.listen(channel, onNotify, onListening);
      return () => request.unlisten();
    },
    close: () => client.end({ timeout: 5 }),
  };
}
