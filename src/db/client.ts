// Opens the database: embedded PGlite under DATA_DIR by default, PostgreSQL (postgres.js) when a URL is given.
// Everything above this file sees one `Database` type and never asks which driver it runs on.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { lockDirectory } from './directory-lock.ts';
import { PgliteThread, type PgliteThreadOptions } from './pglite-thread.ts';
import * as schema from './schema/index.ts';
import { type StatementObserver, timePostgresStatements } from './statement-timing.ts';

export type Schema = typeof schema;
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
export type Transaction = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Either the database or an open transaction: store functions accept both so callers can compose them. */
export type Executor = Database | Transaction;

export type DatabaseKind = 'pglite' | 'postgres';

export interface DatabaseHandle {
  db: Database;
  kind: DatabaseKind;
  /** For postgres: the connection URL (LISTEN/NOTIFY and tools open their own connections). */
  url?: string;
  /**
   * For pglite: the embedded engine on its thread (LISTEN, dumps, benchmarks of the bare driver). It reads dates and
   * times as text, as drizzle wants them (see pglite-text-types.ts).
   */
  pglite?: PgliteThread;
  /** Tells `observe` how long each statement from now on took (metrics). */
  observeStatements(observe: StatementObserver): void;
  close(): Promise<void>;
}

/**
 * `durable` (the default): a committed transaction is on the disk before its commit returns. `relaxed`: it reaches
 * the disk when the operating system writes it, seconds later: a crash of the process loses nothing, a power cut
 * or a crash of the machine may lose the last commits (the database itself stays sound).
 */
export type EmbeddedDurability = 'durable' | 'relaxed';

export type DatabaseLocation =
  | { url: string; maxConnections?: number }
  | { dataDir: string; durability?: EmbeddedDurability }
  /** `from`: a copy of a data folder (dumpDataDir's, uncompressed) to start from, e.g. a migrated template. */
  | { memory: true; from?: Uint8Array };

/** Sees every statement drizzle sends (benchmarks replay them through the bare driver). */
export type QueryLogger = { logQuery(query: string, params: unknown[]): void };

/**
 * The embedded database's settings. Its shared buffers are WebAssembly memory that is never given back, and all of
 * it is touched at start: PostgreSQL's default of 128 MB would be most of a small server's memory. 16 MB keeps it
 * small (32 MB cost 18 MB more resident); the data files stay in the operating system's cache, a read away.
 */
const PGLITE_SETTINGS = ['shared_buffers=16MB'];

export async function openDatabase(location: DatabaseLocation, logger?: QueryLogger): Promise<DatabaseHandle> {
  if ('url' in location) return openPostgres(location.url, location.maxConnections ?? 10, logger);
  if (!('dataDir' in location)) return openPglite({ loadDataDir: location.from }, logger);
  const dataDir = path.resolve(location.dataDir, 'pglite');
  mkdirSync(path.dirname(dataDir), { recursive: true });
  // Before anything opens it: a second process would otherwise run on the same files (see directory-lock.ts).
  const lock = lockDirectory(dataDir);
  try {
    mkdirSync(dataDir, { recursive: true });
    const handle = await openPglite({ dataDir, durable: (location.durability ?? 'durable') === 'durable' }, logger);
    return {
      ...handle,
      close: async () => {
        try {
          await handle.close();
        } finally {
          lock.release();
        }
      },
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}

async function openPglite(
  where: Pick<PgliteThreadOptions, 'dataDir' | 'durable' | 'loadDataDir'>,
  logger?: QueryLogger,
): Promise<DatabaseHandle> {
  const client = await PgliteThread.start({ durable: true, ...where, postgresqlconf: PGLITE_SETTINGS });
  // Loaded only here: the driver loads PGlite (~40 MB), which a server on PostgreSQL never needs.
  const { drizzle: drizzlePglite } = await import('drizzle-orm/pglite');
  // Drizzle's driver takes a PGlite; the thread offers the part of one that the driver uses.
  const db = drizzlePglite({ client: client as unknown as PGlite, schema, logger }) as unknown as Database;
  return {
    db,
    kind: 'pglite',
    pglite: client,
    observeStatements: (observe) => client.observeStatements(observe),
    close: () => client.close(),
  };
}

function openPostgres(url: string, max: number, logger?: QueryLogger): DatabaseHandle {
  // Notices (e.g. "relation already exists, skipping") are not errors; keep them off stderr.
  const client = postgres(url, { max, onnotice: () => {} });
  const db = drizzlePostgres({ client, schema, logger }) as unknown as Database;
  return {
    db,
    kind: 'postgres',
    url,
    observeStatements: (observe) => timePostgresStatements(client, observe),
    close: () => client.end({ timeout: 5 }),
  };
}
