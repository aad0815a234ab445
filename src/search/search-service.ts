// Searching one's own conversations, for every door: the query and its page checked, the hits ranked by the store,
// each with a snippet of the text around its match split into highlighted and plain runs, keyset-paged by rank.
import { AppError } from '../errors.ts';
import type { Actor } from '../store/actor.ts';
import type { Page } from '../store/pagination.ts';
import { HIGHLIGHT, type RawSearchHit, type SearchFilters, type SearchKey, type SearchStore } from '../store/search.ts';

export type { SearchFilters } from '../store/search.ts';

export const MAX_QUERY_LENGTH = 200;
export const DEFAULT_SEARCH_PAGE = 20;
export const MAX_SEARCH_PAGE = 50;

/** A run of a snippet's text: the words that matched are highlighted. */
export type SnippetRun = { text: string; highlighted: boolean };

export type SearchHit = Omit<RawSearchHit, 'rank' | 'marked'> & { snippet: SnippetRun[] };

export type SearchRequest = {
  actor: Actor;
  query: string;
  filters?: SearchFilters;
  limit?: number;
  cursor?: string | null;
};

export class SearchService {
  constructor(private readonly store: SearchStore) {}

  async search({ actor, query, filters = {}, limit, cursor }: SearchRequest): Promise<Page<SearchHit>> {
    const text = query.trim();
    if (text.length === 0) throw new AppError('invalid_input', 'q: say what to search for');
    if (text.length > MAX_QUERY_LENGTH) {
      throw new AppError('invalid_input', `q: at most ${MAX_QUERY_LENGTH} characters`);
    }
    if (filters.from && filters.to && filters.from >= filters.to) {
      throw new AppError('invalid_input', 'from must be before to');
    }
    const pageSize = Math.max(1, Math.min(MAX_SEARCH_PAGE, Math.trunc(limit ?? DEFAULT_SEARCH_PAGE)));
    const after = cursor ? decodeSearchCursor(cursor) : undefined;
    const rows = await this.store.search({ actor, query: text, filters, limit: pageSize + 1, after });
    const shown = rows.slice(0, pageSize);
    const last = shown.at(-1);
    return {
      items: shown.map(({ rank: _rank, marked, ...hit }) => ({ ...hit, snippet: snippetRuns(marked) })),
      nextCursor: rows.length > pageSize && last ? encodeSearchCursor({ rank: last.rank, id: last.id }) : null,
    };
  }
}

/** Splits text marked by the store into runs, joining neighbours of the same kind. */
export function snippetRuns(marked: string): SnippetRun[] {
  const runs: SnippetRun[] = [];
  let highlighted = false;
  let text = '';
  const flush = () => {
    if (text) runs.push({ text, highlighted });
    text = '';
  };
  for (const character of marked) {
    if (character === HIGHLIGHT.start || character === HIGHLIGHT.stop) {
      flush();
      highlighted = character === HIGHLIGHT.start;
    } else {
      text += character;
    }
  }
  flush();
  return runs;
}

const RANK = /^\d+(\.\d+)?(e-?\d+)?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function encodeSearchCursor(key: SearchKey): string {
  return Buffer.from(`${key.rank}|${key.id}`).toString('base64url');
}

export function decodeSearchCursor(cursor: string): SearchKey {
  const [rank, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!rank || !id || !RANK.test(rank) || !UUID.test(id)) {
    throw new AppError('invalid_input', 'cursor is not a cursor this server issued', { details: { cursor } });
  }
  return { rank, id };
}
