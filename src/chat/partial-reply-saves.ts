// The growing text of every streaming reply, saved as it grows (so a crash keeps what was said) on one shared clock:
// once an interval, the text of each reply that grew since is written, all of them in one statement (see
// ReplyStore.saveTexts) rather than one statement per reply. A reply is written at most once an interval, one write
// at a time; offering text never waits for the database (docs/performance.md, "Partial saves on one clock").
import { logError } from '../loggable-error.ts';
import type { ReplyStore, ReplyText } from '../store/replies.ts';

/** A growing reply is written to the database at most this often. */
export const PARTIAL_SAVE_INTERVAL_MS = 1_000;

/** Reads a reply's text as it stands: called when the write is made, not when the text is offered. */
export type CurrentText = () => ReplyText;

export class PartialReplySaves {
  /** The replies that grew since the last write, each with how to read its text then. */
  private readonly due = new Map<string, CurrentText>();
  private timer: NodeJS.Timeout | undefined;
  /** The write in flight (it never rejects: a failure is logged). */
  private writing: Promise<void> | undefined;

  constructor(
    private readonly replies: Pick<ReplyStore, 'saveTexts'>,
    private readonly intervalMs = PARTIAL_SAVE_INTERVAL_MS,
  ) {}

  /** The reply grew: its text is read and written with the others at the next write. */
  offer(messageId: string, current: CurrentText): void {
    this.due.set(messageId, current);
    this.schedule();
  }

  /**
   * The reply is about to write its end: nothing of it is written after this settles, so no late partial save can
   * overtake its end. Its waiting save is dropped (the end holds all of its text), and a write in flight awaited.
   */
  settle(messageId: string): Promise<void> {
    this.due.delete(messageId);
    return this.writing ?? Promise.resolve();
  }

  private schedule(): void {
    if (this.timer || this.writing || this.due.size === 0) return;
    this.timer = setTimeout(() => this.write(), this.intervalMs);
    // A shutdown does not wait for it: every running reply settles (and writes its end) first.
    this.timer.unref();
  }

  private write(): void {
    this.timer = undefined;
    // Every reply due may have ended meanwhile.
    if (this.due.size === 0) return;
    const growing = Array.from(this.due, ([id, current]) => ({ id, text: current() }));
    this.due.clear();
    this.writing = this.replies
      .saveTexts(growing)
      .catch((error) => logError(`saving the partial text of ${growing.length} replies failed`, error))
      .finally(() => {
        this.writing = undefined;
        this.schedule();
      });
  }
}
