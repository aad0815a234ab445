// A new conversation's title, from the first thing said: immediate, free, and never a provider call.
const MAX_TITLE_LENGTH = 60;

export function titleFromText(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (!flat) return 'New conversation';
  if (flat.length <= MAX_TITLE_LENGTH) return flat;
  const cut = flat.slice(0, MAX_TITLE_LENGTH);
  const lastSpace = cut.lastIndexOf(' ');
  return `${(lastSpace > MAX_TITLE_LENGTH / 2 ? cut.slice(0, lastSpace) : cut).trimEnd()}…`;
}
