// A reply limit in characters (280 by default in the group modes: see turn-plan.ts). Models are told the limit; one
// that still runs over is cut at the last word boundary within it. While streaming, the trailing partial word is
// held back, so what a reader has seen is never taken back by the cut.

/** `text` if within `limit`; else its longest prefix within `limit` that ends at a word boundary. */
export function cutAtWordBoundary(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const window = text.slice(0, limit + 1);
  const boundary = lastWordBoundary(window);
  // One word longer than the whole limit: nothing better than a hard cut.
  return boundary > 0 ? window.slice(0, boundary) : text.slice(0, limit);
}

/** Where the last run of whitespace starts (-1: none): the text before it ends at a word boundary. */
function lastWordBoundary(text: string): number {
  return text.search(/\s+\S*$/);
}

/** A growing reply under a limit (or none): what may be shown of each delta, and whether it was cut. */
export class CharLimitedText {
  private full = '';
  private shown = 0;
  truncated = false;

  constructor(private readonly limit: number | null) {}

  /** Adds a delta from the model; returns the part that may be shown now ('' when none). */
  push(delta: string): string {
    if (this.truncated) return '';
    this.full += delta;
    if (this.limit === null) return this.showUpTo(this.full.length);
    if (this.full.length > this.limit) {
      this.full = cutAtWordBoundary(this.full, this.limit);
      this.truncated = true;
      return this.showUpTo(this.full.length);
    }
    // Up to the last word boundary: the word after it may yet be cut.
    return this.showUpTo(lastWordBoundary(this.full));
  }

  /** The reply ended: the rest that was held back. */
  flush(): string {
    return this.showUpTo(this.full.length);
  }

  /** Everything kept so far (with a limit: never over it). */
  get text(): string {
    return this.full;
  }

  private showUpTo(end: number): string {
    if (end <= this.shown) return '';
    const part = this.full.slice(this.shown, end);
    this.shown = end;
    return part;
  }
}

/** What a model is told about the limit, in its instructions. */
export const charLimitInstruction = (limit: number) =>
  `Keep your reply within ${limit} characters; anything longer is cut off.`;
