// The bare driver under a benchmark's store: the exact statements the store sent, replayed without drizzle.
// PostgreSQL gets its own postgres.js client (drizzle changes the parsers of the client it wraps).
import postgres from 'postgres';
import type { QueryLogger } from '../../src/db/client.ts';
import type { BenchDatabase } from './databases.ts';

export type Statement = { query: string; params: unknown[] };

export type RawDriver = {
  /** Runs the statements in order, in one transaction when asked. */
  run(statements: Statement[], options?: { transaction?: boolean }): Promise<void>;
  close(): Promise<void>;
};

export function openRawDriver(database: BenchDatabase): RawDriver {
  if (database.pglite) {
    const pglite = database.pglite;
    return {
      async run(statements, options = {}) {
        if (!options.transaction) {
          for (const statement of statements) await pglite.query(statement.query, statement.params);
          return;
        }
        await pglite.transaction(async (tx) => {
          for (const statement of statements) await tx.query(statement.query, statement.params);
        });
      },
      close: async () => {},
    };
  }
  const client = postgres(database.url!, { max: 1, onnotice: () => {} });
  // The store's statements carry JSON already serialized (json 114, jsonb 3802): send those bytes as they are,
  // as drizzle's client does, so both sides put identical bytes on the wire.
  const asIs = (value: unknown) => value as string;
  client.options.serializers[114] = asIs;
  client.options.serializers[3802] = asIs;
  const send = (runner: postgres.Sql | postgres.TransactionSql, statement: Statement) =>
    runner.unsafe(statement.query, statement.params as postgres.ParameterOrJSON<never>[], { prepare: true });
  return {
    async run(statements, options = {}) {
      if (!options.transaction) {
        for (const statement of statements) await send(client, statement);
        return;
      }
      await client.begin(async (tx) => {
        for (const statement of statements) await send(tx, statement);
      });
    },
    close: () => client.end({ timeout: 1 }),
  };
}

/** A drizzle logger that records statements while `recording` is on. */
export class StatementRecorder implements QueryLogger {
  private recorded: Statement[] | null = null;

  logQuery(query: string, params: unknown[]): void {
    this.recorded?.push({ query, params });
  }

  /** The statements `action` sent, in order. */
  async capture(action: () => Promise<unknown>): Promise<Statement[]> {
    this.recorded = [];
    try {
      await action();
      return this.recorded;
    } finally {
      this.recorded = null;
    }
  }
}
