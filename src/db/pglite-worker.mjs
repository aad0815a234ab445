// @ts-check
// The embedded database's own thread (see pglite-thread.ts, which starts it and talks to it). PGlite runs every
// statement synchronously on the thread that calls it; here that thread is this worker, so the server's thread
// keeps reading and writing sockets while a statement runs.
// Plain JavaScript on purpose: a worker does not inherit the TypeScript loader the server was started with, and this
// file needs nothing but PGlite.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';

/** @type {{ dataDir?: string; textTypes: number[]; postgresqlconf: string[] }} */
const options = workerData;
const port = /** @type {import('node:worker_threads').MessagePort} */ (parentPort);

const asText = (/** @type {string} */ value) => value;

const pglite = new PGlite(options.dataDir, { postgresqlconf: options.postgresqlconf });
/** Transactions held open for the server thread, by id: their query function and how to end them. */
const transactions = new Map();
/** Channels listened to, by id: the function that stops listening. */
const listeners = new Map();

/** What crosses the thread boundary of an error: its message and every field a caller may look at (code, detail…). */
function serializeError(/** @type {unknown} */ error) {
  if (!(error instanceof Error)) return { message: String(error) };
  return { ...error, name: error.name, message: error.message };
}

/** @param {{ op: string; [key: string]: any }} request */
async function handle(request) {
  switch (request.op) {
    case 'query': {
      const target = request.transaction === undefined ? pglite : transactions.get(request.transaction)?.tx;
      if (!target) throw new Error(`transaction ${request.transaction} is not open`);
      const result = await target.query(request.sql, request.params, { rowMode: request.rowMode });
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
