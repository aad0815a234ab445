// Every server process keeps the whole registry in memory, so listing models, choosing them for a message and
// pricing a reply never wait on the database. A change committed by any process is announced on the `models`
// channel (db/notifications.ts) with the model's id, and every process reloads that row (all rows for `*` or after
// a reconnect) — one reload at a time, announcements that arrive meanwhile folded into the next.
import { EventEmitter } from 'node:events';
import { CHANNELS, type ChangeListener, type Unlisten } from '../db/notifications.ts';
import { logError } from '../loggable-error.ts';
import type { ModelRow, ModelStore } from '../store/models.ts';

export type { ModelRow } from '../store/models.ts';

/** The models one reader sees: in order, and by id. Replaced, never changed, so a reader may keep it for a request. */
export type ModelView = {
  readonly all: readonly ModelRow[];
  readonly byId: ReadonlyMap<string, ModelRow>;
  /** The models the reader may not use (registry/model-access.ts); none when absent. */
  readonly denied?: ReadonlySet<string>;
};

const EVERY_MODEL = '*';

const inRegistryOrder = (left: ModelRow, right: ModelRow) =>
  left.sortOrder - right.sortOrder || (left.id < right.id ? -1 : left.id > right.id ? 1 : 0);

export class ModelCache {
  private current: ModelView = { all: [], byId: new Map() };
  /** Bumped on every reload, so derived values (say, a rollout comparison) know when to recompute. */
  generation = 0;
  private everything = false;
  private readonly changedIds = new Set<string>();
  private reloading: Promise<void> | null = null;
  private unlisten: Unlisten | null = null;
  private readonly events = new EventEmitter();

  constructor(private readonly models: ModelStore) {}

  /** Loads the registry and follows announced changes from then on. */
  async start(listener: ChangeListener): Promise<void> {
    // Listening before the first load, so no change slips in between.
    this.unlisten = await listener.listen(
      CHANNELS.models,
      (id) => void this.refresh(id),
      afterReconnect(() => void this.refresh()),
    );
    await this.loadAll();
  }

  async stop(): Promise<void> {
    await this.unlisten?.();
    await this.reloading;
  }

  /** Every model, whatever its status, in the registry's order (sort order, then id), and by id. */
  get view(): ModelView {
    return this.current;
  }

  /** Every model, whatever its status, in the registry's order (sort order, then id). */
  all(): readonly ModelRow[] {
    return this.current.all;
  }

  get(id: string): ModelRow | undefined {
    return this.current.byId.get(id);
  }

  /**
   * Reloads one model (or, without an id, all of them) now: a change this process just committed is then visible
   * to its very next read. Concurrent calls share the reload in flight and, if they came in during it, one more.
   */
  refresh(id: string = EVERY_MODEL): Promise<void> {
    if (id === EVERY_MODEL) this.everything = true;
    else this.changedIds.add(id);
    this.reloading ??= (async () => {
      try {
        while (this.everything || this.changedIds.size > 0) {
          const ids = [...this.changedIds];
          this.changedIds.clear();
          if (this.everything) {
            this.everything = false;
            await this.loadAll();
          } else {
            await this.loadSome(ids);
          }
        }
      } catch (error) {
        // Keep serving the last good registry; the next announcement tries again.
        logError('reloading the model registry failed', error);
      } finally {
        this.reloading = null;
      }
    })();
    return this.reloading;
  }

  /** Runs `onReload` after each reload (tests and derived caches). */
  onReload(onReload: () => void): () => void {
    this.events.on('reload', onReload);
    return () => this.events.off('reload', onReload);
  }

  private async loadAll(): Promise<void> {
    // Sorted here, not by the database, so the order is the same however the cache was last filled.
    const rows = (await this.models.all()).sort(inRegistryOrder);
    this.replace(rows, new Map(rows.map((row) => [row.id, row])));
  }

  /** One query for the changed rows; the others stay as they are (a model missing now was deleted). */
  private async loadSome(ids: string[]): Promise<void> {
    const rows = await this.models.withIds(ids);
    const byId = new Map(this.current.byId);
    for (const id of ids) byId.delete(id);
    for (const row of rows) byId.set(row.id, row);
    this.replace([...byId.values()].sort(inRegistryOrder), byId);
  }

  private replace(all: ModelRow[], byId: Map<string, ModelRow>) {
    this.current = { all, byId };
    this.generation += 1;
    this.events.emit('reload');
  }
}

/** Runs `action` each time listening starts again after a dropped connection (announcements may have been missed). */
export function afterReconnect(action: () => void): () => void {
  let first = true;
  return () => {
    if (first) first = false;
    else action();
  };
}
