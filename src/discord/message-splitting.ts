// A reply longer than one Discord message continues in the next: split at a paragraph, else a sentence, else a
// word, else anywhere, so that no piece passes the limit. A code block cut in two is closed at the end of one piece
// and reopened (with its language) at the start of the next, so each message renders as code where the reply does.
// Pure: the same text always splits the same way, and a piece that is followed by another never changes as the
// text grows (only the text inside its window decides where it ends), so a streaming reply edits only its last
// message.

/** Discord's limit on a message's content, in characters (UTF-16 code units, as JavaScript counts them). */
export const DISCORD_MESSAGE_LIMIT = 2_000;

const FENCE = '```';
const CLOSING_FENCE = `\n${FENCE}`;
/** A line that opens or closes a code block: three backticks, then the language (if any). */
const FENCE_LINE = /^[ \t]*```([^\s`]*)/;
/** A piece shorter than this share of its room is cut at a weaker boundary instead (no near-empty messages). */
const MIN_FILL = 0.5;

/** Splits `text` into pieces of at most `limit` characters each (see the module header). */
export function splitMessage(text: string, limit = DISCORD_MESSAGE_LIMIT): string[] {
  const pieces: string[] = [];
  let rest = text;
  /** The language of a code block the previous piece left open, reopened at the start of this one. */
  let reopened: string | null = null;
  for (;;) {
    const prefix = reopened === null ? '' : `${FENCE}${reopened}\n`;
    if (prefix.length + rest.length <= limit) {
      pieces.push(prefix + rest);
      return pieces;
    }
    // Room for the fence that may have to close this piece.
    const room = limit - prefix.length - CLOSING_FENCE.length;
    if (room < 16) throw new RangeError(`a limit of ${limit} characters leaves no room to split`);
    const cut = cutPoint(rest, room);
    const head = rest.slice(0, cut).trimEnd();
    const open = openFenceAfter(head, reopened);
    pieces.push(prefix + head + (open === null ? '' : CLOSING_FENCE));
    reopened = open;
    rest = rest
      .slice(cut)
      .replace(/^\s*\n/, '')
      .replace(/^ +/, '');
  }
}

/** Where to end a piece of at most `room` characters of `text`: after the best boundary in that window. */
export function cutPoint(text: string, room: number): number {
  const window = text.slice(0, room + 1);
  const least = Math.floor(room * MIN_FILL);
  const boundaries = [/\n[ \t]*\n/g, /[.!?]["')\]]?(?=\s)/g, /\n/g, /\s/g];
  for (const boundary of boundaries) {
    const end = lastBoundaryEnd(window, boundary, room);
    if (end !== null && end >= least) return end;
  }
  // No boundary: cut anywhere, though never between the two halves of a surrogate pair.
  const code = text.charCodeAt(room - 1);
  return code >= 0xd800 && code <= 0xdbff ? room - 1 : room;
}

/** The end of the last match of `boundary` in `window` that ends within `room` characters (the boundary kept). */
function lastBoundaryEnd(window: string, boundary: RegExp, room: number): number | null {
  let end: number | null = null;
  for (const match of window.matchAll(boundary)) {
    const matchEnd = match.index + match[0].length;
    if (matchEnd <= room && match.index > 0) end = matchEnd;
  }
  return end;
}

/**
 * The language ('' for none) of the code block still open at the end of `piece`, or null when none is; `openAt`
 * is the block open at its start.
 */
export function openFenceAfter(piece: string, openAt: string | null): string | null {
  let open = openAt;
  for (const line of piece.split('\n')) {
    const fence = FENCE_LINE.exec(line);
    if (!fence) continue;
    open = open === null ? fence[1]! : null;
  }
  return open;
}
