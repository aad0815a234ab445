// Putting pages of a thread together: an older page goes before what is shown (a turn split across the two pages
// joined again), and a fresh newest page replaces the end of what is shown while the older pages stay. Pure.
import type { ChorusMessage } from '../types.ts';

/** `older` (the page before) followed by `shown`; replies of one turn on both sides of the cut become one turn. */
export function prependOlder(older: ChorusMessage[], shown: ChorusMessage[]): ChorusMessage[] {
  const known = new Set(shown.map((message) => message.id));
  const fresh = older.filter((message) => !known.has(message.id));
  const last = fresh.at(-1);
  const first = shown[0];
  const sameTurn =
    last?.role === 'assistant' &&
    first?.role === 'assistant' &&
    last.metadata?.parentId != null &&
    last.metadata.parentId === first.metadata?.parentId;
  if (!last || !first || !sameTurn) return [...fresh, ...shown];
  return [...fresh.slice(0, -1), { ...last, parts: [...last.parts, ...first.parts] }, ...shown.slice(1)];
}

/**
 * `shown` with its end replaced by `newest` (a refetched newest page). They are joined at the first person's
 * message both hold; without one (everything on the page is new) only the newest page remains, and `keptOlder`
 * says so, for the caller to page from the newest page's own cursor again.
 */
export function withNewestPage(
  shown: ChorusMessage[],
  newest: ChorusMessage[],
): { messages: ChorusMessage[]; keptOlder: boolean } {
  for (const [index, message] of newest.entries()) {
    if (message.role !== 'user') continue;
    const at = shown.findIndex((candidate) => candidate.id === message.id);
    if (at >= 0) return { messages: [...shown.slice(0, at), ...newest.slice(index)], keptOlder: true };
  }
  return { messages: newest, keptOlder: false };
}
