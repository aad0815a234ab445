// Admission control for setting up turns: at most `concurrency` set-ups run at once and the others wait their turn,
// first come first served; past `queueLimit` waiting, a request is refused at once (503 with Retry-After).
// Why: setting up a turn is a dozen database statements and some CPU. Thousands started at once all advance
// together, so none reaches its provider — and none starts streaming — until nearly all have, while each holds its
// memory and the starved event loop trips timeouts. Taken a few at a time, the first replies stream at once and
// the rest follow at the rate the server can really set them up. Only the set-up waits here: streaming does not.
// A set-up that never settles (a database that stopped answering) would hold its place for ever, and enough of them
// every place: each has `timeoutMs` to finish, then fails and its place goes to the next.
import { AppError } from '../errors.ts';

export type SetupAdmissionOptions = {
  /** Set-ups that run at the same time (CHORUS_MAX_CONCURRENT_SETUPS). */
  concurrency: number;
  /** Set-ups that may wait; one more is refused (CHORUS_MAX_QUEUED_SETUPS). */
  queueLimit: number;
  /** What a refused client is told to wait before trying again. */
  retryAfterSeconds?: number;
  /** How long a set-up may run before it fails and gives up its place (CHORUS_SETUP_TIMEOUT_MS). */
  timeoutMs?: number;
};

const DEFAULT_TIMEOUT_MS = 30_000;

type Waiter = { admit: () => void };

export class SetupAdmission {
  private running = 0;
  // A queue as an array and the index of its head: shifting a 10,000-long array per admission would be wasteful.
  private waiting: (Waiter | null)[] = [];
  private head = 0;
  private queued = 0;

  constructor(private readonly options: SetupAdmissionOptions) {
    if (!(options.concurrency >= 1)) throw new RangeError('concurrency must be at least 1');
  }

  /**
   * Runs `setUp` once admitted. A `signal` that aborts while it waits takes it out of the queue (nothing ran). A
   * set-up still running after the timeout fails as unavailable, and what it does afterwards is let be.
   */
  async run<Result>(setUp: () => Promise<Result>, signal?: AbortSignal): Promise<Result> {
    await this.admission(signal);
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    let timer: NodeJS.Timeout | undefined;
    let running: Promise<Result> | undefined;
    try {
      running = setUp();
      const overdue = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(this.overdue(timeoutMs)), timeoutMs);
      });
      return await Promise.race([running, overdue]);
    } finally {
      clearTimeout(timer);
      // Once overdue, its outcome has no one to go to: a failure then is no unhandled rejection.
      running?.catch(() => {});
      this.release();
    }
  }

  /** Set-ups running now, and waiting. */
  get load(): { running: number; queued: number } {
    return { running: this.running, queued: this.queued };
  }

  private admission(signal?: AbortSignal): Promise<void> | void {
    signal?.throwIfAborted();
    if (this.running < this.options.concurrency && this.queued === 0) {
      this.running++;
      return;
    }
    if (this.queued >= this.options.queueLimit) throw this.overloaded();
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const index = this.waiting.indexOf(waiter, this.head);
        if (index !== -1) {
          this.waiting[index] = null;
          this.queued--;
        }
        reject(signal!.reason);
      };
      const waiter: Waiter = {
        admit: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(waiter);
      this.queued++;
    });
  }

  /** The slot passes straight to the next in line, so a newcomer never overtakes someone waiting. */
  private release(): void {
    const next = this.dequeue();
    if (next) next.admit();
    else this.running--;
  }

  private dequeue(): Waiter | undefined {
    while (this.head < this.waiting.length) {
      const waiter = this.waiting[this.head];
      this.waiting[this.head++] = null;
      if (waiter) {
        this.queued--;
        this.compact();
        return waiter;
      }
    }
    this.compact();
    return undefined;
  }

  private compact(): void {
    if (this.head === this.waiting.length) {
      this.waiting = [];
      this.head = 0;
    } else if (this.head > 1_024 && this.head * 2 > this.waiting.length) {
      this.waiting = this.waiting.slice(this.head);
      this.head = 0;
    }
  }

  private overdue(timeoutMs: number): AppError {
    return new AppError('unavailable', `setting up the reply did not finish within ${timeoutMs / 1000} s; try again`);
  }

  private overloaded(): AppError {
    const retryAfterSeconds = this.options.retryAfterSeconds ?? 5;
    return new AppError(
      'unavailable',
      `the server is busy setting up other replies; try again in ${retryAfterSeconds} s`,
      {
        retryAfterSeconds,
      },
    );
  }
}
