// A person's saved prompts (GET /api/prompts), kept for the page: the composer's `/` menu shows them at once and
// refreshes them as it opens; Settings changes them and drops what is kept.
import { apiRequest } from '../api.ts';
import type { ResponseBody } from '../types.ts';

export type SavedPrompt = ResponseBody<'/api/prompts', 'get'>['items'][number];

let kept: SavedPrompt[] | null = null;

export function keptPrompts(): SavedPrompt[] | null {
  return kept;
}

export async function loadPrompts(): Promise<SavedPrompt[]> {
  const { items } = await apiRequest<{ items: SavedPrompt[] }>('GET', '/api/prompts');
  kept = items;
  return items;
}

/** The prompts whose name holds `query` (any case), those it begins first; every prompt for an empty query. */
export function promptsMatching(prompts: readonly SavedPrompt[], query: string): SavedPrompt[] {
  const wanted = query.toLowerCase();
  const matching = prompts.filter((prompt) => prompt.name.toLowerCase().includes(wanted));
  const starts = (prompt: SavedPrompt) => (prompt.name.toLowerCase().startsWith(wanted) ? 0 : 1);
  return matching.sort((a, b) => starts(a) - starts(b) || a.name.localeCompare(b.name));
}
