// @ts-check
// The embedded database's own thread (see pglite-thread.ts, which starts it and talks to it). PGlite runs every
// statement synchronously on the thread that calls it; here that thread is this worker, so the server's thread
// keeps reading and writing sockets while a statement runs. Every request is answered, also when its answer cannot
// cross the thread boundary; and when PostgreSQL itself fails in here, this thread ends and says why.
// Plain JavaScript on purpose: a worker does not inherit the TypeScript loader the server was started with, and this
// file needs nothing but PGlite.

import { fsyncSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, parse, protocol } from '@electric-sql/pglite';
import { NodeFS } from '@electric-sql/pglite/nodefs';

/** @type {{ dataDir?: string; textTypes: number[]; postgresqlconf: string[]; durable: boolean; loadDataDir?: Uint8Array }} */
const options = workerData;
const port = /** @type {import('node:worker_threads').MessagePort} */ (parentPort);

const asText = (/** @type {string} */ value) => value;

/** PostgreSQL's json and jsonb types (pg_type.oid). */
const JSON_TYPES = [114, 3802];

/**
 * How deeply nested a JSON value may cross to the server's thread as objects. Structured clone recurses once per
 * level, and the server's thread has the smaller stack: about 2,000 levels of objects overflow it, and the reply
 * is then lost on the way (a `messageerror` that says not which request it answered). Deeper values cross as their
 * text, in an envelope (see DEEP_JSON_TEXT), and the server's thread parses them (JSON.parse does not recurse).
 */
const CLONE_DEPTH_LIMIT = 500;
/** The envelope's key: no key read from the database can hold a NUL character (jsonb refuses it). */
const DEEP_JSON_TEXT = '\u0000chorus:json-text';
/** Counts the deep values parsed, so a request can tell whether its rows hold an envelope (see handle). */
let deepValuesParsed = 0;

/** Whether `value` nests more than `levels` levels of arrays and objects. @param {any} value @param {number} levels */
function nestedDeeperThan(value, levels) {
  if (levels === 0) return true;
  if (Array.isArray(value)) {
    for (const item of value)
      if (item !== null && typeof item === 'object' && nestedDeeperThan(item, levels - 1)) return true;
  } else {
    for (const key in value) {
      const item = value[key];
      if (item !== null && typeof item === 'object' && nestedDeeperThan(item, levels - 1)) return true;
    }
  }
  return false;
}

/** json and jsonb as PGlite reads them, but too deep a value as its text in an envelope. @param {string} text */
function parseJson(text) {
  const value = JSON.parse(text);
  // Each level takes two characters at least: a shorter text cannot be too deep, and most need no walk.
  if (text.length <= 2 * CLONE_DEPTH_LIMIT || value === null || typeof value !== 'object') return value;
  if (!nestedDeeperThan(value, CLONE_DEPTH_LIMIT)) return value;
  deepValuesParsed++;
  return { [DEEP_JSON_TEXT]: text };
}

/** Real fsync calls made by PostgreSQL so far (a durable database's commits reach the disk through them). */
let fileSyncs = 0;

/**
 * The data folder, with PostgreSQL's fsync reaching the disk. PGlite starts PostgreSQL with fsync off (`-F`), and its
 * file system in Node (Emscripten's NODEFS) has no fsync of its own, so every fsync was a no-op: a committed
 * transaction sat in the operating system's cache, lost to a power cut. Here fsync is the real one.
 */
class DurableNodeFS extends NodeFS {
  /** @param {any} pg @param {any} emscriptenOptions */
  async init(pg, emscriptenOptions) {
    const result = await super.init(pg, emscriptenOptions);
    const syncFiles = (/** @type {any} */ module) => {
      module.NODEFS.stream_ops.fsync = (/** @type {{ nfd?: number }} */ stream) => {
        if (stream.nfd === undefined) return 0;
        fsyncSync(stream.nfd);
        fileSyncs++;
        return 0;
      };
    };
    result.emscriptenOpts.preRun = [...(result.emscriptenOpts.preRun ?? []), syncFiles];
    return result;
  }
}

/**
 * PGlite's start, durable: without `-F` (fsync off), and the WAL flushed with fsync, since Emscripten's fdatasync
 * (PostgreSQL's default on Linux) does nothing.
 */
const durableStart = () => [
  ...PGlite.defaultStartParams.filter((param) => param !== '-F'),
  ...['-c', 'fsync=on', '-c', 'wal_sync_method=fsync'],
];

const pglite =
  options.durable && options.dataDir !== undefined
    ? new PGlite({
        fs: new DurableNodeFS(options.dataDir),
        postgresqlconf: options.postgresqlconf,
        startParams: durableStart(),
      })
    : // One options object: given a data folder of undefined first, PGlite ignores the options after it.
      new PGlite({
        dataDir: options.dataDir,
        postgresqlconf: options.postgresqlconf,
        loadDataDir: options.loadDataDir && new Blob([options.loadDataDir]),
      });
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
const isStalePlan = (/** @type {any} */ error) =>
  error?.code === '0A000' && /cached plan must not change/.test(error.message);

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
      const deepBefore = deepValuesParsed;
      const result = await target.query(request.sql, request.params ?? [], { rowMode: request.rowMode });
      /** @type {{ rows: unknown[]; fields: unknown; affectedRows?: number; deepJson?: true }} */
      const answer = { rows: result.rows, fields: result.fields, affectedRows: result.affectedRows };
      // Another request's deep value may be counted too (they interleave here): the server's thread then looks for
      // envelopes in vain, which costs a walk over these rows and nothing else.
      if (deepValuesParsed !== deepBefore) answer.deepJson = true;
      return answer;
    }
    case 'copyTo': {
      const open = transactions.get(request.transaction);
      if (!open) throw new Error(`transaction ${request.transaction} is not open`);
      const result = await open.tx.query(request.sql, request.params ?? []);
      return new Uint8Array(await (result.blob ?? new Blob()).arrayBuffer()).buffer;
    }
    case 'copyFrom': {
      const open = transactions.get(request.transaction);
      if (!open) throw new Error(`transaction ${request.transaction} is not open`);
      const result = await open.tx.query(request.sql, [], { blob: new Blob([request.bytes]) });
      return result.affectedRows ?? 0;
    }
    case 'exec': {
      const target = request.transaction === undefined ? pglite : transactions.get(request.transaction)?.tx;
      if (!target) throw new Error(`transaction ${request.transaction} is not open`);
      const results = await target.exec(request.sql);
      return results.map((/** @type {any} */ result) => ({
        rows: result.rows,
        fields: result.fields,
        affectedRows: result.affectedRows,
      }));
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
    case 'fileSyncs':
      return fileSyncs;
    case 'close': {
      await pglite.close();
      return null;
    }
    default:
      throw new Error(`unknown request ${request.op}`);
  }
}

const describe = (/** @type {unknown} */ error) => (error instanceof Error ? error.message : String(error));

/**
 * Answers request `id`. What cannot cross the thread boundary (a value structured clone refuses, or one too deep
 * for its stack) is answered with that error instead: every request gets an answer.
 * @param {number} id @param {{ result?: unknown; error?: unknown }} outcome
 */
function answer(id, outcome) {
  try {
    port.postMessage(
      'error' in outcome ? { id, error: serializeError(outcome.error) } : { id, result: outcome.result },
    );
  } catch (error) {
    port.postMessage({
      id,
      error: { message: `the embedded database's answer could not be sent: ${describe(error)}` },
    });
  }
}

/**
 * The id the next request will carry. The server's thread numbers its requests one by one and a port delivers them
 * in order, so a request that cannot be read here (a `messageerror` in its place) is known by its number.
 */
let nextRequestId = 1;

port.on('message', (/** @type {{ id: number; op: string }} */ request) => {
  nextRequestId = request.id + 1;
  handle(request).then(
    (result) => answer(request.id, { result }),
    (error) => answer(request.id, { error }),
  );
});

port.on('messageerror', (error) => {
  answer(nextRequestId++, {
    error: new Error(`the request could not be read by the embedded database: ${describe(error)}`),
  });
});

/**
 * Ends this thread when PostgreSQL itself fails inside its WebAssembly: the thread's stack overflowed (a statement
 * recursing deeper than its own stack check allows, such as JSON nested tens of thousands deep) or the module
 * trapped. PGlite swallows any exception of its main loop and carries on: the statement then answers no rows, or
 * the loop spins for ever, and the engine's memory is in no known state. Told why, the server's thread starts a new
 * one on the same data folder (pglite-thread.ts). PostgreSQL's own errors (`elog`'s long jumps) pass through.
 */
function endOnEngineFailure() {
  const engine = /** @type {any} */ (pglite).mod;
  const runOnce = engine?._PostgresMainLoopOnce;
  if (typeof runOnce !== 'function') return;
  engine._PostgresMainLoopOnce = () => {
    try {
      return runOnce();
    } catch (error) {
      if (error instanceof RangeError || error instanceof WebAssembly.RuntimeError) {
        port.postMessage({ failure: `PostgreSQL failed inside the embedded database: ${describe(error)}` });
        // Ends the thread at once; no catch can stop it.
        process.exit(1);
      }
      throw error;
    }
  };
}

try {
  await pglite.waitReady;
  endOnEngineFailure();
  // Dates, times and numeric arrays as the database's text: what drizzle asks for with every query (pglite-thread.ts).
  for (const type of options.textTypes) pglite.parsers[type] = asText;
  for (const type of JSON_TYPES) pglite.parsers[type] = parseJson;
  port.postMessage({ ready: true });
} catch (error) {
  port.postMessage({ ready: false, error: serializeError(error) });
}
