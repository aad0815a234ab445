// Starting the embedded database's thread: a worker running pglite-worker.mjs on the given data folder, resolved
// once the database is open. Its young generation is kept small (below); its WebAssembly compiler is the process's,
// set at start (docs/performance.md, V8 settings).
import { Worker } from 'node:worker_threads';
import { projectPath } from '../project-root.ts';
import { TEXT_TYPES } from './pglite-text-types.ts';

export type PgliteWorkerOptions = {
  /** The data folder; in memory when absent. */
  dataDir?: string;
  /** postgresql.conf settings, `name=value`. */
  postgresqlconf?: string[];
  /**
   * Whether a committed transaction reaches the disk before the commit returns (fsync on). Off, commits stay in the
   * operating system's cache a while: a crash of the process loses nothing, a power cut the last moments.
   */
  durable?: boolean;
  /** In memory only: start from this copy of a data folder (dumpDataDir's, uncompressed) instead of an empty one. */
  loadDataDir?: Uint8Array;
};

/** An error as it crossed from the worker: its message and fields (code, detail, constraint…). */
export type SerializedError = Record<string, unknown> & { message: string };

/** A PGlite error as it crossed the boundary: an Error again, with its fields (code, detail, constraint…). */
export function revive(serialized: SerializedError): Error {
  const { message, name, stack: _stack, ...fields } = serialized;
  const error = Object.assign(new Error(message), fields);
  if (typeof name === 'string') error.name = name;
  return error;
}

/** Starts a thread with PGlite on it and waits until the database is open. */
export async function startWorker(options: PgliteWorkerOptions): Promise<Worker> {
  const worker = new Worker(projectPath('src', 'db', 'pglite-worker.mjs'), {
    workerData: {
      dataDir: options.dataDir,
      postgresqlconf: options.postgresqlconf ?? [],
      durable: options.durable ?? true,
      loadDataDir: options.loadDataDir,
      textTypes: [...TEXT_TYPES],
    },
    // What the worker allocates lives for one statement: a small young generation collects it sooner, at the same
    // speed (docs/performance.md, V8 settings).
    resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
  });
  const ready = new Promise<void>((resolve, reject) => {
    const onMessage = (message: { ready?: boolean; error?: SerializedError }) => {
      if (message.ready === undefined) return;
      worker.off('message', onMessage);
      worker.off('error', reject);
      if (message.ready) resolve();
      else reject(revive(message.error ?? { message: 'the embedded database did not open' }));
    };
    worker.on('message', onMessage);
    worker.once('error', reject);
  });
  await ready;
  worker.unref();
  return worker;
}

/** The worker's young generation, where nearly all it allocates dies. */
const WORKER_YOUNG_GENERATION_MB = 4;
