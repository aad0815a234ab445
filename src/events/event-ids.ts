// Event ids: `<milliseconds>-<sequence>`, the form of Redis stream ids, for both backends. They sort in the order
// events happened, carry the time they were made (so a too old id is recognised without a lookup), and the
// in-process backend's ids start after its start-up time, so an id from before a restart is known to be stale.

export type EventIdParts = { ms: number; seq: number };

const ID_PATTERN = /^(\d{1,15})-(\d{1,15})$/;

export function parseEventId(id: string): EventIdParts | null {
  const match = ID_PATTERN.exec(id);
  return match ? { ms: Number(match[1]), seq: Number(match[2]) } : null;
}

/** Orders two well-formed ids: negative when `a` came first. */
export function compareEventIds(a: string, b: string): number {
  const left = parseEventId(a)!;
  const right = parseEventId(b)!;
  return left.ms - right.ms || left.seq - right.seq;
}

export const millisecondsOf = (id: string): number => parseEventId(id)!.ms;

/** Hands out increasing ids in this process; `current` is the newest handed out (or the start-up floor). */
export class EventIdGenerator {
  private ms: number;
  private seq = 0;

  constructor(now = Date.now()) {
    this.ms = now;
  }

  next(now = Date.now()): string {
    if (now > this.ms) {
      this.ms = now;
      this.seq = 1;
    } else {
      this.seq += 1;
    }
    return this.current();
  }

  current(): string {
    return `${this.ms}-${this.seq}`;
  }
}
