// The embedded database (PGlite) on a thread of its own. PGlite runs each statement synchronously on the thread that
// calls it and answers in microtasks, so on the server's thread every statement would stop all sockets and timers
// while it runs (a reply stream freezes for as long as anyone's message is being saved), and the
// database's work and the server's would share one core. Here PGlite lives in a worker (pglite-worker.mjs) and this
// client speaks to it in messages: the statements of all requests run one after another on the worker's core, in
// the order they were sent, while this thread serves sockets.
//
// It offers what drizzle's PGlite driver and the rest of Chorus use of a PGlite: query, transaction, listen,
// dumpDataDir, close. Results cross the thread boundary by structured clone, so the worker reads dates, times and
// numeric arrays as text (what drizzle asks for anyway) and no parser functions need to travel.
//
// Every request gets an answer: its result, its error, or, when the thread stops answering (a statement stuck, or
// PostgreSQL failing inside its WebAssembly), an EmbeddedDatabaseFailure for every request in flight while the
// thread is restarted on the same data folder (see setRequestTimeout). A server on it goes on serving.
import { performance } from 'node:perf_hooks';
import type { Worker } from 'node:worker_threads';
import type { PGlite, Results } from '@electric-sql/pglite';
import { log } from '../logging/logger.ts';
import { withoutTextParsers } from './pglite-text-types.ts';
import { type PgliteWorkerOptions, revive, type SerializedError, startWorker } from './pglite-worker-start.ts';

type QueryOptions = Parameters<PGlite['query']>[2];
export type PgliteResults<Row = unknown> = Omit<Results, 'rows'> & { rows: Row[] };

/** What a transaction's callback is given: queries inside the transaction. */
export type PgliteThreadTransaction = {
  query<Row = unknown>(sql: string, params?: unknown[], options?: QueryOptions): Promise<PgliteResults<Row>>;
  /** `COPY … TO '/dev/blob'`: what the statement wrote, in COPY's own format. */
  copyTo(sql: string, params?: unknown[]): Promise<Uint8Array>;
  /** `COPY … FROM '/dev/blob'` reading `bytes`; the rows loaded. */
  copyFrom(sql: string, bytes: Uint8Array): Promise<number>;
};

export type PgliteThreadOptions = PgliteWorkerOptions;

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void; sentAt: number };
type Reply = { id: number; result?: unknown; error?: SerializedError };
type Notification = { notification: number; payload: string };
/** PostgreSQL failed inside the worker, which ends itself (see endOnEngineFailure in pglite-worker.mjs). */
type EngineFailure = { failure: string };
/** A query's result as the worker sends it: marked when its rows may hold JSON sent as text. */
type QueryResult = PgliteResults & { deepJson?: true };
type Listener = { channel: string; callback: (payload: string) => void; onListening?: () => void };

/** What the requests in flight fail with when the thread stops answering, or fails, and is restarted. */
export class EmbeddedDatabaseFailure extends Error {
  override name = 'EmbeddedDatabaseFailure';
}

export class PgliteThread {
  private worker!: Worker;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<number, Listener>();
  /**
   * The number of the next request to this worker. Requests are numbered one by one, so the worker can answer by
   * its number one it could not read (see pglite-worker.mjs).
   */
  private nextRequestId = 1;
  /** Numbers of transactions and listeners. */
  private nextHandleId = 1;
  /** Why requests are refused: closed, or lost with a database in memory that could not be restarted. */
  private refusal: Error | undefined;
  private restarting: Promise<void> | undefined;
  /** How many times the thread was lost: a transaction begun before then went with it. */
  private losses = 0;
  private requestTimeoutMs = 0;
  private sweeper: NodeJS.Timeout | undefined;
  /** Answers received, and when the sweeper last saw that count change (or nothing waiting): the thread's progress. */
  private answered = 0;
  private answeredAtLastSweep = 0;
  private progressSeenAt = 0;
  /** Told how long each answered request took (metrics). */
  private observeStatement: ((seconds: number) => void) | undefined;

  private constructor(
    worker: Worker,
    private readonly options: PgliteThreadOptions,
  ) {
    this.attach(worker);
  }

  /** Starts the thread and waits until the database is open. */
  static async start(options: PgliteThreadOptions = {}): Promise<PgliteThread> {
    return new PgliteThread(await startWorker(options), options);
  }

  /**
   * From now on, a thread that answers nothing for `timeoutMs` (0: no limit) while requests wait is taken for one
   * that no longer answers (a statement running that long, or stuck): every request in flight fails
   * (EmbeddedDatabaseFailure) and the thread is restarted on the same data folder, which PostgreSQL recovers as after
   * a crash. A database in memory cannot be restarted: it is lost, and refuses requests from then on. Progress, not
   * each request's age, is what counts: under load requests wait their turn for long, and the thread is sound as
   * long as answers keep coming. One timer checks it; a request costs a count.
   */
  setRequestTimeout(timeoutMs: number): void {
    this.requestTimeoutMs = timeoutMs;
    clearInterval(this.sweeper);
    this.sweeper = undefined;
    this.progressSeenAt = performance.now();
    if (timeoutMs <= 0) return;
    this.sweeper = setInterval(() => this.checkProgress(), Math.min(SWEEP_INTERVAL_MS, Math.max(timeoutMs / 4, 10)));
    this.sweeper.unref();
  }

  /** From now on, tells `observe` how long each request took from being sent to its answer, in seconds. */
  observeStatements(observe: (seconds: number) => void): void {
    this.observeStatement = observe;
  }

  private attach(worker: Worker) {
    this.worker = worker;
    this.nextRequestId = 1;
    worker.on('message', (message: Reply | Notification | EngineFailure) => {
      if ('notification' in message) {
        this.listeners.get(message.notification)?.callback(message.payload);
        return;
      }
      if ('failure' in message) {
        this.recover(message.failure);
        return;
      }
      this.answered++;
      const pending = this.pending.get(message.id);
      if (!pending) return;
      this.pending.delete(message.id);
      if (this.pending.size === 0) worker.unref();
      this.observeStatement?.((performance.now() - pending.sentAt) / 1000);
      if (message.error) pending.reject(revive(message.error));
      else pending.resolve(withDeepJsonParsed(message.result));
    });
    // An answer that could not be read here is lost, and which request it answered with it.
    worker.on('messageerror', (error) =>
      this.recover(`an answer of the embedded database could not be read (${error.message})`),
    );
    worker.on('error', (error) => this.recover(`the embedded database's thread failed: ${error.message}`));
    worker.on('exit', (code) => this.recover(`the embedded database's thread exited (code ${code})`));
  }

  private checkProgress() {
    const now = performance.now();
    if (this.pending.size === 0 || this.answered !== this.answeredAtLastSweep) {
      this.answeredAtLastSweep = this.answered;
      this.progressSeenAt = now;
    } else if (now - this.progressSeenAt >= this.requestTimeoutMs) {
      this.recover(
        `the embedded database answered nothing for ${this.requestTimeoutMs} ms while statements waited ` +
          '(CHORUS_STATEMENT_TIMEOUT_MS)',
      );
    }
  }

  /**
   * Fails every request in flight, saying `what` went wrong, ends the thread and starts a new one on the same data
   * folder.
   */
  private recover(what: string) {
    if (this.restarting || this.refusal) return;
    this.losses++;
    const failed = this.worker;
    failed.removeAllListeners();
    failed.on('error', () => {});
    // The thread may be deep in a statement: terminating it is the only way to stop it.
    const terminated = failed.terminate();
    const inMemory = this.options.dataDir === undefined;
    const reason = new EmbeddedDatabaseFailure(
      inMemory
        ? `${what}; the database was in memory and is lost`
        : `${what}; its thread is restarted, and the statements in flight failed`,
    );
    for (const pending of this.pending.values()) pending.reject(reason);
    this.pending.clear();
    if (inMemory) {
      this.refusal = reason;
      return;
    }
    log.error(reason.message);
    this.restarting = (async () => {
      // Its files must be let go of before another thread opens them.
      await terminated;
      this.attach(await startWorker(this.options));
      for (const [listener, { channel }] of this.listeners) await this.send('listen', { channel, listener });
    })().then(
      () => {
        this.restarting = undefined;
        // Announcements made while the thread was down are lost: listeners reload what they follow.
        for (const { onListening } of this.listeners.values()) onListening?.();
      },
      (error: unknown) => {
        this.restarting = undefined;
        this.refusal = new EmbeddedDatabaseFailure(`the embedded database could not be restarted: ${String(error)}`, {
          cause: error,
        });
      },
    );
  }

  /** Sends a request; the worker keeps the process alive only while requests are waiting for it. */
  private request<Result>(op: string, fields: Record<string, unknown> = {}): Promise<Result> {
    if (this.refusal) return Promise.reject(this.refusal);
    if (this.restarting) return this.restarting.then(() => this.request<Result>(op, fields));
    return this.send(op, fields);
  }

  private send<Result>(op: string, fields: Record<string, unknown>): Promise<Result> {
    const id = this.nextRequestId;
    return new Promise<Result>((resolve, reject) => {
      try {
        this.worker.postMessage({ id, op, ...fields });
      } catch (error) {
        // Nothing was sent (a value structured clone refuses), so the number is not used up.
        reject(
          new Error(`the request could not be sent to the embedded database: ${(error as Error).message}`, {
            cause: error,
          }),
        );
        return;
      }
      this.nextRequestId++;
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, sentAt: performance.now() });
    });
  }

  query<Row = unknown>(sql: string, params: unknown[] = [], options?: QueryOptions): Promise<PgliteResults<Row>> {
    return this.request('query', { sql, params, rowMode: queryOptionsForWorker(options)?.rowMode });
  }

  /**
   * Runs `callback` in a transaction: committed when it resolves, rolled back when it throws. Other statements
   * wait meanwhile (PGlite has one connection).
   */
  async transaction<Result>(callback: (transaction: PgliteThreadTransaction) => Promise<Result>): Promise<Result> {
    const transaction = this.nextHandleId++;
    const losses = this.losses;
    await this.request('begin', { transaction });
    let result: Result;
    try {
      result = await callback({
        query: (sql, params = [], options) =>
          this.request('query', { sql, params, rowMode: queryOptionsForWorker(options)?.rowMode, transaction }),
        copyTo: async (sql, params = []) =>
          new Uint8Array(await this.request<ArrayBuffer>('copyTo', { sql, params, transaction })),
        copyFrom: (sql, bytes) => this.request<number>('copyFrom', { sql, bytes, transaction }),
      });
    } catch (error) {
      // A transaction lost with its thread (restarted since) has nothing left to roll back.
      if (this.losses === losses) await this.request('rollback', { transaction });
      throw error;
    }
    await this.request('commit', { transaction });
    return result;
  }

  /**
   * LISTEN on `channel`; the returned function stops. Listening alone does not keep the process alive. After the
   * thread was restarted it listens again, and calls `onListening`: what was announced meanwhile was not heard.
   */
  async listen(
    channel: string,
    callback: (payload: string) => void,
    onListening?: () => void,
  ): Promise<() => Promise<void>> {
    const listener = this.nextHandleId++;
    this.listeners.set(listener, { channel, callback, onListening });
    await this.request('listen', { channel, listener });
    return async () => {
      this.listeners.delete(listener);
      await this.request('unlisten', { listener });
    };
  }

  /** How many real fsync calls the database has made (a durable one makes them as it commits). */
  fileSyncs(): Promise<number> {
    return this.request('fileSyncs');
  }

  async dumpDataDir(compression?: 'none' | 'gzip' | 'auto'): Promise<Blob> {
    return new Blob([await this.request<ArrayBuffer>('dumpDataDir', { compression })]);
  }

  /**
   * Closes the database and ends the thread. Waits for the statements sent before; with a request timeout set, at
   * most that long.
   */
  async close(): Promise<void> {
    if (this.refusal) return;
    clearInterval(this.sweeper);
    await this.restarting;
    if (this.refusal) return;
    const worker = this.worker;
    const closing = this.send('close', {});
    this.refusal = new Error('the embedded database is closed');
    // The thread ending is expected from here: whatever still waits fails, rather than the thread restarting.
    for (const event of ['exit', 'error', 'messageerror']) worker.removeAllListeners(event);
    // An error is followed by the thread's exit, awaited below (and unheard, it would end this process).
    worker.on('error', () => {});
    const ended = new Promise((resolve) => worker.once('exit', resolve));
    let timer: NodeJS.Timeout | undefined;
    const overdue = new Promise((resolve) => {
      if (this.requestTimeoutMs > 0) timer = setTimeout(resolve, this.requestTimeoutMs);
    });
    try {
      await Promise.race([closing, ended, overdue]);
    } finally {
      clearTimeout(timer);
      await worker.terminate();
      for (const pending of this.pending.values()) pending.reject(this.refusal);
      this.pending.clear();
    }
  }
}

/** A request's result, with any JSON that crossed as text (too deep to clone) in a query's rows parsed here. */
function withDeepJsonParsed(result: unknown): unknown {
  const query = result as QueryResult | null | undefined;
  if (!query?.deepJson) return result;
  delete query.deepJson;
  for (const row of query.rows as Array<Record<string, unknown> | unknown[]>) parseDeepJson(row);
  return query;
}

/** The envelope of a JSON value that crossed as text; see CLONE_DEPTH_LIMIT in pglite-worker.mjs. */
const DEEP_JSON_TEXT = '\u0000chorus:json-text';

/** Replaces the envelopes in a row (object or array mode), also inside arrays (json[]), by their parsed values. */
function parseDeepJson(row: Record<string, unknown> | unknown[]) {
  const parsed = (value: unknown): unknown => {
    if (value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map(parsed);
    return DEEP_JSON_TEXT in value ? JSON.parse((value as Record<string, string>)[DEEP_JSON_TEXT]!) : value;
  };
  if (Array.isArray(row)) for (const [index, value] of row.entries()) row[index] = parsed(value);
  else for (const [key, value] of Object.entries(row)) row[key] = parsed(value);
}

/** How often, at most, the thread's progress is checked (see setRequestTimeout). */
const SWEEP_INTERVAL_MS = 1_000;

/** The options the worker can honour: the row mode. Parser functions cannot cross threads (see TEXT_TYPES). */
function queryOptionsForWorker(options: QueryOptions): QueryOptions {
  const rest = withoutTextParsers(options);
  if (rest?.parsers || rest?.serializers) {
    throw new Error('custom parsers and serializers are not supported by the embedded database thread');
  }
  return rest;
}
