// Model registry benchmark (issue 4): 10,000 models, on PGlite and on PostgreSQL, each figure beside a baseline
// measured in the same run through the same driver.
//   1. lookups from the in-memory cache (cache.get; the chat path's modelsFor + find / resolveRequestedModels)
//      vs a primary-key SELECT. Target: p99 < 10 µs.
//   2. admin listing with filters and keyset pages vs the same SQL sent raw. Target (the data core's): ≤ 1.2× raw.
//   3. importing 10,000 new models, re-importing them unchanged, then with 10 % changed, vs a raw multi-row
//      INSERT of the same rows (no history).
//   4. propagation of a committed registry.update to another process's cache. Target: ≤ 1 s (max).
// `npm run bench registry`. Figures print with PASS/MISS; a miss never fails the run.
import { setTimeout as sleep } from 'node:timers/promises';
import { resolveRequestedModels } from '../src/chat/model-selection.ts';
import { createChangeListener } from '../src/db/notifications.ts';
import { OFFLINE_MODEL } from '../src/models/catalog.ts';
import { isSelectableStatus } from '../src/models/model-schema.ts';
import { seedModels } from '../src/models/seed.ts';
import { createProviderRegistry } from '../src/providers/provider-registry.ts';
import { ModelCache } from '../src/registry/model-cache.ts';
import { MODEL_SOURCE_KEY, ModelSource, type ModelSourceSetting } from '../src/registry/model-source.ts';
import { type ModelListQuery, ModelRegistry } from '../src/registry/registry-service.ts';
import { type Actor, actorOf, createStore, type Store } from '../src/store/index.ts';
import { type BenchDatabase, openBenchDatabases } from './support/databases.ts';
import { formatNumber, printTable, type Timing } from './support/measure.ts';
import { BENCH_PROVIDERS } from './support/model-fixtures.ts';
import { median, type SyncTiming, timePaired, timeSyncCalls } from './support/paired-timing.ts';
import { openRawDriver, type RawDriver, StatementRecorder } from './support/raw-driver.ts';
import {
  createBaselineTable,
  type ImportSamples,
  measureImports,
  measurePropagation,
  type PropagationSamples,
  type WriteContext,
} from './support/registry-writes.ts';

const MODEL_COUNT = 10_000;
const TARGET = { lookupP99Us: 10, listRatio: 1.2, propagationMaxMs: 1_000 };
const LOOKUPS = { warmup: 50_000, iterations: 1_000_000, budgetMs: 4_000 };
/** Lookups that scan or copy the whole registry cost ~1,000× more: as many as fit in the budget. */
const SLOW_LOOKUPS = { warmup: 200, iterations: 1_000_000, budgetMs: 1_500 };
const DATABASE_LOOKUPS = { warmup: 200, iterations: 5_000, budgetMs: 1_500 };
const LISTING = { warmup: 20, iterations: 1_000, budgetMs: 1_500 };
const IMPORT_ROUNDS = 3;
/** Fewer changes at 10,000 models: each one reloads the whole registry (0.2–0.7 s). */
const PROPAGATION = { warmup: 3, changes: 50, changesAtScale: 20 };

type Row = (string | number)[];
type Context = WriteContext & { store: Store; recorder: StatementRecorder };

const verdict = (pass: boolean) => (pass ? 'PASS' : 'MISS');
const us = (value: number) => formatNumber(value, value < 10 ? 2 : 0);
const ms = (value: number) => formatNumber(value, value < 10 ? 2 : 1);
const ratio = (value: number) => `${formatNumber(value, value < 10 ? 2 : 0)}×`;
const pair = (timing: Timing, format: (value: number) => string) => `${format(timing.p50)} / ${format(timing.p99)}`;
const toMs = (timing: Timing): Timing => ({ ...timing, p50: timing.p50 / 1000, p99: timing.p99 / 1000 });

/** Random picks in [0, count), the same every run (xorshift32). */
function randomIndexes(length: number, count: number): Uint32Array {
  const picks = new Uint32Array(length);
  let state = 2_463_534_242;
  for (let index = 0; index < length; index++) {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    picks[index] = state % count;
  }
  return picks;
}

/** Sets models.source and waits until the source has heard of it. */
async function switchSource(store: Store, admin: Actor, source: ModelSource, setting: ModelSourceSetting) {
  await store.systemConfigs.set({ actor: admin, key: MODEL_SOURCE_KEY, value: setting });
  for (let waited = 0; source.current.mode !== setting.mode; waited += 5) {
    if (waited > 5_000) throw new Error(`models.source did not become ${setting.mode}`);
    await sleep(5);
  }
}

// 1. Lookups: the cache, and the chat path's use of it, against the primary-key SELECT through the same driver.
async function benchLookups({ database, store, admin, registry, raw, recorder }: Context) {
  const listener = createChangeListener(database);
  const cache = new ModelCache(store.models);
  await cache.start(listener);
  const source = new ModelSource({ cache, configs: store.systemConfigs, metrics: store.metrics });
  await source.start(listener);
  const providers = createProviderRegistry({
    CHORUS_PROVIDER_TIMEOUT_MS: 60_000,
    CHORUS_PROVIDER_MAX_RETRIES: 0,
    customProviders: BENCH_PROVIDERS.map((name) => ({ name, baseURL: 'http://127.0.0.1:9/v1', models: [] })),
  });
  try {
    const benchRows = cache.all().filter((model) => model.provider.startsWith('vendor-'));
    const ids = benchRows.map((model) => model.id);
    const selectable = benchRows.filter((model) => isSelectableStatus(model.status)).map((model) => model.id);
    const picks = randomIndexes(LOOKUPS.iterations, ids.length);
    const selectablePicks = randomIndexes(LOOKUPS.iterations, selectable.length);
    const randomId = (index: number) => ids[picks[index % picks.length]!]!;
    const randomSelectableId = (index: number) => selectable[selectablePicks[index % selectablePicks.length]!]!;

    const [primaryKeySelect] = await recorder.capture(() => registry.get(ids[0]!));
    const primaryKey = await timePaired(
      (index) => registry.get(randomId(index)),
      (index) => raw.run([{ query: primaryKeySelect!.query, params: [randomId(index)] }]),
      DATABASE_LOOKUPS,
    );
    const measures: [string, SyncTiming][] = [
      ['cache.get(id)', timeSyncCalls((index) => cache.get(randomId(index)), LOOKUPS)],
      [
        'modelSource.viewFor(user).byId.get(id)',
        timeSyncCalls((index) => source.viewFor(admin.id).byId.get(randomId(index)), SLOW_LOOKUPS),
      ],
      [
        'chat path: resolveRequestedModels(viewFor(user), [id])',
        timeSyncCalls(
          (index) => resolveRequestedModels(source.viewFor(admin.id), providers, [randomSelectableId(index)]),
          SLOW_LOOKUPS,
        ),
      ],
    ];
    await switchSource(store, admin, source, { mode: 'rollout', percentage: 50 });
    const people = Array.from({ length: 64 }, () => crypto.randomUUID());
    measures.push([
      'viewFor(user).byId.get(id), models.source rollout 50 %',
      timeSyncCalls((index) => source.viewFor(people[index & 63]!).byId.get(randomId(index)), SLOW_LOOKUPS),
    ]);
    await switchSource(store, admin, source, { mode: 'database' });

    const baseline = primaryKey.baseline;
    const label = database.label;
    const rows: Row[] = measures.map(([name, timing]) => [
      label,
      name,
      pair(timing, us),
      pair(baseline, us),
      ratio(baseline.p50 / timing.p50),
      `p99 < ${TARGET.lookupP99Us} µs`,
      verdict(timing.p99 < TARGET.lookupP99Us),
    ]);
    const viaDrizzle = primaryKey.system;
    const drizzleRow = ['registry.get(id) (drizzle, database)', pair(viaDrizzle, us), pair(baseline, us)];
    rows.push([label, ...drizzleRow, ratio(baseline.p50 / viaDrizzle.p50), '–', '']);
    const details: Row[] = measures.map(([name, timing]) => [
      label,
      name,
      formatNumber(timing.count),
      us(timing.p999),
      us(timing.max),
      formatNumber(timing.nsPerCallInBulk, 0),
    ]);
    const baselineCount = formatNumber(baseline.count);
    details.push([
      label,
      'primary-key SELECT, raw driver (mean of the timed calls)',
      baselineCount,
      '–',
      '–',
      formatNumber(baseline.mean * 1000, 0),
    ]);
    return { rows, details };
  } finally {
    await source.stop();
    await cache.stop();
    await listener.close();
  }
}

// 2. Listing: registry.list against the statement it sends, replayed raw; pages past the first come by cursor.
async function benchListing({ database, registry, raw, recorder }: Context): Promise<Row[]> {
  const cursorAfter = async (query: ModelListQuery, rows: number) => {
    let cursor: string | null = null;
    for (let seen = 0; seen < rows; seen += 50) {
      const page = await registry.list({ ...query, limit: 50, cursor });
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    return cursor;
  };
  const statusAndCapability: ModelListQuery = { status: 'active', capability: 'tools' };
  const deepCursor = await cursorAfter(statusAndCapability, 4_000);
  const everyFilter: ModelListQuery = { status: 'active', provider: 'vendor-03', capability: 'vision', search: 'pro' };
  const scenarios: [string, ModelListQuery][] = [
    ['status + provider + capability + search, first page', everyFilter],
    ['status + capability, first page', statusAndCapability],
    ['status + capability, page after row 4,000 (cursor)', { ...statusAndCapability, cursor: deepCursor }],
    ['search "turbo", first page', { search: 'turbo' }],
    ['no filter, page after row 9,000 (cursor)', { cursor: await cursorAfter({}, 9_000) }],
  ];
  const rows: Row[] = [];
  for (const [name, query] of scenarios) {
    const list = () => registry.list({ ...query, limit: 50 });
    const returned = (await list()).items.length;
    const statements = await recorder.capture(list);
    const result = await timePaired(list, () => raw.run(statements), LISTING);
    const listOverRaw = result.system.p50 / result.baseline.p50;
    rows.push([
      database.label,
      `${name} (${returned} rows)`,
      pair(toMs(result.system), ms),
      pair(toMs(result.baseline), ms),
      ratio(listOverRaw),
      `≤ ${TARGET.listRatio}× raw`,
      verdict(listOverRaw <= TARGET.listRatio),
    ]);
  }
  return rows;
}

// 3. Import figures as rows.
function importRows(label: string, samples: ImportSamples): Row[] {
  const rate = (values: number[]) => (MODEL_COUNT / median(values)) * 1000;
  const range = (values: number[]) => `${ms(median(values))} (${ms(Math.min(...values))}–${ms(Math.max(...values))})`;
  const rawRate = rate(samples.rawInsert);
  const row = (phase: string, values: number[]): Row => [
    label,
    phase,
    formatNumber(rate(values)),
    range(values),
    formatNumber(rawRate),
    ratio(rate(values) / rawRate),
  ];
  return [
    row(`${formatNumber(MODEL_COUNT)} new models`, samples.created),
    row('re-import, unchanged', samples.unchanged),
    row('re-import, 10 % changed', samples.changed),
    [
      label,
      'of which: validating the entries (zod, in memory)',
      formatNumber(rate(samples.validation)),
      range(samples.validation),
      '',
      '',
    ],
    row(`baseline: raw multi-row INSERT, no history (${samples.rawStatements} statements, 1 tx)`, samples.rawInsert),
  ];
}

// 4. Propagation figures as a row.
function propagationRow(label: string, registrySize: string, samples: PropagationSamples): Row {
  const max = Math.max(...samples.held);
  return [
    label,
    `${registrySize} (${formatNumber(samples.models)} models), ${samples.follower}, ${samples.held.length} changes`,
    `${ms(median(samples.heard))} / ${ms(Math.max(...samples.heard))}`,
    `${ms(median(samples.held))} / ${ms(max)}`,
    ms(median(samples.reloadMs)),
    `≤ ${formatNumber(TARGET.propagationMaxMs)} ms (max)`,
    verdict(max <= TARGET.propagationMaxMs),
  ];
}

async function benchOneDatabase(database: BenchDatabase, recorder: StatementRecorder, raw: RawDriver) {
  const store = createStore(database.db);
  const admin = actorOf(await store.users.create({ username: `bench-admin-${Date.now()}`, role: 'admin' }));
  const context: Context = { database, store, admin, registry: new ModelRegistry(store), raw, recorder };
  await seedModels(database.db);
  await createBaselineTable(database);
  // Where the suite's time goes, printed as it runs.
  const spent: string[] = [];
  const stage = async <T>(name: string, action: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const result = await action();
    spent.push(`${name} ${formatNumber((performance.now() - started) / 1000, 1)} s`);
    return result;
  };
  const watched = OFFLINE_MODEL.id;
  const label = database.label;
  const catalog = await stage('propagation', () => measurePropagation(context, watched, PROPAGATION));
  const imports = await stage('import', () => measureImports(context, MODEL_COUNT, IMPORT_ROUNDS));
  const lookups = await stage('lookups', () => benchLookups(context));
  const listing = await stage('listing', () => benchListing(context));
  const atScale = await stage('propagation', () =>
    measurePropagation(context, watched, { ...PROPAGATION, changes: PROPAGATION.changesAtScale }),
  );
  console.log(`${label}: ${spent.join(', ')}`);
  return {
    lookups,
    listing,
    imports: importRows(label, imports),
    propagation: [
      propagationRow(label, 'the shipped catalog', catalog),
      propagationRow(label, `${formatNumber(MODEL_COUNT)} more models`, atScale),
    ],
  };
}

export async function runRegistryBench(): Promise<void> {
  const recorder = new StatementRecorder();
  const databases = await openBenchDatabases(recorder);
  const results: Awaited<ReturnType<typeof benchOneDatabase>>[] = [];
  try {
    for (const database of databases) {
      const raw = openRawDriver(database);
      try {
        results.push(await benchOneDatabase(database, recorder, raw));
      } finally {
        await raw.close();
      }
    }
  } finally {
    for (const database of databases) await database.close();
  }
  printTable(
    `Registry lookups among ${formatNumber(MODEL_COUNT)} models, µs per lookup (random ids, each call timed alone)`,
    [
      'database',
      'lookup',
      'p50 / p99 µs',
      'primary-key SELECT, raw driver, p50 / p99 µs',
      'SELECT / lookup (p50)',
      'target',
      'result',
    ],
    results.flatMap((result) => result.lookups.rows),
  );
  printTable(
    'Registry lookups: tails, and the cost without the stopwatch',
    ['database', 'lookup', 'calls timed', 'p99.9 µs', 'max µs', 'mean ns, untimed loop'],
    results.flatMap((result) => result.lookups.details),
  );
  printTable(
    `Registry listing over ${formatNumber(MODEL_COUNT)} models, 50 a page: registry.list vs the same SQL, same driver`,
    ['database', 'query', 'registry.list ms p50 / p99', 'raw SQL ms p50 / p99', 'list / raw (p50)', 'target', 'result'],
    results.flatMap((result) => result.listing),
  );
  printTable(
    `Registry import of ${formatNumber(MODEL_COUNT)} models, one transaction each (median of ${IMPORT_ROUNDS} rounds)`,
    ['database', 'phase', 'models/s', 'ms (range)', 'raw INSERT rows/s', 'vs raw'],
    results.flatMap((result) => result.imports),
  );
  printTable(
    'Propagation of a committed registry.update to another cache (ms from update() returning; 0: heard before it returned)',
    [
      'database',
      'registry',
      'heard, median / max ms',
      'cache holds it, median / max ms',
      'reload ms (median)',
      'target',
      'result',
    ],
    results.flatMap((result) => result.propagation),
  );
}
