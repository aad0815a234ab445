// The most one reply may hold (CHORUS_MAX_REPLY_CHARS), whatever the conversation's own limit: a provider that
// streams without end must not grow one row, one stream log and one client's page without bound. Past it the
// reply is cut where the cap falls and its provider call is stopped; it is stored as complete, marked truncated.

export class ReplySizeCap {
  private received = 0;
  /** More came than the cap holds: the reply was cut. */
  reached = false;

  constructor(readonly maxChars: number) {}

  /** The part of a delta within the cap: all of it, some of it when it crosses the cap, '' once reached. */
  take(delta: string): string {
    if (this.reached) return '';
    const room = this.maxChars - this.received;
    if (delta.length <= room) {
      this.received += delta.length;
      return delta;
    }
    this.reached = true;
    // Never half of a surrogate pair: the cut falls before a pair that would straddle it.
    const end = room > 0 && isHighSurrogate(delta.charCodeAt(room - 1)) ? room - 1 : room;
    this.received += end;
    return delta.slice(0, end);
  }
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
