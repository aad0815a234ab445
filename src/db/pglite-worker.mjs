// @ts-check
// The embedded database's own thread (see pglite-thread.ts, which starts it and talks to it). PGlite runs every
// statement synchronously on the thread that calls it; here that thread is this worker, so the server's thread
// keeps reading and writing sockets while a statement runs.
// Plain JavaScript on purpose: a worker does not inherit the TypeScript loader the server was started with, and this
// file needs nothing but PGlite.
import { parentPort, workerData } from 'node:worker_threads';
import { parse, PGlite, protocol } from '@electric-sql/pglite';

/** @type {{ dataDir?: string; textTypes: number[]; postgresqlconf: string[] }} */
const options = workerData;
const port = /** @type {import('node:worker_threads').MessagePort} */ (parentPort);

const asText = (/** @type {string} */ value) => value;

const pglite = new PGlite(options.dataDir, { postgresqlconf: options.postgresqlconf });
/** Transactions held open for the server thread, by id: their query function and how to end them. */
const transactions = new Map();
/** Channels listened to, by id: the function that stops listening. */
const listeners = new Map();

/**
 * Statements kept parsed and planned, by their text. PGlite's `query` parses, analyses and plans every statement
 * anew (it uses the unnamed statement), which for the chat's larger statements cost more than running them: saving a
 * first message took 2.4 ms that way and 0.9 ms prepared. A statement seen twice is prepared under a name, as
 * postgres.js does on PostgreSQL, and from then on only bound and run. Bounded, the oldest dropped first: statements
 * whose text varies (a list of ids spelled out) would otherwise pile up.
 */
const PREPARED_LIMIT = 200;
/** @type {Map<string, { name: string; paramTypes: number[]; rowDescription: unknown }>} */
const prepared = new Map();
/** Texts seen once and not prepared (yet); as bounded. @type {Set<string>} */
const seenOnce = new Set();
let lastStatement = 0;

/** PostgreSQL's refusal to run a prepared statement whose table has changed shape since (a migration ran). */
const isStalePlan = (/** @type {any} */ error) => error?.code === '0A000' && /cached plan must not change/.test(error.message);

/**
 * Runs `work` alone, as PGlite's own query does: no other statement, and no open transaction, meanwhile.
 * (PGlite's public runExclusive takes only the first of its two locks.)
 * @template T @param {() => Promise<T>} work @returns {Promise<T>}
 */
const exclusive = (work) => pglite._runExclusiveTransaction(() => pglite._runExclusiveQuery(work));

/** @param {Uint8Array} message */
const exchange = (message) => pglite.execProtocolStream(message, { syncToFs: false });

/**
 * Runs `work` (protocol messages), then Sync, which ends the extended query also when `work` failed (the server
 * then skips to the Sync).
 * @param {() => Promise<any[]>} work
 */
async function untilSync(work) {
  try {
    return await work();
  } finally {
    await exchange(protocol.serialize.sync());
  }
}

/** Drops a prepared statement; call it under `exclusive`. @param {string | undefined} sql */
async function forget(sql) {
  const statement = sql === undefined ? undefined : prepared.get(sql);
  if (!statement) return;
  prepared.delete(/** @type {string} */ (sql));
  await untilSync(() => exchange(protocol.serialize.close({ type: 'S', name: statement.name })));
}

/** Prepares `sql` under a new name; call it under `exclusive`. @param {string} sql */
async function prepare(sql) {
  if (prepared.size >= PREPARED_LIMIT) await forget(prepared.keys().next().value);
  const name = `chorus_${++lastStatement}`;
  const described = await untilSync(async () => {
    await exchange(protocol.serialize.parse({ name, text: sql }));
    return exchange(protocol.serialize.describe({ type: 'S', name }));
  });
  const statement = {
    name,
    paramTypes: parse.parseDescribeStatementResults(described),
    rowDescription: described.find((message) => message.name === 'rowDescription'),
  };
  prepared.set(sql, statement);
  return statement;
}

/** @param {string} sql @param {unknown[]} params @param {{ rowMode?: 'array' | 'object' }} queryOptions */
function runPrepared(sql, params, queryOptions) {
  return exclusive(async () => {
    const statement = prepared.get(sql) ?? (await prepare(sql));
    // Parameters as PGlite's query sends them: by the statement's types, as text.
    const values = params.map((param, index) => {
      if (param === null || param === undefined) return null;
      const serialize = pglite.serializers[statement.paramTypes[index] ?? 0];
      return serialize ? serialize(param) : String(param);
    });
    const messages = await untilSync(async () => [
      ...(await exchange(protocol.serialize.bind({ statement: statement.name, values }))),
      ...(await exchange(protocol.serialize.execute({}))),
    ]);
    await pglite.syncToFs();
    // The row description came with the statement's; each run sends only the rows.
    const described = statement.rowDescription ? [statement.rowDescription, ...messages] : messages;
    return parse.parseResults(described, pglite.parsers, queryOptions)[0];
  });
}

/**
 * A statement outside any transaction: through its prepared form once its text has been seen before.
 * @param {string} sql @param {unknown[]} params @param {{ rowMode?: 'array' | 'object' }} queryOptions
 */
async function query(sql, params, queryOptions) {
  if (!prepared.has(sql) && !seenOnce.has(sql)) {
    if (seenOnce.size >= PREPARED_LIMIT) seenOnce.delete(/** @type {string} */ (seenOnce.values().next().value));
    seenOnce.add(sql);
    return pglite.query(sql, params, queryOptions);
  }
  seenOnce.delete(sql);
  try {
    return await runPrepared(sql, params, queryOptions);
  } catch (error) {
    if (!isStalePlan(error)) throw error;
    // Prepared again, it reads the table as it is now.
    await exclusive(() => forget(sql));
    return runPrepared(sql, params, queryOptions);
  }
}

/** What crosses the thread boundary of an error: its message and every field a caller may look at (code, detail…). */
function serializeError(/** @type {unknown} */ error) {
  if (!(error instanceof Error)) return { message: String(error) };
  return { ...error, name: error.name, message: error.message };
}

/** @param {{ op: string; [key: string]: any }} request */
async function handle(request) {
  switch (request.op) {
    case 'query': {
      const target = request.transaction === undefined ? { query } : transactions.get(request.transaction)?.tx;
      if (!target) throw new Error(`transaction ${request.transaction} is not open`);
      const result = await target.query(request.sql, request.params ?? [], { rowMode: request.rowMode });
      return { rows: result.rows, fields: result.fields, affectedRows: result.affectedRows };
    }
    case 'exec': {
      const target = request.transaction === undefined ? pglite : transactions.get(request.transaction)?.tx;
      if (!target) throw new Error(`transaction ${request.transaction} is not open`);
      const results = await target.exec(request.sql);
      return results.map((/** @type {any} */ result) => ({ rows: result.rows, fields: result.fields, affectedRows: result.affectedRows }));
    }
    case 'begin': {
      // PGlite's transaction runs until its callback settles: the callback waits for the server thread's verdict.
      const opened = new Promise((resolve, reject) => {
        const done = pglite
          .transaction(
            (tx) =>
              new Promise((commit, rollback) => {
                transactions.set(request.transaction, { tx, commit, rollback, done });
                resolve(undefined);
              }),
          )
          .finally(() => transactions.delete(request.transaction));
        // A transaction that could not begin rejects `done` before the callback ran.
        done.catch(reject);
      });
      await opened;
      return null;
    }
    case 'commit':
    case 'rollback': {
      const open = transactions.get(request.transaction);
      if (!open) throw new Error(`transaction ${request.transaction} is not open`);
      if (request.op === 'commit') {
        open.commit(undefined);
        // A commit can fail (a deferred constraint): the server thread must hear of it.
        await open.done;
      } else {
        open.rollback(new Error('rolled back'));
        await open.done.catch(() => {});
      }
      return null;
    }
    case 'listen': {
      const unlisten = await pglite.listen(request.channel, (payload) =>
        port.postMessage({ notification: request.listener, payload }),
      );
      listeners.set(request.listener, unlisten);
      return null;
    }
    case 'unlisten': {
      await listeners.get(request.listener)?.();
      listeners.delete(request.listener);
      return null;
    }
    case 'dumpDataDir': {
      const blob = await pglite.dumpDataDir(request.compression);
      return await blob.arrayBuffer();
    }
    case 'close': {
      await pglite.close();
      return null;
    }
    default:
      throw new Error(`unknown request ${request.op}`);
  }
}

port.on('message', (/** @type {{ id: number; op: string }} */ request) => {
  handle(request).then(
    (result) => port.postMessage({ id: request.id, result }),
    (error) => port.postMessage({ id: request.id, error: serializeError(error) }),
  );
});

try {
  await pglite.waitReady;
  // Dates, times and numeric arrays as the database's text: what drizzle asks for with every query (pglite-thread.ts).
  for (const type of options.textTypes) pglite.parsers[type] = asText;
  port.postMessage({ ready: true });
} catch (error) {
  port.postMessage({ ready: false, error: serializeError(error) });
}
