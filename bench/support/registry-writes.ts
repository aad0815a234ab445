// The write side of the registry benchmark: bulk imports against a raw INSERT of the same rows, and how long a
// committed change takes to reach another process's cache. Returns raw samples; registry.bench.ts reports them.
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import { validateImport } from '../../src/registry/model-import.ts';
import type { ModelRegistry } from '../../src/registry/registry-service.ts';
import type { Actor } from '../../src/store/index.ts';
import { followInProcess, startCacheFollower } from './cache-follower.ts';
import type { BenchDatabase } from './databases.ts';
import { benchModels, rawInsertStatements, withPriceChanges } from './model-fixtures.ts';
import { epochMs } from './paired-timing.ts';
import type { RawDriver } from './raw-driver.ts';

/** A table shaped like `models` (same columns, defaults and indexes), for the raw INSERT. */
export const BASELINE_TABLE = 'bench_models_raw';

export type WriteContext = { database: BenchDatabase; admin: Actor; registry: ModelRegistry; raw: RawDriver };

/** Milliseconds per round of each phase. */
export type ImportSamples = {
  created: number[];
  unchanged: number[];
  changed: number[];
  validation: number[];
  rawInsert: number[];
  rawStatements: number;
};

export async function createBaselineTable(database: BenchDatabase): Promise<void> {
  await database.db.execute(sql.raw(`create table ${BASELINE_TABLE} (like models including all)`));
}

/**
 * Rounds of: empty the bench models, raw INSERT of the rows into the baseline table, import them as new models,
 * import them again unchanged, import them with every 10th repriced. Ends with `count` models in the registry.
 */
export async function measureImports({ database, admin, registry, raw }: WriteContext, count: number, rounds: number) {
  const entries = benchModels(count);
  const changed = withPriceChanges(entries, 10);
  const statements = rawInsertStatements(BASELINE_TABLE, entries);
  const samples: ImportSamples = {
    created: [],
    unchanged: [],
    changed: [],
    validation: [],
    rawInsert: [],
    rawStatements: statements.length,
  };
  const timed = async (into: number[], action: () => Promise<unknown>) => {
    const started = performance.now();
    await action();
    into.push(performance.now() - started);
  };
  const execute = (statement: string) => database.db.execute(sql.raw(statement));
  for (let round = 0; round < rounds; round++) {
    await execute(`delete from model_history where model_id like 'vendor-%'`);
    await execute(`delete from models where provider like 'vendor-%'`);
    await execute(`truncate ${BASELINE_TABLE}`);
    for (const table of ['models', 'model_history', BASELINE_TABLE]) await execute(`vacuum analyze ${table}`);
    await timed(samples.rawInsert, () => raw.run(statements, { transaction: true }));
    await timed(samples.created, () => registry.importModels({ actor: admin, entries, reason: 'benchmark import' }));
    await timed(samples.unchanged, () =>
      registry.importModels({ actor: admin, entries, reason: 'benchmark re-import' }),
    );
    await timed(samples.changed, () =>
      registry.importModels({ actor: admin, entries: changed, reason: 'benchmark reprice' }),
    );
    await timed(samples.validation, async () => validateImport(entries));
  }
  await execute('analyze models');
  return samples;
}

/** Per change, ms from update() returning to the follower hearing of it and to its cache holding it. */
export type PropagationSamples = {
  heard: number[];
  held: number[];
  reloadMs: number[];
  models: number;
  follower: 'another process' | 'a second cache, same process';
};

let nextPrice = 1_000;

/**
 * Reprices `modelId` through registry.update, one change at a time, and waits for the follower (a child process
 * on PostgreSQL, a second cache in this process on PGlite, which one process owns) to hold each new version.
 */
export async function measurePropagation(
  { database, admin, registry }: WriteContext,
  modelId: string,
  { warmup, changes }: { warmup: number; changes: number },
): Promise<PropagationSamples> {
  const follower = database.url
    ? await startCacheFollower(database.url, modelId)
    : await followInProcess(database, modelId);
  const samples: PropagationSamples = {
    heard: [],
    held: [],
    reloadMs: [],
    models: 0,
    follower: database.url ? 'another process' : 'a second cache, same process',
  };
  try {
    for (let change = 0; change < warmup + changes; change++) {
      const updates = { pricing: { input: nextPrice++ } };
      const result = await registry.update({ actor: admin, id: modelId, updates, reason: 'propagation benchmark' });
      const committedAt = epochMs();
      const seen = await follower.reached(result.model.version);
      samples.models = seen.models;
      if (change >= warmup) {
        // In one process (PGlite) the announcement arrives during the COMMIT, before update() returns: 0.
        samples.heard.push(Math.max(0, seen.notifiedAt - committedAt));
        samples.held.push(seen.reloadedAt - committedAt);
        samples.reloadMs.push(seen.reloadMs);
      }
      // Changes a few ms apart, each seen alone (a cache folds announcements that arrive during a reload).
      await sleep(2);
    }
  } finally {
    await follower.stop();
  }
  return samples;
}
