// Searching one's conversations from the sidebar: Ctrl+K (⌘K on a Mac) focuses the box from anywhere; hits show
// the conversation and the text around the match, its matched words marked; choosing one opens the conversation at
// that message (its address carries the message as #m-<id>, which the chat view scrolls to).
import { useCallback, useEffect, useRef, useState } from 'react';
import { apiRequest } from '../api.ts';
import { conversationPath, navigate } from '../router.ts';
import type { Page, SearchHit } from '../types.ts';

const PAGE_SIZE = 20;
/** Typing pauses this long before a search is sent. */
const TYPING_PAUSE_MS = 250;

type Props = {
  /** Whether a search is shown (the conversation list then makes way for the hits). */
  onActiveChange: (active: boolean) => void;
  /** Ctrl+K was pressed: the sidebar must be on screen (a drawer on a phone). */
  onShortcut: () => void;
  /** A hit was chosen. */
  onChosen: () => void;
};

export const messageAnchor = (messageId: string) => `m-${messageId}`;

export function SearchBox({ onActiveChange, onShortcut, onChosen }: Props) {
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<SearchHit[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const latestQuery = useRef('');
  const active = query.trim().length > 0;

  useEffect(() => onActiveChange(active), [active, onActiveChange]);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        onShortcut();
        input.current?.focus();
        input.current?.select();
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [onShortcut]);

  const load = useCallback(async (text: string, cursor: string | null) => {
    setLoading(true);
    try {
      const params = new URLSearchParams({ q: text, limit: String(PAGE_SIZE), ...(cursor ? { cursor } : {}) });
      const page = await apiRequest<Page<SearchHit>>('GET', `/api/search?${params}`);
      // An answer to a query since replaced by further typing is dropped.
      if (latestQuery.current !== text) return;
      setHits((current) => (cursor ? [...current, ...page.items] : page.items));
      setNextCursor(page.nextCursor);
      setProblem(null);
    } catch (error) {
      if (latestQuery.current === text) setProblem(error instanceof Error ? error.message : String(error));
    } finally {
      if (latestQuery.current === text) setLoading(false);
    }
  }, []);

  useEffect(() => {
    const text = query.trim();
    latestQuery.current = text;
    if (!text) {
      setHits([]);
      setNextCursor(null);
      setProblem(null);
      return;
    }
    const timer = setTimeout(() => void load(text, null), TYPING_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [query, load]);

  function choose(hit: SearchHit) {
    const path = conversationPath(hit.conversationId);
    // A message in a thread opens at the message the thread hangs on, whose link opens the thread.
    const shown = hit.threadRootId ?? hit.messageId;
    navigate(shown ? `${path}#${messageAnchor(shown)}` : path);
    onChosen();
  }

  return (
    <search className="search">
      <label className="visually-hidden" htmlFor="conversation-search">
        Search your conversations
      </label>
      <input
        id="conversation-search"
        ref={input}
        type="search"
        placeholder="Search (Ctrl+K)"
        value={query}
        maxLength={200}
        autoComplete="off"
        onChange={(event) => setQuery(event.target.value)}
        onKeyDown={(event) => event.key === 'Escape' && setQuery('')}
      />
      {active && (
        <ul className="search-hits" aria-label="Search results" aria-busy={loading}>
          {hits.map((hit) => (
            <li key={`${hit.kind}-${hit.messageId ?? hit.conversationId}`}>
              <button type="button" className="search-hit" onClick={() => choose(hit)}>
                <span className="search-hit-title">
                  {hit.conversationTitle ?? 'Untitled chat'}
                  {hit.kind === 'title' && <span className="muted"> · title</span>}
                </span>
                {hit.kind === 'message' && (
                  <span className="search-hit-snippet">
                    {hit.snippet.map((run, index) =>
                      // biome-ignore lint/suspicious/noArrayIndexKey: runs are fixed for a hit, never reordered
                      run.highlighted ? <mark key={index}>{run.text}</mark> : <span key={index}>{run.text}</span>,
                    )}
                  </span>
                )}
                <span className="search-hit-time muted">{new Date(hit.createdAt).toLocaleString()}</span>
              </button>
            </li>
          ))}
          {problem && (
            <li className="form-problem" role="alert">
              Search failed: {problem}
            </li>
          )}
          {!loading && !problem && hits.length === 0 && <li className="conversation-empty">Nothing found.</li>}
          {nextCursor && (
            <li className="conversation-more">
              <button
                type="button"
                className="link"
                disabled={loading}
                onClick={() => void load(query.trim(), nextCursor)}
              >
                {loading ? 'Loading…' : 'More results'}
              </button>
            </li>
          )}
        </ul>
      )}
    </search>
  );
}
