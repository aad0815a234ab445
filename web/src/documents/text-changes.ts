// Two ways the document panel shows changes to a text, as pure functions: a line diff between two versions, and a
// version's text cut around the suggestions made on it, so each shows where it would apply.

export type DiffLine = { change: 'same' | 'added' | 'removed'; text: string };

/** Past this many cells (changed lines of one side times the other's), the middle is shown as removed then added. */
const MAX_TABLE_CELLS = 4_000_000;

/**
 * The lines of `after` against those of `before`: kept, added or removed, in reading order (a change shows its
 * removed lines before its added ones). The common head and tail are matched first, then the middle by the
 * longest common subsequence.
 */
export function diffLines(before: string, after: string): DiffLine[] {
  const old = linesOf(before);
  const updated = linesOf(after);
  let head = 0;
  while (head < old.length && head < updated.length && old[head] === updated[head]) head += 1;
  let tail = 0;
  while (
    tail < old.length - head &&
    tail < updated.length - head &&
    old[old.length - 1 - tail] === updated[updated.length - 1 - tail]
  ) {
    tail += 1;
  }
  const same = (lines: string[]): DiffLine[] => lines.map((text) => ({ change: 'same', text }));
  return [
    ...same(old.slice(0, head)),
    ...diffMiddle(old.slice(head, old.length - tail), updated.slice(head, updated.length - tail)),
    ...same(old.slice(old.length - tail)),
  ];
}

/** An empty text has no lines (not one empty line). */
const linesOf = (text: string) => (text === '' ? [] : text.split('\n'));

function diffMiddle(old: string[], updated: string[]): DiffLine[] {
  const removed = (text: string): DiffLine => ({ change: 'removed', text });
  const added = (text: string): DiffLine => ({ change: 'added', text });
  if (old.length * updated.length > MAX_TABLE_CELLS) return [...old.map(removed), ...updated.map(added)];
  // common[i][j]: the longest common subsequence of old[i..] and updated[j..].
  const width = updated.length + 1;
  const common = new Uint32Array((old.length + 1) * width);
  for (let i = old.length - 1; i >= 0; i -= 1) {
    for (let j = updated.length - 1; j >= 0; j -= 1) {
      common[i * width + j] =
        old[i] === updated[j]
          ? common[(i + 1) * width + j + 1]! + 1
          : Math.max(common[(i + 1) * width + j]!, common[i * width + j + 1]!);
    }
  }
  const lines: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < old.length && j < updated.length) {
    if (old[i] === updated[j]) {
      lines.push({ change: 'same', text: old[i]! });
      i += 1;
      j += 1;
    } else if (common[(i + 1) * width + j]! >= common[i * width + j + 1]!) {
      lines.push(removed(old[i]!));
      i += 1;
    } else {
      lines.push(added(updated[j]!));
      j += 1;
    }
  }
  return [...lines, ...old.slice(i).map(removed), ...updated.slice(j).map(added)];
}

type Placeable = { id: string; originalText: string };

/** A piece of the text: plain, or the original text a suggestion would replace. */
export type TextPiece<Item extends Placeable> = { text: string; suggestion?: Item };

/**
 * The text cut into pieces around the suggestions, each at the first occurrence of its original text (where
 * accepting it applies it), earliest first; a suggestion whose text is not there, or overlaps one placed before
 * it, is among the `unplaced`.
 */
export function placeSuggestions<Item extends Placeable>(
  text: string,
  suggestions: readonly Item[],
): { pieces: TextPiece<Item>[]; unplaced: Item[] } {
  const found = suggestions
    .map((suggestion) => ({ suggestion, at: suggestion.originalText ? text.indexOf(suggestion.originalText) : -1 }))
    .sort((a, b) => a.at - b.at);
  const pieces: TextPiece<Item>[] = [];
  const unplaced: Item[] = [];
  let from = 0;
  for (const { suggestion, at } of found) {
    if (at < from) {
      unplaced.push(suggestion);
      continue;
    }
    if (at > from) pieces.push({ text: text.slice(from, at) });
    pieces.push({ text: suggestion.originalText, suggestion });
    from = at + suggestion.originalText.length;
  }
  if (from < text.length) pieces.push({ text: text.slice(from) });
  return { pieces, unplaced };
}
