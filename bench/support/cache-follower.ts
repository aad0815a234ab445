// Another server process's model cache, for the propagation benchmark: on PostgreSQL a child process
// (cache-follower-main.ts) follows the registry through connections of its own; on PGlite, which one process
// owns, a second ModelCache in this process follows it. Either says when it heard of a change and when its cache
// held it.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { DatabaseHandle } from '../../src/db/client.ts';
import { CHANNELS, createChangeListener } from '../../src/db/notifications.ts';
import { ModelCache } from '../../src/registry/model-cache.ts';
import { ModelStore } from '../../src/store/models.ts';
import { epochMs } from './paired-timing.ts';

export type FollowerCommand = { name: 'stop' };

export type FollowerReport =
  | { kind: 'ready'; models: number }
  | { kind: 'notified'; at: number }
  | { kind: 'reloaded'; at: number; reloadMs: number; version: number | null; models: number };

/** When the follower heard of the change and when its cache held it (epoch ms), and how long the reload took. */
export type Propagation = { notifiedAt: number; reloadedAt: number; reloadMs: number; models: number };

export type CacheFollower = {
  /** Resolves once the follower's cache holds the watched model at `version` or later. */
  reached(version: number, timeoutMs?: number): Promise<Propagation>;
  stop(): Promise<void>;
};

/** Follows the reports of one follower and answers `reached`. */
function versionTracker() {
  let lastNotifiedAt = 0;
  let latest: (Propagation & { version: number }) | undefined;
  let waiting: { version: number; resolve(value: Propagation): void } | undefined;
  return {
    report(report: FollowerReport) {
      if (report.kind === 'notified') lastNotifiedAt = report.at;
      if (report.kind !== 'reloaded') return;
      const { at, reloadMs, models } = report;
      latest = { notifiedAt: lastNotifiedAt, reloadedAt: at, reloadMs, models, version: report.version ?? 0 };
      if (waiting && latest.version >= waiting.version) {
        waiting.resolve(latest);
        waiting = undefined;
      }
    },
    reached(version: number, timeoutMs = 10_000): Promise<Propagation> {
      if (latest && latest.version >= version) return Promise.resolve(latest);
      return new Promise<Propagation>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting = undefined;
          reject(new Error(`the follower did not reach version ${version} within ${timeoutMs} ms`));
        }, timeoutMs);
        waiting = {
          version,
          resolve: (value) => {
            clearTimeout(timer);
            resolve(value);
          },
        };
      });
    },
  };
}

const MAIN = fileURLToPath(new URL('./cache-follower-main.ts', import.meta.url));

/** A child process with a ModelCache on `databaseUrl` (PostgreSQL), watching one model's version. */
export async function startCacheFollower(databaseUrl: string, watchedModelId: string): Promise<CacheFollower> {
  const child = fork(MAIN, [], {
    execArgv: ['--import', 'tsx'],
    env: {
      PATH: process.env.PATH ?? '',
      BENCH_FOLLOWER_DATABASE_URL: databaseUrl,
      BENCH_FOLLOWER_MODEL_ID: watchedModelId,
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const tracker = versionTracker();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const onExit = (code: number | null) =>
      reject(new Error(`the cache follower exited (${code}) before it was ready`));
    child.once('exit', onExit);
    child.on('message', (report: FollowerReport) => {
      if (report.kind === 'ready') {
        child.off('exit', onExit);
        resolve();
      } else {
        tracker.report(report);
      }
    });
  });
  return {
    reached: tracker.reached,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.send({ name: 'stop' } satisfies FollowerCommand);
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** A second ModelCache in this process on the same database (PGlite: one process owns the engine). */
export async function followInProcess(handle: DatabaseHandle, watchedModelId: string): Promise<CacheFollower> {
  const tracker = versionTracker();
  const listener = createChangeListener(handle);
  const cache = new ModelCache(new ModelStore(handle.db));
  let notifiedAt = 0;
  const unlisten = await listener.listen(CHANNELS.models, () => {
    notifiedAt = epochMs();
    tracker.report({ kind: 'notified', at: notifiedAt });
  });
  cache.onReload(() => {
    const at = epochMs();
    const version = cache.get(watchedModelId)?.version ?? null;
    tracker.report({
      kind: 'reloaded',
      at,
      reloadMs: notifiedAt ? at - notifiedAt : 0,
      version,
      models: cache.all().length,
    });
  });
  await cache.start(listener);
  return {
    reached: tracker.reached,
    async stop() {
      await cache.stop();
      await unlisten();
      await listener.close();
    },
  };
}
