// Which document the panel beside the chat shows: the one a model is writing now (its text as it streams, from the
// chat's transient `data-tool-progress` parts), or one a person opened from a tool call; and when to read it again.
import { useCallback, useState } from 'react';

/** A document being written: what has come of it so far. */
export type LiveDocument = { documentId: string; title: string; kind: string; text: string };

type ToolProgress = { type?: unknown; documentId?: unknown; title?: unknown; kind?: unknown; text?: unknown };

export function useDocumentPanel() {
  const [documentId, setDocumentId] = useState<string | null>(null);
  const [live, setLive] = useState<LiveDocument | null>(null);
  const [version, setVersion] = useState(0);

  /** For useChat's onData: a document's text as the model writes it opens the panel on it. */
  const onData = useCallback((part: { type: string; data: unknown }) => {
    if (part.type !== 'data-tool-progress') return;
    const progress = part.data as ToolProgress;
    if (progress.type !== 'document-text' || typeof progress.documentId !== 'string') return;
    const { documentId: id, title, kind, text } = progress;
    setDocumentId(id);
    setLive((current) =>
      current?.documentId === id
        ? { ...current, text: current.text + String(text ?? '') }
        : { documentId: id, title: String(title ?? ''), kind: String(kind ?? 'text'), text: String(text ?? '') },
    );
  }, []);

  return {
    documentId,
    live,
    onData,
    /** Bumped when what is saved may have changed (a reply ended): the panel reads the document again. */
    version,
    open: useCallback((id: string) => {
      setLive(null);
      setDocumentId(id);
      setVersion((current) => current + 1);
    }, []),
    /** A reply ended: whatever was being written is saved now. */
    settle: useCallback(() => {
      setLive(null);
      setVersion((current) => current + 1);
    }, []),
    close: useCallback(() => {
      setLive(null);
      setDocumentId(null);
    }, []),
  };
}
