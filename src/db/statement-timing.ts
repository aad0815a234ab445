// How long each statement takes, from being handed to the driver to its answer, told to an observer (the server's
// metrics). postgres.js has no hook for a statement's end, so its queries' settle functions are wrapped as they are
// made: a clock read and a call per statement, nothing per row.
import { performance } from 'node:perf_hooks';
import type postgres from 'postgres';

/** Told each statement's duration, in seconds. */
export type StatementObserver = (seconds: number) => void;

type Settling = { resolve: (value: unknown) => unknown; reject: (error: unknown) => unknown };
type Client = postgres.Sql & { savepoint?: (...args: unknown[]) => Promise<unknown> };

/** Times every statement `client` runs from now on, inside transactions and savepoints too. */
export function timePostgresStatements(client: postgres.Sql, observe: StatementObserver): void {
  instrument(client as Client, observe);
  const begin = client.begin.bind(client) as (...args: unknown[]) => Promise<unknown>;
  (client as { begin: unknown }).begin = (...args: unknown[]) => begin(...withInstrumentedScope(args, observe));
}

function instrument(client: Client, observe: StatementObserver): void {
  const unsafe = client.unsafe;
  (client as { unsafe: unknown }).unsafe = (...args: Parameters<typeof unsafe>) => {
    const query = unsafe(...args) as unknown as Settling;
    const startedAt = performance.now();
    const { resolve, reject } = query;
    query.resolve = (value) => {
      observe((performance.now() - startedAt) / 1000);
      return resolve(value);
    };
    query.reject = (error) => {
      observe((performance.now() - startedAt) / 1000);
      return reject(error);
    };
    return query as unknown as ReturnType<typeof unsafe>;
  };
  const savepoint = client.savepoint;
  if (savepoint) client.savepoint = (...args: unknown[]) => savepoint(...withInstrumentedScope(args, observe));
}

/** The arguments of begin/savepoint with their callback (the last) given an instrumented client. */
function withInstrumentedScope(args: unknown[], observe: StatementObserver): unknown[] {
  const callback = args.at(-1);
  if (typeof callback !== 'function') return args;
  return [
    ...args.slice(0, -1),
    (scoped: Client) => {
      instrument(scoped, observe);
      return callback(scoped);
    },
  ];
}
