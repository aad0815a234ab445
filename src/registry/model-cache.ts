// Every server process keeps the whole registry in memory (a few hundred rows at most), so listing models,
// choosing them for a message and pricing a reply never wait on the database. A change committed by any process
// is announced on the `models` channel (db/notifications.ts) and every process reloads: all rows, one reload at
// a time, with announcements that arrive during a reload folded into one more.
import { EventEmitter } from 'node:events';
import { asc } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { type ChangeListener, CHANNELS, type Unlisten } from '../db/notifications.ts';
import { models } from '../db/schema/index.ts';

export type ModelRow = typeof models.$inferSelect;

export class ModelCache {
  private rows: readonly ModelRow[] = [];
  private byId = new Map<string, ModelRow>();
  /** Bumped on every reload, so derived values (say, a rollout comparison) know when to recompute. */
  generation = 0;
  private stale = false;
  private reloading: Promise<void> | null = null;
  private unlisten: Unlisten | null = null;
  private readonly events = new EventEmitter();

  constructor(private readonly db: Database) {}

  /** Loads the registry and follows announced changes from then on. */
  async start(listener: ChangeListener): Promise<void> {
    // Listening before the first load, so no change slips in between.
    this.unlisten = await listener.listen(CHANNELS.models, () => void this.refresh(), afterReconnect(() => void this.refresh()));
    await this.load();
  }

  async stop(): Promise<void> {
    await this.unlisten?.();
    await this.reloading;
  }

  /** Every model, whatever its status, in the registry's order (sort order, then id). */
  all(): readonly ModelRow[] {
    return this.rows;
  }

  get(id: string): ModelRow | undefined {
    return this.byId.get(id);
  }

  /**
   * Reloads now (a change this process just committed is then visible to its very next read); concurrent calls
   * share the reload in flight and, if they came in during it, one more after it.
   */
  refresh(): Promise<void> {
    this.stale = true;
    this.reloading ??= (async () => {
      try {
        while (this.stale) {
          this.stale = false;
          await this.load();
        }
      } catch (error) {
        // Keep serving the last good registry; the next announcement tries again.
        console.error('reloading the model registry failed', error);
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

  private async load(): Promise<void> {
    const rows = await this.db.select().from(models).orderBy(asc(models.sortOrder), asc(models.id));
    this.rows = rows;
    this.byId = new Map(rows.map((row) => [row.id, row]));
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
