// How drizzle talks to PGlite. Two things PGlite does by itself would cost every request dearly:
// - It answers in microtasks, so a run of awaited queries — one request's dozen statements, or many requests'
//   interleaved — never gives the event loop a turn: while it lasts no socket is read or written and no timer fires
//   (every reply stream freezes; see BASELINES.md). So the client drizzle uses waits one turn of the event loop
//   before each query and each transaction (not inside one: its statements still run back to back). Unloaded, a
//   turn costs microseconds; under load, it is what lets the streams move between statements.
// - Drizzle asks, with every query, for dates, times and numeric arrays as the database's text (it maps them
//   itself), and PGlite merges such a request into a fresh copy of its ~320 parsers (~70 µs and as much garbage per
//   query). So the engine reads those types as text to begin with, and the per-query request is dropped.
import { type PGlite, types } from '@electric-sql/pglite';

type QueryOptions = Parameters<PGlite['query']>[2];
type Queryable = Pick<PGlite, 'query'>;

/** The types drizzle reads as text: what drizzle-orm/pglite's session asks for on every query. */
const TEXT_TYPES = new Set<number>([
  types.TIMESTAMP,
  types.TIMESTAMPTZ,
  types.INTERVAL,
  types.DATE,
  1231, // numeric[]
  1115, // timestamp[]
  1185, // timestamptz[]
  1187, // interval[]
  1182, // date[]
]);

const asText = (value: string) => value;

/** The PGlite client to hand to drizzle (the engine itself now reads TEXT_TYPES as text). */
export function clientForDrizzle(client: PGlite): PGlite {
  for (const type of TEXT_TYPES) client.parsers[type] = asText;
  const query = yieldingQuery(client);
  const transaction = yieldingTransaction(client);
  return new Proxy(client, {
    get(target, property) {
      if (property === 'query') return query;
      if (property === 'transaction') return transaction;
      // Everything else is the client's own, called on the client itself (it has private fields).
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

function yieldingQuery(client: PGlite): PGlite['query'] {
  return (async (query: string, params?: unknown[], options?: QueryOptions) => {
    await nextTurn();
    return client.query(query, params, withoutTextParsers(options));
  }) as PGlite['query'];
}

function yieldingTransaction(client: PGlite): PGlite['transaction'] {
  return async (callback) => {
    await nextTurn();
    return client.transaction((transaction) => callback(withTextParsersDropped(transaction)));
  };
}

/** A transaction whose queries drop the per-query request too. */
function withTextParsersDropped<Transaction extends Queryable>(transaction: Transaction): Transaction {
  const query = ((text: string, params?: unknown[], options?: QueryOptions) =>
    transaction.query(text, params, withoutTextParsers(options))) as PGlite['query'];
  return new Proxy(transaction, {
    get: (target, property) => (property === 'query' ? query : Reflect.get(target, property, target)),
  });
}

/** The options without a parser request that only asks for what the engine already does. */
function withoutTextParsers(options: QueryOptions): QueryOptions {
  const requested = options?.parsers;
  if (!requested) return options;
  for (const type of Object.keys(requested)) if (!TEXT_TYPES.has(Number(type))) return options;
  const { parsers: _alreadyTheEngines, ...rest } = options;
  return rest;
}
