// The embedded database (PGlite) on a thread of its own. PGlite runs each statement synchronously on the thread that
// calls it and answers in microtasks, so on the server's thread every statement would stop all sockets and timers
// while it runs (a reply stream freezes for as long as anyone's message is being saved; see BASELINES.md), and the
// database's work and the server's would share one core. Here PGlite lives in a worker (pglite-worker.mjs) and this
// client speaks to it in messages: the statements of all requests run one after another on the worker's core, in
// the order they were sent, while this thread serves sockets.
//
// It offers what drizzle's PGlite driver and the rest of Chorus use of a PGlite: query, transaction, listen,
// dumpDataDir, close. Results cross the thread boundary by structured clone, so the worker reads dates, times and
// numeric arrays as text (what drizzle asks for anyway) and no parser functions need to travel.
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import type { PGlite, Results } from '@electric-sql/pglite';
import { TEXT_TYPES, withoutTextParsers } from './pglite-text-types.ts';
import { projectPath } from '../project-root.ts';

type QueryOptions = Parameters<PGlite['query']>[2];
export type PgliteResults<Row = unknown> = Omit<Results, 'rows'> & { rows: Row[] };

/** What a transaction's callback is given: queries inside the transaction. */
export type PgliteThreadTransaction = {
  query<Row = unknown>(sql: string, params?: unknown[], options?: QueryOptions): Promise<PgliteResults<Row>>;
};

export type PgliteThreadOptions = {
  /** The data folder; in memory when absent. */
  dataDir?: string;
  /** postgresql.conf settings, `name=value`. */
  postgresqlconf?: string[];
};

type Pending = { resolve: (value: any) => void; reject: (error: Error) => void };
type Reply = { id: number; result?: unknown; error?: Record<string, unknown> & { message: string } };
type Notification = { notification: number; payload: string };

/** A PGlite error as it crossed the boundary: an Error again, with its fields (code, detail, constraint…). */
function revive(serialized: Record<string, unknown> & { message: string }): Error {
  const { message, name, stack: _stack, ...fields } = serialized;
  const error = Object.assign(new Error(message), fields);
  if (typeof name === 'string') error.name = name;
  return error;
}

export class PgliteThread {
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<number, (payload: string) => void>();
  private nextId = 1;
  private closed = false;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (message: Reply | Notification) => {
      if ('notification' in message) {
        this.listeners.get(message.notification)?.(message.payload);
        return;
      }
      const pending = this.pending.get(message.id);
      if (!pending) return;
      this.pending.delete(message.id);
      if (this.pending.size === 0) worker.unref();
      if (message.error) pending.reject(revive(message.error));
      else pending.resolve(message.result);
    });
    worker.on('error', (error) => this.failAll(error));
    worker.on('exit', (code) => this.failAll(new Error(`the embedded database's thread exited (code ${code})`)));
  }

  /** Starts the thread and waits until the database is open. */
  static async start(options: PgliteThreadOptions = {}): Promise<PgliteThread> {
    const compiled = compileWasmWithBaselineCompilerOnly();
    const worker = new Worker(projectPath('src', 'db', 'pglite-worker.mjs'), {
      workerData: { dataDir: options.dataDir, postgresqlconf: options.postgresqlconf ?? [], textTypes: [...TEXT_TYPES] },
      // What the worker allocates lives for one statement; V8's default young generation let it fill tens of MB
      // before collecting (5,000 replies at once: a peak 20-40 MB higher, at the same speed).
      resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
    });
    const ready = new Promise<void>((resolve, reject) => {
      const onMessage = (message: { ready?: boolean; error?: Record<string, unknown> & { message: string } }) => {
        if (message.ready === undefined) return;
        worker.off('message', onMessage);
        worker.off('error', reject);
        if (message.ready) resolve();
        else reject(revive(message.error ?? { message: 'the embedded database did not open' }));
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
    });
    // PGlite's WebAssembly is compiled by the time it is open; what the server compiles later is tiered as usual.
    await ready.finally(compiled);
    worker.unref();
    return new PgliteThread(worker);
  }

  /** Sends a request; the worker keeps the process alive only while requests are waiting for it. */
  private request<Result>(op: string, fields: Record<string, unknown> = {}): Promise<Result> {
    if (this.closed) return Promise.reject(new Error('the embedded database is closed'));
    const id = this.nextId++;
    return new Promise<Result>((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, op, ...fields });
    });
  }

  private failAll(error: Error) {
    this.closed = true;
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }

  query<Row = unknown>(sql: string, params: unknown[] = [], options?: QueryOptions): Promise<PgliteResults<Row>> {
    return this.request('query', { sql, params, rowMode: queryOptionsForWorker(options)?.rowMode });
  }

  /**
   * Runs `callback` in a transaction: committed when it resolves, rolled back when it throws. Other statements
   * wait meanwhile (PGlite has one connection).
   */
  async transaction<Result>(callback: (transaction: PgliteThreadTransaction) => Promise<Result>): Promise<Result> {
    const transaction = this.nextId++;
    await this.request('begin', { transaction });
    let result: Result;
    try {
      result = await callback({
        query: (sql, params = [], options) =>
          this.request('query', { sql, params, rowMode: queryOptionsForWorker(options)?.rowMode, transaction }),
      });
    } catch (error) {
      await this.request('rollback', { transaction });
      throw error;
    }
    await this.request('commit', { transaction });
    return result;
  }

  /** LISTEN on `channel`; the returned function stops. Listening alone does not keep the process alive. */
  async listen(channel: string, callback: (payload: string) => void): Promise<() => Promise<void>> {
    const listener = this.nextId++;
    this.listeners.set(listener, callback);
    await this.request('listen', { channel, listener });
    return async () => {
      this.listeners.delete(listener);
      await this.request('unlisten', { listener });
    };
  }

  async dumpDataDir(compression?: 'none' | 'gzip' | 'auto'): Promise<Blob> {
    return new Blob([await this.request<ArrayBuffer>('dumpDataDir', { compression })]);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.request('close');
    this.closed = true;
    await this.worker.terminate();
  }
}

/** The options the worker can honour: the row mode. Parser functions cannot cross threads (see TEXT_TYPES). */
function queryOptionsForWorker(options: QueryOptions): QueryOptions {
  const rest = withoutTextParsers(options);
  if (rest?.parsers || rest?.serializers) {
    throw new Error('custom parsers and serializers are not supported by the embedded database thread');
  }
  return rest;
}

/** The worker's young generation, where nearly all it allocates dies. */
const WORKER_YOUNG_GENERATION_MB = 4;

/** PGlite threads starting now, compiling their WebAssembly. */
let compiling = 0;

/**
 * PostgreSQL in WebAssembly is a large module, and V8's optimising compiler recompiles its hot functions on
 * background threads whose working memory the C allocator keeps afterwards: measured on a server that had answered
 * a few hundred chats, 70 MB of its resident memory, none of it in use (idle 353 MB, 284 MB without). Compiled by the
 * baseline compiler alone, statements run as fast for a chat (a turn's set-up no slower, measured), and bulk work
 * slower (a 1,000-row insert 45 → 66 ms). The flag is V8's, for the whole process: it is on while a PGlite thread
 * starts, and the returned function turns it off again once none is starting.
 */
function compileWasmWithBaselineCompilerOnly(): () => void {
  if (compiling++ === 0) setFlagsFromString('--liftoff-only');
  return () => {
    if (--compiling === 0) setFlagsFromString('--no-liftoff-only');
  };
}
