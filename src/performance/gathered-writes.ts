// Writes of one kind gathered into one statement while the one before is in flight: with nothing in flight a write
// goes at once, alone; under load, every write that arrives meanwhile goes with the next. A burst of replies
// ending together then costs the database a few statements instead of one each, and no write waits longer than
// the statement before it (docs/performance.md, "Replies ending together").

/** Writes a batch: what became of each item, in order (undefined: written; else why not). */
export type WriteAll<Item> = (items: Item[]) => Promise<unknown[]>;

type Waiting<Item> = { item: Item; resolve: () => void; reject: (error: unknown) => void };

export class GatheredWrites<Item> {
  private waiting: Waiting<Item>[] = [];
  private inFlight = false;

  constructor(private readonly writeAll: WriteAll<Item>) {}

  /** Settles when the item is written; rejects with its own failure, or with the whole batch's. */
  write(item: Item): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (!this.inFlight) void this.writeWaiting();
    });
  }

  private async writeWaiting(): Promise<void> {
    this.inFlight = true;
    while (this.waiting.length > 0) {
      const batch = this.waiting;
      this.waiting = [];
      try {
        const failures = await this.writeAll(batch.map((waiting) => waiting.item));
        batch.forEach((waiting, index) => {
          const failure = failures[index];
          if (failure === undefined) waiting.resolve();
          else waiting.reject(failure);
        });
      } catch (error) {
        for (const waiting of batch) waiting.reject(error);
      }
    }
    this.inFlight = false;
  }
}
