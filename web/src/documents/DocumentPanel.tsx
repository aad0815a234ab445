// The document panel beside the chat: the document as the model writes it (live), then as saved, with its versions
// (open one, see what it changed, restore it as the next version), a person's edit, and the open suggestions to
// accept or reject where they sit in the text. Text reads as Markdown, code highlighted, a sheet as a table. On a
// narrow screen it covers the chat until closed.
import { useEffect, useState } from 'react';
import { ReplyMarkdown } from '../chat/ReplyMarkdown.tsx';
import type { DocumentVersion, DocumentWithVersions, Suggestion } from '../types.ts';
import { fetchDocument, fetchSuggestions, fetchVersion, resolveSuggestion, saveDocument } from './document-api.ts';
import { SuggestedText } from './SuggestedText.tsx';
import type { LiveDocument } from './use-document-panel.ts';
import { VersionDiff } from './VersionDiff.tsx';

type Props = {
  documentId: string;
  live: LiveDocument | null;
  /** Changes when the saved document may have changed. */
  version: number;
  /** False for a reader of a public conversation: no edits, no decisions. */
  canEdit: boolean;
  onClose: () => void;
};

export function DocumentPanel({ documentId, live, version, canEdit, onClose }: Props) {
  const [document, setDocument] = useState<DocumentWithVersions | null>(null);
  const [suggestions, setSuggestions] = useState<Suggestion[]>([]);
  const [shown, setShown] = useState<DocumentVersion | null>(null);
  const [draft, setDraft] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [reloads, setReloads] = useState(0);
  const [comparing, setComparing] = useState(false);

  // biome-ignore lint/correctness/useExhaustiveDependencies(version): a trigger, deliberately not read
  // biome-ignore lint/correctness/useExhaustiveDependencies(reloads): a trigger, deliberately not read
  useEffect(() => {
    if (live) return;
    let current = true;
    Promise.all([fetchDocument(documentId), fetchSuggestions(documentId)])
      .then(([found, open]) => {
        if (!current) return;
        setDocument(found);
        setSuggestions(open);
        setShown(found.document);
        setProblem(null);
      })
      .catch((error: unknown) => current && setProblem(error instanceof Error ? error.message : String(error)));
    return () => {
      current = false;
    };
  }, [documentId, live, version, reloads]);

  /** Runs a change, then reads the document again. */
  async function change(action: () => Promise<unknown>) {
    try {
      await action();
      setDraft(null);
      setReloads((count) => count + 1);
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    }
  }
  async function openVersion(createdAt: string) {
    try {
      setShown(await fetchVersion(documentId, createdAt));
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    }
  }

  const latest = document?.document;
  const title = live?.title ?? latest?.title ?? 'Document';
  const kind = live?.kind ?? shown?.kind ?? 'text';
  const isLatest = shown !== null && shown.createdAt === latest?.createdAt;
  const open = suggestions.filter((suggestion) => !suggestion.isResolved);
  const shownIndex = document?.versions.findIndex((saved) => saved.createdAt === shown?.createdAt) ?? -1;
  const previous = shownIndex > 0 ? document?.versions[shownIndex - 1] : undefined;
  const resolve = (id: string, decision: 'accept' | 'reject') => void change(() => resolveSuggestion(id, decision));
  return (
    <aside className="document-panel" aria-label={`Document: ${title}`} aria-busy={live !== null}>
      <header className="document-header">
        <h2>{title}</h2>
        {live && <span className="badge">writing…</span>}
        <button type="button" className="secondary" onClick={onClose}>
          Close
        </button>
      </header>
      {problem && (
        <p className="form-problem" role="alert">
          {problem}
        </p>
      )}
      <div className="document-body">
        {live ? (
          <DocumentContent kind={kind} content={live.text} />
        ) : draft !== null ? (
          <textarea
            className="document-editor"
            aria-label="Document content"
            value={draft}
            onChange={(event) => setDraft(event.target.value)}
          />
        ) : shown && comparing && previous ? (
          <VersionDiff documentId={documentId} previousCreatedAt={previous.createdAt} shown={shown} />
        ) : shown && isLatest && open.length > 0 ? (
          <SuggestedText content={shown.content ?? ''} suggestions={open} canEdit={canEdit} onResolve={resolve} />
        ) : shown ? (
          <DocumentContent kind={kind} content={shown.content ?? ''} />
        ) : (
          <p>Loading…</p>
        )}
      </div>
      {!live && document && (
        <div className="document-actions">
          {canEdit && draft === null && isLatest && (
            <button type="button" className="secondary" onClick={() => setDraft(latest?.content ?? '')}>
              Edit
            </button>
          )}
          {draft !== null && (
            <>
              <button
                type="button"
                className="primary"
                onClick={() => void change(() => saveDocument(documentId, draft))}
              >
                Save
              </button>
              <button type="button" className="secondary" onClick={() => setDraft(null)}>
                Cancel
              </button>
            </>
          )}
          {draft === null && previous && (
            <button
              type="button"
              className="secondary"
              aria-pressed={comparing}
              onClick={() => setComparing(!comparing)}
            >
              {comparing ? 'Hide changes' : 'Show changes'}
            </button>
          )}
          {canEdit && shown && !isLatest && (
            <button
              type="button"
              className="primary"
              onClick={() => void change(() => saveDocument(documentId, shown.content ?? ''))}
            >
              Restore this version
            </button>
          )}
        </div>
      )}
      {!live && document && (
        <nav aria-label="Versions" className="document-versions">
          <h3>Versions</h3>
          <ol>
            {document.versions.map((saved, index) => (
              <li key={saved.createdAt}>
                <button
                  type="button"
                  className="link"
                  aria-current={shown?.createdAt === saved.createdAt}
                  onClick={() => void openVersion(saved.createdAt)}
                >
                  Version {index + 1} · {new Date(saved.createdAt).toLocaleString()}
                </button>
              </li>
            ))}
          </ol>
        </nav>
      )}
    </aside>
  );
}

function DocumentContent({ kind, content }: { kind: string; content: string }) {
  if (kind === 'sheet') return <SheetTable csv={content} />;
  if (kind === 'code') return <ReplyMarkdown text={`\`\`\`\n${content}\n\`\`\``} />;
  return <ReplyMarkdown text={content} />;
}

/** A sheet's CSV as a table: the first row its head (quoted cells with commas are kept whole). */
function SheetTable({ csv }: { csv: string }) {
  const rows = csv
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => (line.match(/("([^"]|"")*"|[^,]*)(,|$)/g) ?? []).map(cellText).slice(0, -1));
  const [head, ...body] = rows.map((cells, row) => cells.map((text, column) => ({ text, key: `${row}:${column}` })));
  if (!head) return <p>(empty sheet)</p>;
  return (
    <div className="sheet">
      <table>
        <thead>
          <tr>
            {head.map((cell) => (
              <th key={cell.key}>{cell.text}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {body.map((row) => (
            <tr key={row[0]?.key}>
              {row.map((cell) => (
                <td key={cell.key}>{cell.text}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function cellText(match: string): string {
  const cell = match.endsWith(',') ? match.slice(0, -1) : match;
  return cell.startsWith('"') && cell.endsWith('"') ? cell.slice(1, -1).replaceAll('""', '"') : cell;
}
