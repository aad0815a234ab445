// Runs a benchmark server (provider, relay or Chorus: see child-server-main.ts) in a child process and talks to it
// over IPC: its JS heap; a V8 CPU profile of a stretch of time, or a heap snapshot (open either in Chrome
// DevTools); stop. Its RSS, now and at its peak, comes from the kernel (/proc) where there is one: a server busy
// enough to starve its event loop answers IPC late, and samples its own memory late too.
import { type ChildProcess, execFileSync, fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundle } from '../../bin/bundle.mjs';
import { createPostgresDatabase } from '../../test/support/database.ts';

/** Chorus's PUBLIC_URL in the benchmark: the Origin a pretend browser signs up from. */
export const BENCH_PUBLIC_URL = 'http://chorus.bench';

export type ChildRole = 'provider' | 'relay' | 'chorus';

export type ChildCommand = { id: number } & (
  | { name: 'memory'; resetPeak?: boolean }
  | { name: 'heap' }
  | { name: 'gc' }
  | { name: 'cpu' }
  | { name: 'profile-start' }
  | { name: 'profile-stop'; path: string }
  | { name: 'allocations-start' }
  | { name: 'allocations-stop'; path: string }
  | { name: 'heap-snapshot'; path: string }
  | { name: 'unlimit-messages'; userId: string }
  | { name: 'stop' }
);
type CommandInput = ChildCommand extends infer C ? (C extends { id: number } ? Omit<C, 'id'> : never) : never;

export type ChildReply = { ready: true; port: number } | { id: number; result?: unknown; error?: string };

/** Bytes: resident now, and at the peak since the last reset. */
export type ChildMemory = { rss: number; peakRss: number };
export type ChildHeap = { heapUsed: number; heapTotal: number; external: number };
/** CPU time the process has used, all its threads together (the embedded database's among them), µs. */
export type ChildCpu = { user: number; system: number };

export type ChildServer = {
  role: ChildRole;
  url: string;
  process: ChildProcess;
  command<T = unknown>(command: CommandInput): Promise<T>;
  /** RSS now and its peak since the last `resetPeak` (which starts a new peak after reading). */
  memory(options?: { resetPeak?: boolean }): Promise<ChildMemory>;
  /** The JS heap, or undefined when the server does not answer within `timeoutMs` (too busy). */
  heap(timeoutMs: number): Promise<ChildHeap | undefined>;
  /** Asks the server to close, and kills it if it has not exited within 5 s. */
  stop(): Promise<void>;
  /** Ends the process at once (a server still busy with work the benchmark gave up on). */
  kill(): Promise<void>;
};

/**
 * The children run bundled, as `chorus` runs in production (bin/bundle.mjs): under tsx each would carry its loader
 * thread, ~75 MB the server's memory figures would count. Bundled once per benchmark run.
 */
let bundledMain: Promise<string | undefined> | undefined;
const childMain = () => (bundledMain ??= bundle('bench/support/child-server-main.ts', 'dist/bench/child-server.mjs'));
const CHORUS_COMMAND = fileURLToPath(new URL('../../bin/chorus.js', import.meta.url));

export type ChorusData = {
  label: string;
  /** The environment that points the chorus role at this data. */
  env: Record<string, string>;
  remove(): Promise<void>;
};

/**
 * Chorus's data: a temporary DATA_DIR, and a fresh PostgreSQL database made through `postgresAdminUrl` or else
 * the PGlite database in that folder, made by `chorus migrate` in a process of its own — so the server starts on
 * existing data, as every start but the very first does in production. (Creating a PGlite database runs initdb,
 * whose WebAssembly memory, about 0.7 GB, stays with the process that ran it; in-memory PGlite always does that.)
 */
export async function prepareChorusData(postgresAdminUrl: string | undefined): Promise<ChorusData> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'chorus-chat-bench-'));
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  if (postgresAdminUrl) {
    process.env.TEST_DATABASE_URL ??= postgresAdminUrl;
    const created = await createPostgresDatabase();
    return {
      label: 'PostgreSQL',
      env: { BENCH_DATA_DIR: dir, BENCH_CHORUS_DATABASE_URL: created.url },
      remove: async () => {
        await created.drop();
        removeDir();
      },
    };
  }
  execFileSync(process.execPath, [CHORUS_COMMAND, 'migrate'], {
    env: { PATH: process.env.PATH ?? '', DATA_DIR: dir },
    stdio: 'ignore',
  });
  return { label: 'PGlite (file)', env: { BENCH_DATA_DIR: dir }, remove: async () => removeDir() };
}

/** The kernel's figures for a process (Linux); undefined where there is no /proc. */
function memoryFromProc(pid: number, resetPeak: boolean): ChildMemory | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const bytes = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]) * 1024;
    const memory = { rss: bytes('VmRSS'), peakRss: bytes('VmHWM') };
    if (!Number.isFinite(memory.rss) || !Number.isFinite(memory.peakRss)) return undefined;
    // "5" resets the peak (VmHWM) to the current RSS.
    if (resetPeak) writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return memory;
  } catch {
    return undefined;
  }
}

/** The V8 settings `npm start` and bin/chorus.js run the server with (package.json; docs/performance.md). */
const SERVER_NODE_FLAGS = ['--max-semi-space-size=16', '--liftoff-only'];

export async function startChildServer(role: ChildRole, env: Record<string, string> = {}): Promise<ChildServer> {
  const main = await childMain();
  if (!main) throw new Error('the benchmark servers could not be bundled into dist/bench');
  const child = fork(fileURLToPath(main), [role], {
    execArgv: ['--enable-source-maps', '--expose-gc', ...SERVER_NODE_FLAGS],
    env: {
      PATH: process.env.PATH ?? '',
      // Whether the embedded database waits for the disk at commits is measured both ways (docs/performance.md).
      ...(process.env.CHORUS_EMBEDDED_DURABILITY
        ? { CHORUS_EMBEDDED_DURABILITY: process.env.CHORUS_EMBEDDED_DURABILITY }
        : {}),
      ...(process.env.CHORUS_MAX_CONCURRENT_SETUPS
        ? { CHORUS_MAX_CONCURRENT_SETUPS: process.env.CHORUS_MAX_CONCURRENT_SETUPS }
        : {}),
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let nextId = 1;
  const port = await new Promise<number>((resolve, reject) => {
    const onExit = (code: number | null) =>
      reject(new Error(`the ${role} benchmark server exited (${code}) before it was ready`));
    child.once('exit', onExit);
    child.on('message', (reply: ChildReply) => {
      if ('ready' in reply) {
        child.off('exit', onExit);
        resolve(reply.port);
        return;
      }
      const waiting = pending.get(reply.id);
      pending.delete(reply.id);
      if (reply.error) waiting?.reject(new Error(`${role}: ${reply.error}`));
      else waiting?.resolve(reply.result);
    });
  });
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      for (const waiting of pending.values()) waiting.reject(new Error(`the ${role} benchmark server exited`));
      pending.clear();
      resolve();
    }),
  );
  const running = () => child.exitCode === null && child.signalCode === null;

  const command = <T>(input: CommandInput) =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      child.send({ ...input, id });
    });
  return {
    role,
    url: `http://127.0.0.1:${port}`,
    process: child,
    command,
    async memory({ resetPeak = false } = {}) {
      return memoryFromProc(child.pid!, resetPeak) ?? command<ChildMemory>({ name: 'memory', resetPeak });
    },
    heap: (timeoutMs) =>
      Promise.race([
        command<ChildHeap>({ name: 'heap' }).catch(() => undefined),
        new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), timeoutMs).unref()),
      ]),
    async stop() {
      if (!running()) return;
      await command({ name: 'stop' }).catch(() => {});
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
      if (running()) child.kill('SIGKILL');
      await exited;
    },
    async kill() {
      if (running()) child.kill('SIGKILL');
      await exited;
    },
  };
}
