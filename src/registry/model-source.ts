// Where model reads come from, so that moving from the shipped file to the database can expand, compare and then
// contract: system config `models.source` says
// `static` (the shipped catalog file), `database` (the registry), or `rollout` with a percentage — a stable hash
// of the user id puts each person in a bucket, and the buckets below the percentage read the database. While
// rolling out, both sources are read and every difference between them is logged and counted, so an operator can
// see the database agree with the file before going to 100 %. Changing the flag needs no restart: the change is
// announced like a model change.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { CHANNELS, type ChangeListener, type Unlisten } from '../db/notifications.ts';
import { logError } from '../loggable-error.ts';
import { OFFLINE_MODEL, readCatalog } from '../models/catalog.ts';
import type { ModelDefinition } from '../models/model-schema.ts';
import type { MetricStore } from '../store/metrics.ts';
import type { SystemConfigStore } from '../store/system-configs.ts';
import type { ModelAccessPolicy } from './model-access.ts';
import { afterReconnect, type ModelCache, type ModelRow, type ModelView } from './model-cache.ts';

export const MODEL_SOURCE_KEY = 'models.source';

export const modelSourceSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('static') }),
  z.object({ mode: z.literal('database') }),
  z.object({ mode: z.literal('rollout'), percentage: z.number().min(0).max(100) }),
]);
export type ModelSourceSetting = z.infer<typeof modelSourceSchema>;

/** Models are data: with no setting, the registry is the source. */
export const DEFAULT_MODEL_SOURCE: ModelSourceSetting = { mode: 'database' };

const BUCKETS = 10_000;

/** A person's rollout bucket in [0, 100): the same on every process and every day, spread evenly. */
export function rolloutBucket(userId: string): number {
  const digest = createHash('sha256').update(userId).digest();
  return (digest.readUInt32BE(0) % BUCKETS) / (BUCKETS / 100);
}

export function readsFromDatabase(setting: ModelSourceSetting, userId: string | null): boolean {
  if (setting.mode !== 'rollout') return setting.mode === 'database';
  // Anonymous readers have no stable bucket; they stay on the safe side until the rollout completes.
  return userId !== null && rolloutBucket(userId) < setting.percentage;
}

/** The fields whose disagreement between the file and the database matters to a reader. */
const COMPARED_FIELDS = [
  'name',
  'displayName',
  'status',
  'contextWindow',
  'maxOutputTokens',
  'pricing',
  'capabilities',
] as const;

export type SourceDifference = { modelId: string; field: string; file: unknown; database: unknown };

/** Every difference between the file's models and the database's, model by model, field by field. */
export function compareSources(fromFile: readonly ModelRow[], fromDatabase: readonly ModelRow[]): SourceDifference[] {
  const database = new Map(fromDatabase.map((model) => [model.id, model]));
  const file = new Map(fromFile.map((model) => [model.id, model]));
  const differences: SourceDifference[] = [];
  for (const [modelId, model] of file) {
    const other = database.get(modelId);
    if (!other) {
      differences.push({ modelId, field: '(model)', file: 'present', database: 'missing' });
      continue;
    }
    for (const field of COMPARED_FIELDS) {
      if (JSON.stringify(model[field] ?? null) !== JSON.stringify(other[field] ?? null)) {
        differences.push({ modelId, field, file: model[field] ?? null, database: other[field] ?? null });
      }
    }
  }
  for (const modelId of database.keys()) {
    if (!file.has(modelId)) differences.push({ modelId, field: '(model)', file: 'missing', database: 'present' });
  }
  return differences;
}

const EPOCH = new Date(0);

/** The shipped file as registry rows (version 0: not a registry version). */
export function staticModelRows(definitions: ModelDefinition[] = [OFFLINE_MODEL, ...readCatalog()]): ModelRow[] {
  return definitions.map((definition) => ({
    displayName: null,
    family: null,
    avatar: null,
    description: null,
    maxOutputTokens: null,
    releaseDate: null,
    knowledgeCutoff: null,
    source: null,
    ...definition,
    version: 0,
    createdAt: EPOCH,
    updatedAt: EPOCH,
  }));
}

/** How often the count of reads that met a difference is written to the metrics table. */
const METRIC_FLUSH_MS = 60_000;

export type ModelSourceDependencies = {
  cache: ModelCache;
  configs: SystemConfigStore;
  metrics: MetricStore;
  log?: (line: string) => void;
  /** The file's models; by default the shipped catalog and the offline model. */
  staticModels?: ModelRow[];
  /** Who may use which model; everyone every model without it. */
  access?: Pick<ModelAccessPolicy, 'deniedFor'>;
};

/** The models a given person sees, from whichever source the flag picks for them. */
export class ModelSource {
  private setting: ModelSourceSetting = DEFAULT_MODEL_SOURCE;
  private readonly fileModels: ModelRow[];
  private comparedAt = -1;
  /** The file's models the database also has, as of a cache generation (a message must name a model row). */
  private fileView: { generation: number; view: ModelView } | null = null;
  private differences: SourceDifference[] = [];
  private readsWithDifferences = 0;
  private unlisten: Unlisten | null = null;
  private flushTimer: NodeJS.Timeout | null = null;

  constructor(private readonly dependencies: ModelSourceDependencies) {
    this.fileModels = dependencies.staticModels ?? staticModelRows();
  }

  async start(listener: ChangeListener): Promise<void> {
    this.unlisten = await listener.listen(
      CHANNELS.config,
      (key) => {
        if (key === MODEL_SOURCE_KEY) void this.loadSetting();
      },
      afterReconnect(() => void this.loadSetting()),
    );
    await this.loadSetting();
    this.flushTimer = setInterval(() => void this.flushMetrics(), METRIC_FLUSH_MS);
    this.flushTimer.unref();
  }

  async stop(): Promise<void> {
    if (this.flushTimer) clearInterval(this.flushTimer);
    await this.unlisten?.();
    await this.flushMetrics();
  }

  get current(): ModelSourceSetting {
    return this.setting;
  }

  /** Every model (any status) that `userId` reads, in order and by id; null for anonymous readers. */
  viewFor(userId: string | null): ModelView {
    const { cache } = this.dependencies;
    if (this.setting.mode === 'rollout') this.noteDifferences(cache.all());
    const view = readsFromDatabase(this.setting, userId) ? cache.view : this.fileModelsKnownToDatabase();
    const denied = this.dependencies.access?.deniedFor(userId);
    return denied && denied.size > 0 ? { ...view, denied } : view;
  }

  /** Every model (any status) that `userId` reads, in order. */
  modelsFor(userId: string | null): readonly ModelRow[] {
    return this.viewFor(userId).all;
  }

  /** The differences found at the last comparison (rollout mode only). */
  get lastDifferences(): readonly SourceDifference[] {
    return this.differences;
  }

  private fileModelsKnownToDatabase(): ModelView {
    const { cache } = this.dependencies;
    if (this.fileView?.generation !== cache.generation) {
      const all = this.fileModels.filter((model) => cache.get(model.id) !== undefined);
      this.fileView = {
        generation: cache.generation,
        view: { all, byId: new Map(all.map((model) => [model.id, model])) },
      };
    }
    return this.fileView.view;
  }

  private noteDifferences(fromDatabase: readonly ModelRow[]) {
    const { cache, log } = this.dependencies;
    if (this.comparedAt !== cache.generation) {
      this.comparedAt = cache.generation;
      this.differences = compareSources(this.fileModels, fromDatabase);
      for (const difference of this.differences) {
        log?.(
          `models.source rollout: ${difference.modelId} ${difference.field} differs ` +
            `(file ${JSON.stringify(difference.file)}, database ${JSON.stringify(difference.database)})`,
        );
      }
    }
    if (this.differences.length > 0) this.readsWithDifferences += 1;
  }

  private async loadSetting(): Promise<void> {
    try {
      const stored = await this.dependencies.configs.get(MODEL_SOURCE_KEY);
      const parsed = modelSourceSchema.safeParse(stored?.value ?? DEFAULT_MODEL_SOURCE);
      if (!parsed.success) {
        this.dependencies.log?.(`ignoring an invalid ${MODEL_SOURCE_KEY}: ${parsed.error.message}`);
        return;
      }
      this.setting = parsed.data;
      this.comparedAt = -1;
    } catch (error) {
      logError(`reading ${MODEL_SOURCE_KEY} failed`, error);
    }
  }

  private async flushMetrics(): Promise<void> {
    if (this.readsWithDifferences === 0) return;
    const reads = this.readsWithDifferences;
    this.readsWithDifferences = 0;
    try {
      await this.dependencies.metrics.record({
        clientBotId: 'server',
        metricType: 'models.source.differences',
        metricData: { readsWithDifferences: reads, differences: this.differences.length, setting: this.setting },
      });
    } catch (error) {
      this.readsWithDifferences += reads;
      logError('recording model source differences failed', error);
    }
  }
}
