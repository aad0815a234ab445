// Exactly one server process holds the bot's gateway connection: on PostgreSQL, the one holding an advisory lock
// (db/session-lock.ts) keyed by the bot's token, so processes of one bot share a lock and different bots do not;
// the others try again every few seconds and take over within seconds when the holder dies. On the embedded
// database a single process holds DATA_DIR anyway, so it simply leads.
import { createHash } from 'node:crypto';
import type { DatabaseHandle } from '../db/client.ts';
import {
  DEFAULT_SESSION_LOCK_TIMING,
  SessionLock,
  type SessionLockHolder,
  type SessionLockTiming,
} from '../db/session-lock.ts';

export type Leadership = { start(): void; stop(): Promise<void> };

/** The advisory lock key of a bot: from its token, never the token itself. */
export function gatewayLockKey(token: string): bigint {
  return createHash('sha256').update(`chorus discord gateway ${token}`).digest().readBigInt64BE(0);
}

export function gatewayLeadership(
  database: Pick<DatabaseHandle, 'kind' | 'url'>,
  token: string,
  holder: SessionLockHolder,
  timing: SessionLockTiming = DEFAULT_SESSION_LOCK_TIMING,
): Leadership {
  if (database.kind === 'postgres' && database.url) {
    return new SessionLock(database.url, gatewayLockKey(token), holder, timing);
  }
  let leading: Promise<void> | null = null;
  return {
    start: () => {
      leading ??= holder.acquired();
    },
    stop: async () => {
      if (!leading) return;
      await leading.catch(() => {});
      leading = null;
      await holder.lost();
    },
  };
}
