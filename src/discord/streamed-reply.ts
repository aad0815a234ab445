// One model's reply as Discord messages, written while it streams: its first words are posted as soon as they come,
// then the message is edited with what followed, at most once per edit interval per message (Discord's rate limits
// and readers' eyes both prefer few edits); text past one message continues in the next (message-splitting.ts).
// Writes go out one at a time, in order, so messages appear in the reply's order and an edit never overtakes the
// post it edits. Discord's own rate limits and retries are the REST client's (discord.js).
import { logError } from '../loggable-error.ts';
import { splitMessage } from './message-splitting.ts';

/** Where a reply's messages go, under its author's name: a channel webhook, or the bot with a header line. */
export interface ReplyVoice {
  /** The characters a message leaves for the reply's own text. */
  readonly room: number;
  /** Posts a message; returns its id. */
  post(text: string): Promise<string>;
  edit(messageId: string, text: string): Promise<void>;
}

export type StreamedReplyObserver = {
  /** The reply's first words are visible in the channel, in this Discord message. */
  firstVisible?(discordMessageId: string): void;
  /** A message was edited. */
  edited?(): void;
  /** Discord refused a write, after the REST client's own retries. */
  failed?(error: unknown): void;
};

/** At most one edit of each message this often. */
export const EDIT_INTERVAL_MS = 1_000;

/** Shown for a reply that ended with no text at all. */
const EMPTY_REPLY = '*(no reply)*';

type PostedMessage = { id: string; shown: string; writtenAt: number };

export class StreamedReply {
  private text = '';
  private readonly messages: PostedMessage[] = [];
  private writing = false;
  private again = false;
  private wakeTimer: NodeJS.Timeout | null = null;
  private finished = false;
  private broken = false;
  private settle: (() => void) | null = null;
  private readonly settled = new Promise<void>((resolve) => {
    this.settle = resolve;
  });

  constructor(
    private readonly voice: ReplyVoice,
    private readonly observer: StreamedReplyObserver = {},
    private readonly editIntervalMs = EDIT_INTERVAL_MS,
  ) {}

  /** More of the reply's text. */
  append(text: string): void {
    if (this.finished || text === '') return;
    this.text += text;
    void this.write();
  }

  /**
   * The reply has ended, with `ending` (a short line saying why it stopped, if it did not end well) after its text;
   * settles once its last words are visible (or Discord refused them).
   */
  finish(ending?: string): Promise<void> {
    if (!this.finished) {
      this.finished = true;
      if (ending) this.text = this.text.trim() ? `${this.text}\n${ending}` : ending;
      if (!this.text.trim()) this.text = EMPTY_REPLY;
      void this.write();
    }
    return this.settled;
  }

  /** Brings the channel up to the text: runs one writer at a time; a call meanwhile makes it look again. */
  private async write(): Promise<void> {
    if (this.writing) {
      this.again = true;
      return;
    }
    this.writing = true;
    try {
      do {
        this.again = false;
        await this.writeDue();
      } while (this.again && !this.broken);
    } finally {
      this.writing = false;
    }
    if (this.finished && (this.broken || this.upToDate())) this.settle?.();
  }

  private async writeDue(): Promise<void> {
    const pieces = this.text.trim() ? splitMessage(this.text, this.voice.room) : [];
    let nextDueAt = Number.POSITIVE_INFINITY;
    for (const [index, piece] of pieces.entries()) {
      const posted = this.messages[index];
      // A piece followed by another is final: posted at once, edited as soon as its interval allows.
      if (!posted) {
        if (!(await this.attempt(() => this.post(piece)))) return;
        continue;
      }
      if (posted.shown === piece) continue;
      const dueAt = posted.writtenAt + this.editIntervalMs;
      if (dueAt > Date.now()) {
        nextDueAt = Math.min(nextDueAt, dueAt);
        continue;
      }
      if (!(await this.attempt(() => this.edit(posted, piece)))) return;
    }
    if (nextDueAt !== Number.POSITIVE_INFINITY) this.wakeAt(nextDueAt);
  }

  private async post(piece: string): Promise<void> {
    const id = await this.voice.post(piece);
    this.messages.push({ id, shown: piece, writtenAt: Date.now() });
    if (this.messages.length === 1) this.observer.firstVisible?.(id);
  }

  private async edit(posted: PostedMessage, piece: string): Promise<void> {
    posted.writtenAt = Date.now();
    await this.voice.edit(posted.id, piece);
    posted.shown = piece;
    this.observer.edited?.();
  }

  /** A write Discord refused stops the reply's writing: what was shown stays, nothing is sent twice. */
  private async attempt(write: () => Promise<void>): Promise<boolean> {
    try {
      await write();
      return true;
    } catch (error) {
      this.broken = true;
      this.observer.failed?.(error);
      logError('a Discord reply could not be written', error);
      return false;
    }
  }

  private wakeAt(time: number): void {
    if (this.wakeTimer) return;
    this.wakeTimer = setTimeout(
      () => {
        this.wakeTimer = null;
        void this.write();
      },
      Math.max(0, time - Date.now()),
    );
  }

  private upToDate(): boolean {
    const pieces = splitMessage(this.text, this.voice.room);
    return (
      pieces.length === this.messages.length && pieces.every((piece, index) => this.messages[index]!.shown === piece)
    );
  }
}
